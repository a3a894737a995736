"""A mapping from a file: one row per counterpart, the new code and the old code.

The file replaces the pair's whole mapping, all or nothing: every problem is listed
with its row and nothing is written while there is one. A new code with the old code
left blank (or "không có", "—") has no counterpart; a new code in no row has none
either. Other columns (the titles, a note) may stand beside the two codes; the
optional columns "bộ chỉ số mới" and "bộ chỉ số trước" must then name the pair being
mapped, so a file made for another pair is refused.
"""

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from tablib import Dataset

from scoring.editions.proposals import wording_key
from scoring.editions.services import Pair, edition_mapping_save
from scoring.models import EditionMapping, Framework
from scoring.resources.base import control_character_problems, row_message
from scoring.resources.reading import DecimalCodes, ImportFailed, csv_dataset, xlsx_dataset
from scoring.resources.widgets import cell_text

NEW, OLD = "new_code", "old_code"
NEW_NAME, OLD_NAME = "framework", "previous"  # optional: the pair the file was made for
LABELS = {NEW: "mã mới", OLD: "mã cũ", NEW_NAME: "bộ chỉ số mới", OLD_NAME: "bộ chỉ số trước"}
# Headers as folded by `wording_key`, Vietnamese or English.
HEADERS = {
    **dict.fromkeys(("ma moi", "ma tieu chi moi", "new code", "new"), NEW),
    **dict.fromkeys(("ma cu", "ma tieu chi cu", "ma truoc", "old code", "old"), OLD),
    **dict.fromkeys(("bo chi so moi", "new framework", "framework"), NEW_NAME),
    **dict.fromkeys(("bo chi so truoc", "bo chi so cu", "previous framework"), OLD_NAME),
}
NO_COUNTERPART = {"", "khong co", "khong co tieu chi tuong ung", "none"}


def mapping_file_import(
    dataset: Dataset, *, framework: Framework, previous: Framework, by
) -> EditionMapping:
    """Save the pair's mapping from a file's rows; ImportFailed (nothing written) if wrong."""
    _check_pair(framework, previous)
    pairs = mapping_file_pairs(dataset, framework=framework, previous=previous)
    try:
        return edition_mapping_save(framework=framework, previous=previous, pairs=pairs, by=by)
    except ValidationError as refused:
        raise ImportFailed(refused.messages) from None


def upload_dataset(upload: UploadedFile) -> Dataset:
    """An uploaded .csv or .xlsx, read as the import commands read a file."""
    reader = xlsx_dataset if PurePath(upload.name).suffix.lower() == ".xlsx" else csv_dataset
    upload.seek(0)
    return reader(upload.read(), upload.name)


def mapping_file_pairs(
    dataset: Dataset, *, framework: Framework, previous: Framework
) -> list[Pair]:
    """The (new id, old id) pairs of a file's rows, or ImportFailed with every problem."""
    columns = _columns(dataset)
    problems = control_character_problems(dataset)
    rows = _MappingRows(framework, previous)
    for number, row in enumerate(dataset, start=1):
        raw = {column: row[index] for column, index in columns.items()}
        problems += _other_pair(number, raw, framework, previous)
        found = _decimal_codes(number, {c: raw[c] for c in (NEW, OLD)})
        problems += found or rows.read(number, cell_text(raw[NEW]), cell_text(raw[OLD]))
    problems += rows.conflicts()
    if not rows.seen and not problems:
        problems.append("Tệp không có dòng dữ liệu nào.")
    if problems:
        raise ImportFailed(problems)
    return rows.pairs


class _MappingRows:
    """The rows read so far, for the problems only seen across rows."""

    def __init__(self, framework: Framework, previous: Framework) -> None:
        self.framework, self.previous = framework, previous
        self.new_ids = dict(framework.criteria.values_list("code", "id"))
        self.old_ids = dict(previous.criteria.values_list("code", "id"))
        self.seen: dict[tuple[str, str], int] = {}  # (new, old) → its first row
        self.without: dict[str, int] = {}  # new code → the row saying it has no counterpart
        self.with_old: dict[str, int] = {}  # new code → the first row giving it one
        self.pairs: list[Pair] = []

    def read(self, number: int, new: str, old: str) -> list[str]:
        """The row's problems; its pair is kept if it has none."""
        if not new and not old:
            return []
        old = "" if wording_key(old) in NO_COUNTERPART else old
        if not new:
            return [row_message(number, LABELS[NEW], f"thiếu mã mới cho mã cũ «{old}».")]
        problems = []
        if new not in self.new_ids:
            problems.append(row_message(number, LABELS[NEW], _unknown(new, self.framework)))
        if old and old not in self.old_ids:
            problems.append(row_message(number, LABELS[OLD], _unknown(old, self.previous)))
        if (new, old) in self.seen:
            return [*problems, f"Dòng {number + 1}: trùng với dòng {self.seen[new, old] + 1}."]
        self.seen[new, old] = number
        (self.with_old if old else self.without).setdefault(new, number)
        if not problems and old:
            self.pairs.append((self.new_ids[new], self.old_ids[old]))
        return problems

    def conflicts(self) -> list[str]:
        """New criteria said to have no counterpart in one row and given one in another."""
        return [
            f"Dòng {self.without[new] + 1}: tiêu chí {new} ghi «không có tiêu chí tương ứng» "
            f"nhưng dòng {number + 1} lại ghi mã cũ cho nó."
            for new, number in self.with_old.items()
            if new in self.without
        ]


def _check_pair(framework: Framework, previous: Framework) -> None:
    try:
        EditionMapping(framework=framework, previous=previous).clean()
    except ValidationError as refused:
        raise ImportFailed(refused.messages) from None


def _columns(dataset: Dataset) -> dict[str, int]:
    """Column → its index in the rows; ImportFailed if one is missing or repeated."""
    keys = [HEADERS.get(wording_key(cell_text(header))) for header in dataset.headers or []]
    problems = [f"Cột «{LABELS[c]}» có nhiều lần." for c in LABELS if keys.count(c) > 1]
    missing = [LABELS[c] for c in (NEW, OLD) if c not in keys]
    if missing:
        problems.append(
            f"Tệp thiếu cột: {', '.join(missing)}. Dòng đầu của tệp cần hai cột «mã mới» "
            "và «mã cũ» (hoặc «new_code», «old_code»)."
        )
    if problems:
        raise ImportFailed(problems)
    return {column: keys.index(column) for column in LABELS if column in keys}


def _other_pair(
    number: int, raw: dict[str, object], framework: Framework, previous: Framework
) -> list[str]:
    """The row names another pair than the one being mapped, in the optional columns."""
    named = ((NEW_NAME, framework), (OLD_NAME, previous))
    return [
        row_message(
            number, LABELS[column], f"tệp ghi «{text}», không phải «{edition.name}» đang đối chiếu."
        )
        for column, edition in named
        if (text := cell_text(raw.get(column))) and wording_key(text) != wording_key(edition.name)
    ]


def _decimal_codes(number: int, raw: dict[str, object]) -> list[str]:
    """Codes Excel kept as decimal numbers: 7.10 would silently read as 7.1."""
    return [
        DecimalCodes.message(number, LABELS[column], value)
        for column, value in raw.items()
        if isinstance(value, float) and not value.is_integer()
    ]


def _unknown(code: str, framework: Framework) -> str:
    return f"không có tiêu chí mã «{code}» trong bộ chỉ số «{framework.name}»."
