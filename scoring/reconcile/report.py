"""What the command and the page run: read a table, check it against itself and, for a
ranking, against the system; every difference once, in the table's row order."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from scoring.reconcile.against import against_system, detail_against_system
from scoring.reconcile.checks import check_detail, check_ranking
from scoring.reconcile.differences import Difference, Findings
from scoring.reconcile.reading import Table, detail_tree, read_table
from scoring.resources.reading import (
    ImportFailed,
    check_import_size,
    csv_rows,
    open_rows,
    sheet_rows,
    xlsx_sheet,
)

DETAIL_NOTE = (
    "Bảng chi tiết của một đơn vị: đã kiểm tra điểm bị trừ = điểm tối đa − điểm đạt, "
    "điểm bị trừ không quá điểm tối đa, các tiêu chí cộng lại bằng lĩnh vực và các lĩnh "
    "vực cộng lại bằng tổng."
)


@dataclass
class Reconciliation:
    kind: str  # "ranking" or "detail"
    rows: int
    differences: list[Difference] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def table_from_path(path: str | Path) -> Table:
    with open_rows(path) as rows:
        return read_table(rows)


def table_from_upload(handle: IO[bytes], name: str, size: int) -> Table:
    """An uploaded .csv or .xlsx, read as the commands read files."""
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ImportFailed([f"Chỉ nhận tệp .csv hoặc .xlsx, không nhận «{name}»."])
    check_import_size(size, name)
    if suffix == ".csv":
        return read_table(csv_rows(handle, name))
    with xlsx_sheet(handle, name) as sheet:
        return read_table(sheet_rows(sheet, name))


def reconcile_table(table: Table, year: int, *, user=None, unit_code: str = "") -> Reconciliation:
    """Every difference of `table`: unreadable cells, its own arithmetic, and what the
    system computed for `year` (within `user`'s scope if given): for a ranking always,
    for a unit's detailed table when `unit_code` says whose it is.

    A check of the table against itself that blames a cell holding the system's figure
    is dropped: the slip is in another cell, which the comparison reports."""
    result = Reconciliation(kind=table.kind, rows=len(table.rows))
    if table.kind == "detail":
        own = check_detail(*detail_tree(table.rows), places=table.places)
        notes = [DETAIL_NOTE, *own.notes]
        system = detail_against_system(table, year, unit_code, user=user) if unit_code else None
    else:
        own = Findings(differences=check_ranking(table))
        notes = []
        system = against_system(table, year, user=user)
    if system is None:
        result.differences = _once_per_cell(table.unreadable + own.differences)
    else:
        kept = [d for d in own.differences if (d.row, d.column) not in system.agreed]
        result.differences = _once_per_cell(table.unreadable + kept + system.findings.differences)
        notes += system.findings.notes
    result.notes = notes
    return result


def _once_per_cell(differences: list[Difference]) -> list[Difference]:
    """The first difference of each cell (a total wrong by its own sum and by the system
    is one slip), rows in the table's order and what the table lacks last."""
    seen: set[tuple] = set()
    kept = []
    for difference in differences:
        cell = (difference.row, difference.unit, difference.column, difference.found)
        if difference.row is not None:
            cell = (difference.row, difference.column)
        if cell not in seen:
            seen.add(cell)
            kept.append(difference)
    return sorted(kept, key=lambda d: (d.row is None, d.row or 0))
