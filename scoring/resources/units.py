import re

from import_export import widgets
from import_export.fields import Field

from scoring.models import LEVEL_RANK, RankingGroup, Unit, UnitLevel
from scoring.resources.base import ImportResource, NumberedRows, Row, code_field, value_field
from scoring.resources.widgets import LEVEL_WIDGET, TextWidget, cell_text, max_length
from scoring.units.predecessors import (
    last_result_years,
    lineage_problems,
    stored_links,
    write_predecessors,
)

CODE_SEPARATOR = re.compile(r"[;,]")
# lineage_problems' fields, as the file's columns.
LINEAGE_COLUMNS = {"predecessors": "predecessor_codes", "formed_in": "formed_in"}


class YearWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs) -> int | None:
        text = cell_text(value)
        if not text:
            return None
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            raise ValueError(f"«{text}» không phải là một năm (như 2025).")
        return int(text)


YEAR_WIDGET = YearWidget()


class UnitResource(ImportResource):
    """Units: `code, name, level`, optionally `parent_code, group, predecessor_codes,
    formed_in`. Existing units are updated by code; a parent or a predecessor may come
    later in the file; a group (khối) named for the first time is created. A unit merged
    or split from others lists their codes (separated by ";" or ",") and the year it has
    results of its own from; the file's list replaces the stored one."""

    code = value_field("code", TextWidget(required=True, limit=max_length(Unit, "code")))
    name = value_field("name", TextWidget(required=True, limit=max_length(Unit, "name")))
    level = value_field("level", LEVEL_WIDGET)
    parent_code = code_field("parent_code", "parent__code")
    group = code_field("group", "ranking_group__name")
    predecessor_codes = Field(column_name="predecessor_codes", readonly=True)
    formed_in = value_field("formed_in", YEAR_WIDGET)

    required_columns = ("code", "name", "level")

    class Meta:
        model = Unit
        fields = ("code", "name", "level", "parent_code", "group", "predecessor_codes", "formed_in")
        import_id_fields = ("code",)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.existing: dict[str, Unit] = {}
        self.parent_codes: dict[str, str] = {}
        self.groups: dict[str, RankingGroup] = {}
        self.predecessor_codes: dict[str, list[str]] = {}

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent", "ranking_group").prefetch_related("predecessors")

    def dehydrate_predecessor_codes(self, unit: Unit) -> str:
        return "; ".join(sorted(previous.code for previous in unit.predecessors.all()))

    def prepare(self, rows: NumberedRows, headers: list[str]) -> list[str]:
        self.existing = {u.code: u for u in Unit.objects.select_related("parent", "ranking_group")}
        first = self.first_rows(
            rows, lambda row: (cell_text(row["code"]),), "code", "Mã đơn vị «{}»"
        )
        if "parent_code" in headers:
            self.parent_codes = {
                key[0]: cell_text(row["parent_code"]) for key, (_, row) in first.items()
            }
            self.check_parents(first)
        if "group" in headers:
            self.groups = self.groups_by_name(rows)
        if "predecessor_codes" in headers:
            self.check_predecessors(first, "formed_in" in headers)
        return []

    def check_predecessors(self, first: dict[tuple, tuple[int, Row]], with_year: bool) -> None:
        """Each row's predecessors exist (in the database or the file) and can be its
        predecessors, by `lineage_problems` over the links stored and the file's."""
        self.predecessor_codes = {
            key[0]: _codes(row["predecessor_codes"]) for key, (_, row) in first.items()
        }
        known = set(self.existing) | set(self.predecessor_codes)
        links = stored_links() | self.predecessor_codes
        listed = sorted({code for codes in self.predecessor_codes.values() for code in codes})
        last_results = last_result_years(listed)
        for (code,), (number, row) in first.items():
            codes = self.predecessor_codes[code]
            unknown = [previous for previous in codes if previous not in known]
            for previous in unknown:
                self.add_problem(number, "predecessor_codes", f"Không có đơn vị mã «{previous}».")
            if unknown:
                continue
            formed_in = _readable_year(row) if with_year else _stored_year(self.existing, code)
            problems = lineage_problems(code, codes, formed_in, links, last_results)
            if formed_in is None and with_year and cell_text(row["formed_in"]):
                problems.pop("formed_in", None)  # the year did not parse: its own error says so
            for name, messages in problems.items():
                for message in messages:
                    self.add_problem(number, LINEAGE_COLUMNS[name], message)

    def check_parents(self, first: dict[tuple, tuple[int, Row]]) -> None:
        parents = {
            code: unit.parent.code if unit.parent else "" for code, unit in self.existing.items()
        } | self.parent_codes
        levels = {code: unit.level for code, unit in self.existing.items()}
        levels |= {key[0]: _readable_level(row) for key, (_, row) in first.items()}
        for (code,), (number, _) in first.items():
            parent = parents[code]
            if parent and parent not in parents:
                self.add_problem(number, "parent_code", f"Không có đơn vị mã «{parent}».")
            elif parent and _on_cycle(code, parents):
                self.add_problem(
                    number,
                    "parent_code",
                    f"Đơn vị «{code}» nằm trong một vòng lặp đơn vị cấp trên.",
                )
            elif parent and levels[code] and levels[parent]:
                self.check_levels(number, code, levels[code], parent, levels[parent])

    def check_levels(self, number: int, code: str, level: str, parent: str, above: str) -> None:
        if LEVEL_RANK[above] < LEVEL_RANK[level]:
            return
        self.add_problem(
            number,
            "parent_code",
            f"Đơn vị «{code}» cấp «{UnitLevel(level).label}» không thể trực thuộc "
            f"đơn vị «{parent}» cấp «{UnitLevel(above).label}».",
        )

    def groups_by_name(self, rows: NumberedRows) -> dict[str, RankingGroup]:
        """The groups the file names, creating the missing ones."""
        limit = max_length(RankingGroup, "name")
        names = set()
        for number, row in rows:
            name = cell_text(row["group"])
            if len(name) > limit:
                self.add_problem(number, "group", f"Dài {len(name)} ký tự, tối đa {limit}.")
            elif name:
                names.add(name)
        groups = {group.name: group for group in RankingGroup.objects.filter(name__in=names)}
        created = RankingGroup.objects.bulk_create(
            RankingGroup(name=name) for name in sorted(names - groups.keys())
        )
        return groups | {group.name: group for group in created}

    def get_instance(self, instance_loader, row: Row) -> Unit | None:
        return self.existing.get(cell_text(row.get("code")))

    def before_save_instance(self, instance: Unit, row: Row, **kwargs) -> None:
        if "group" in row:
            instance.ranking_group = self.groups.get(cell_text(row["group"]))

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        if result.has_errors() or result.has_validation_errors():
            return
        self.save_parents()
        self.save_predecessors()

    def save_predecessors(self) -> None:
        if not self.predecessor_codes:
            return
        listed = {code for codes in self.predecessor_codes.values() for code in codes}
        ids = dict(
            Unit.objects.filter(code__in=listed | set(self.predecessor_codes)).values_list(
                "code", "id"
            )
        )
        write_predecessors(
            {
                ids[code]: [ids[previous] for previous in codes]
                for code, codes in self.predecessor_codes.items()
            }
        )

    def save_parents(self) -> None:
        if not self.parent_codes:
            return
        by_code = Unit.objects.in_bulk(
            set(self.parent_codes) | set(self.parent_codes.values()), field_name="code"
        )
        children = [by_code[code] for code in self.parent_codes]
        for child in children:
            child.parent = by_code.get(self.parent_codes[child.code])
        Unit.objects.bulk_update(children, ["parent"], batch_size=500)


def _readable_level(row: Row) -> str | None:
    """The row's level, or None where it does not parse (that cell has its own error)."""
    try:
        return LEVEL_WIDGET.clean(row.get("level"))
    except ValueError:
        return None


def _codes(cell: object) -> list[str]:
    """The codes of a `predecessor_codes` cell, each once, in the order written."""
    return list(dict.fromkeys(filter(None, map(str.strip, CODE_SEPARATOR.split(cell_text(cell))))))


def _readable_year(row: Row) -> int | None:
    """The row's `formed_in`, or None where it does not parse (that cell has its own error)."""
    try:
        return YEAR_WIDGET.clean(row.get("formed_in"))
    except ValueError:
        return None


def _stored_year(existing: dict[str, Unit], code: str) -> int | None:
    unit = existing.get(code)
    return unit.formed_in if unit else None


def _on_cycle(code: str, parents: dict[str, str]) -> bool:
    """Whether following parents from `code` comes back to it."""
    seen = set()
    current = parents.get(code)
    while current and current not in seen:
        if current == code:
            return True
        seen.add(current)
        current = parents.get(current)
    return False
