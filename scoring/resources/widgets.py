"""Cells as the resources read them: text, points, choices, yes or no."""

import unicodedata
from decimal import Decimal
from functools import lru_cache

from django.db.models import Model, TextChoices
from import_export import widgets

from cchc.formatting import parse_points
from scoring.models import CriterionSource, UnitLevel

REQUIRED = "Không được để trống."
EXCEL_DIGITS = 15  # significant digits of a number in Excel
# PositiveIntegerField: the range every database accepts.
MAX_ORDER = 2**31 - 1


def cell_text(value: object) -> str:
    """A cell as trimmed text. CSV gives strings; xlsx gives numbers, so a code typed
    as 2 arrives as 2 or 2.0 and must read "2".

    A number is read to the 15 significant digits Excel itself keeps and shows: a
    formula such as =1,5-0,07 is stored as 1.4300000000000002 and must read "1.43",
    not be refused for its decimals."""
    if type(value) is str:  # the most of cells, first: a score file has millions
        return unicodedata.normalize("NFC", value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{Decimal(f'{value:.{EXCEL_DIGITS}g}').normalize():f}"
    return unicodedata.normalize("NFC", str(value)).strip()


def max_length(model: type[Model], field: str) -> int:
    return model._meta.get_field(field).max_length


def _choice_key(text: str) -> str:
    return " ".join(text.casefold().split())


class TextWidget(widgets.CharWidget):
    def __init__(self, *, required: bool = False, limit: int | None = None) -> None:
        super().__init__()
        self.required = required
        self.limit = limit

    def clean(self, value, row=None, **kwargs) -> str:
        text = cell_text(value)
        if self.required and not text:
            raise ValueError(REQUIRED)
        if self.limit and len(text) > self.limit:
            raise ValueError(f"Dài {len(text)} ký tự, tối đa {self.limit}.")
        return text


@lru_cache(maxsize=4096)
def _points(text: str) -> Decimal | None:
    # A score file repeats a few values a million times; a Decimal is immutable, and
    # text that is refused raises every time (lru_cache keeps no exception).
    return parse_points(text)


class PointsWidget(widgets.DecimalWidget):
    """Points as people type them: "9,13" or "9.13", at most three decimals."""

    def __init__(self, *, required: bool = False) -> None:
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs) -> Decimal | None:
        points = _points(cell_text(value))
        if points is None and self.required:
            raise ValueError(REQUIRED)
        return points


class OrderWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs) -> int | None:
        text = cell_text(value)
        if not text:
            return None
        if not text.isascii() or not text.isdigit() or int(text) > MAX_ORDER:
            raise ValueError(f"«{text}» không phải là số thứ tự (số nguyên từ 0).")
        return int(text)


class YesNoWidget(widgets.BooleanWidget):
    YES = frozenset({"1", "x", "có", "co", "true", "yes"})
    NO = frozenset({"0", "không", "khong", "false", "no"})

    def clean(self, value, row=None, **kwargs) -> bool | None:
        text = cell_text(value).casefold()
        if not text:
            return None
        if text in self.YES or text in self.NO:
            return text in self.YES
        raise ValueError(
            f"«{cell_text(value)}» không rõ là có hay không; dùng 1/0, x, có/không hoặc true/false."
        )


class ChoiceWidget(widgets.Widget):
    """A choice from its key (`commune`), its Vietnamese label or a short name, any case."""

    def __init__(
        self, choices: type[TextChoices], *, what: str, aliases: dict[str, str], required: bool
    ) -> None:
        super().__init__()
        self.lookup = {_choice_key(label): value for value, label in choices.choices}
        self.lookup |= {value: value for value in choices.values}
        self.lookup |= {_choice_key(alias): value for alias, value in aliases.items()}
        labels = ", ".join(f"«{label}»" for label in choices.labels)
        self.hint = f"không phải là {what}; dùng {', '.join(choices.values)} hoặc {labels}"
        self.required = required

    def clean(self, value, row=None, **kwargs) -> str | None:
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(REQUIRED)
            return None
        try:
            return self.lookup[_choice_key(text)]
        except KeyError:
            raise ValueError(f"«{text}» {self.hint}.") from None


LEVEL_ALIASES = {
    "tỉnh": UnitLevel.PROVINCE,
    "sở": UnitLevel.DEPARTMENT,
    "huyện": UnitLevel.DISTRICT,
    "quận": UnitLevel.DISTRICT,
    "thị xã": UnitLevel.DISTRICT,
    "xã": UnitLevel.COMMUNE,
    "phường": UnitLevel.COMMUNE,
    "thị trấn": UnitLevel.COMMUNE,
}
LEVEL_WIDGET = ChoiceWidget(UnitLevel, what="cấp đơn vị", aliases=LEVEL_ALIASES, required=True)
SOURCE_WIDGET = ChoiceWidget(CriterionSource, what="nguồn điểm", aliases={}, required=False)


def parse_level(text: str) -> str:
    """A unit level from its key or Vietnamese name ("xã"); ValueError in Vietnamese."""
    return LEVEL_WIDGET.clean(text)
