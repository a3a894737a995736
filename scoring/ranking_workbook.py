"""The ranking page's Excel download: the table as the page shows it, for people to
read and print (the export command's CSV is the machine format)."""

from cchc.formatting import PERCENT_PLACES, round_half_up
from cchc.spreadsheets import POINTS_FORMAT, Column, table_workbook
from scoring.analysis import ranking_fields
from scoring.engine import RankingHead, RankingRow, RankingStream
from scoring.exports import (
    FIELD_WIDTH,
    XLSX_COLUMNS,
    field_header,
    part_points,
    plain,
    rank_change_cell,
)
from scoring.units.lineage import group_lineage_labels

LEADING = ("rank", "unit_code", "unit_name", "score")
PARTS = ("assessment_part", "survey_part")
TOTALS = ("max_points", "index_pct", "deducted")
CHANGES = ("prev_rank", "rank_change", "score_change", "classification")


def ranking_page_xlsx(result: RankingStream) -> bytes:
    """The whole khối in the page's order, written as its rows stream from the database;
    every field column names its field and max."""
    codes = [*LEADING, *(PARTS if result.has_parts else ()), *TOTALS]
    fields = [
        Column(field_header(heading), FIELD_WIDTH, POINTS_FORMAT)
        for heading in ranking_fields(result)
    ]
    lineage = group_lineage_labels([result.group], result.year)
    return table_workbook(
        title=f"Xếp hạng Chỉ số cải cách hành chính năm {result.year} · {result.group.name}",
        sheet_name=f"Xếp hạng năm {result.year}",
        columns=[XLSX_COLUMNS[code] for code in codes]
        + fields
        + [XLSX_COLUMNS[code] for code in CHANGES],
        rows=(_row(result, row, lineage) for row in result.rows),
    )


def _row(result: RankingHead, row: RankingRow, lineage: dict[str, str]) -> list:
    pct = row.tally.index_pct
    return [
        row.rank,
        row.unit_code,
        row.unit_name,
        plain(row.tally.achieved),
        *(part_points(row.parts) if result.has_parts else []),
        plain(row.tally.max_points),
        None if pct is None else plain(round_half_up(pct, PERCENT_PLACES)),
        plain(row.tally.deducted),
        *(plain(row.field_points.get(code)) for code in result.field_codes),
        row.prev_rank,
        rank_change_cell(row, lineage),
        plain(row.score_change),
        row.classification,
    ]
