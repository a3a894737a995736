"""Result tables for files: a year's ranking by group, and one unit's breakdown.

Every number comes from `scoring.engine`; this module only lays the numbers out
as tablib Datasets, so the export command and the views render the same tables.
CSV is the machine format: its headers are codes ("unit_name", "field_3"), its
Decimals written plainly ("85.08", "11", "14.5": decimal point, no thousands
separator, no trailing zeros), and it starts with a UTF-8 byte order mark so that
Excel, which clerks open these files with, reads the Vietnamese names; Python reads
it with "utf-8-sig". The workbook is for people: a title row, the headers in words,
each field column naming its field and max ("1. Chỉ đạo điều hành (11
điểm)"), numbers as numbers, laid out for printing by `cchc.spreadsheets`. Text cells
go through `cchc.spreadsheets`, so a note such as "=HYPERLINK(...)" opens as text,
not as a live formula.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from tablib import Dataset

from cchc.formatting import PERCENT_PLACES, format_points, round_half_up
from cchc.spreadsheets import POINTS_FORMAT, Column, inert_dataset, table_workbook
from scoring.analysis.rankings import FieldHeading, ranking_fields
from scoring.cycles.calendars import appraisal_rounds
from scoring.engine import (
    GroupRanking,
    NodeResult,
    Parts,
    RankingRow,
    Tally,
    assessment_breakdown,
    group_ranking,
)
from scoring.models import Assessment, RankingGroup, Score
from scoring.units.lineage import group_lineage_labels

RANKING_HEADERS = [
    "rank",
    "unit_code",
    "unit_name",
    "group",
    "score",
    "max_points",
    "deducted",
    "index_pct",
    "prev_rank",
    "rank_change",
    "prev_score",
    "score_change",
    "classification",
]
BREAKDOWN_HEADERS = [
    "code",
    "parent_code",
    "title",
    "max_points",
    "self_score",
    "appraised_score",
    "final_score",
    "deducted",
    "note",
]
# Two-round years: every round apart, then the final (= round 2) score.
ROUNDS_HEADERS = [
    "code",
    "parent_code",
    "title",
    "max_points",
    "self_score",
    "round1_score",
    "round1_comment",
    "explanation_agrees",
    "explanation",
    "round2_score",
    "round2_comment",
    "final_score",
    "deducted",
    "note",
]
AGREES_TEXT = {True: "đồng ý", False: "không đồng ý", None: None}
# After "score" when a ranked framework has survey leaves: the two parts it adds up from.
PART_HEADERS = ["assessment_part", "survey_part"]
ASSESSMENT_PART = "Điểm thẩm định các lĩnh vực"
SURVEY_PART = "Điểm điều tra xã hội học"
FIELD_PREFIX = "field_"
CSV_ENCODING = "utf-8-sig"
FIELD_WIDTH = 11
# The workbook's words for each machine header, and how wide its column prints.
XLSX_COLUMNS = {
    "rank": Column("Hạng", 6),
    "unit_code": Column("Mã đơn vị", 13),
    "unit_name": Column("Đơn vị", 24),
    "group": Column("Khối", 18),
    "score": Column("Tổng điểm", 9, POINTS_FORMAT),
    "assessment_part": Column(ASSESSMENT_PART, 11, POINTS_FORMAT),
    "survey_part": Column(SURVEY_PART, 11, POINTS_FORMAT),
    "max_points": Column("Điểm tối đa", 8, POINTS_FORMAT),
    "deducted": Column("Điểm bị trừ", 8, POINTS_FORMAT),
    "index_pct": Column("Chỉ số (%)", 8, POINTS_FORMAT),
    "prev_rank": Column("Hạng năm trước", 8),
    "rank_change": Column("Thay đổi hạng (bậc)", 9),
    "prev_score": Column("Tổng điểm năm trước", 9, POINTS_FORMAT),
    "score_change": Column("Thay đổi điểm", 9, POINTS_FORMAT),
    "classification": Column("Xếp loại", 10),
    "code": Column("Mã tiêu chí", 9),
    "parent_code": Column("Thuộc tiêu chí", 9),
    "title": Column("Tiêu chí", 44),
    "self_score": Column("Điểm tự chấm", 9, POINTS_FORMAT),
    "appraised_score": Column("Điểm thẩm định", 9, POINTS_FORMAT),
    "round1_score": Column("Điểm thẩm định vòng 1", 10, POINTS_FORMAT),
    "round1_comment": Column("Ý kiến thẩm định vòng 1", 26),
    "explanation_agrees": Column("Đơn vị đồng ý với kết quả vòng 1", 11),
    "explanation": Column("Giải trình của đơn vị", 26),
    "round2_score": Column("Điểm thẩm định vòng 2", 10, POINTS_FORMAT),
    "round2_comment": Column("Ý kiến thẩm định vòng 2", 26),
    "final_score": Column("Điểm đạt", 9, POINTS_FORMAT),
    "note": Column("Ghi chú", 28),
}


@dataclass(frozen=True)
class ResultTable:
    """A result table: the dataset (machine headers, what CSV writes) and what the
    workbook adds for people: a title and, from the rankings, the field columns' words."""

    dataset: Dataset
    title: str
    rankings: list[GroupRanking] = field(default_factory=list)

    def field_headers(self) -> dict[str, str]:
        """ "field_1" → "1. Chỉ đạo điều hành (11 điểm)", from what the rankings read."""
        return {f"{FIELD_PREFIX}{code}": words for code, words in _fields(self.rankings)}


def field_header(heading: FieldHeading) -> str:
    """ "1. Chỉ đạo điều hành (11 điểm)"; no max, or no title, where the editions differ."""
    words = f"{heading.code}. {heading.title}" if heading.title else f"Lĩnh vực {heading.code}"
    if heading.max_points is None:
        return words
    return f"{words} ({format_points(heading.max_points)} điểm)"


def plain(value: Decimal | None) -> Decimal | None:
    """The same number without trailing zeros, never in exponent form ("1E+2")."""
    if value is None:
        return None
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized.as_tuple().exponent > 0 else normalized


def result_groups(year: int) -> QuerySet[RankingGroup]:
    """The groups with at least one assessment in `year`, by name."""
    return RankingGroup.objects.filter(assessments__year=year).distinct().order_by("name")


def ranking_dataset(groups: list[RankingGroup], year: int) -> Dataset:
    return ranking_table(groups, year).dataset


def ranking_table(groups: list[RankingGroup], year: int) -> ResultTable:
    """One row per unit, group after group, best first within each group.

    Field columns are the union of the groups' field codes; a unit whose
    framework lacks a field leaves that cell empty.
    """
    rankings = [group_ranking(group, year, with_fields=True) for group in groups]
    field_codes = list(dict.fromkeys(code for r in rankings for code in r.field_codes))
    with_parts = any(r.has_parts for r in rankings)
    cut = RANKING_HEADERS.index("score") + 1
    headers = RANKING_HEADERS[:cut] + (PART_HEADERS if with_parts else []) + RANKING_HEADERS[cut:]
    dataset = Dataset(
        headers=headers + [f"{FIELD_PREFIX}{code}" for code in field_codes],
        title=f"Xếp hạng năm {year}",
    )
    lineage = group_lineage_labels(groups, year)
    for ranking in rankings:
        for row in ranking.rows:
            dataset.append(_ranking_row(ranking, row, field_codes, lineage, with_parts=with_parts))
    named = groups[0].name if len(groups) == 1 else f"{len(groups)} khối"
    return ResultTable(
        dataset,
        title=f"Kết quả Chỉ số cải cách hành chính năm {year} · {named}",
        rankings=rankings,
    )


def _fields(rankings: list[GroupRanking]) -> list[tuple[str, str]]:
    """Each field code with its header words, over every group's framework editions
    (groups of communes and of districts number different fields alike)."""
    headings: dict[str, FieldHeading] = {}
    for ranking in rankings:
        for heading in ranking_fields(ranking):
            known = headings.setdefault(heading.code, heading)
            headings[heading.code] = FieldHeading(
                heading.code,
                known.title if known.title == heading.title else "",
                known.max_points if known.max_points == heading.max_points else None,
            )
    return [(code, field_header(heading)) for code, heading in headings.items()]


def part_points(parts: Parts | None) -> list[Decimal | None]:
    """The two parts' points for a table's part columns; empty where there is no survey part."""
    if parts is None:
        return [None, None]
    return [plain(parts.assessment.achieved), plain(parts.survey.achieved)]


def rank_change_cell(row: RankingRow, lineage: dict[str, str]) -> int | str | None:
    """Places gained, or for a unit merged or split this year the words saying why
    there is no number (`lineage`: `group_lineage_labels`)."""
    if row.rank_change is None:
        return lineage.get(row.unit_code)
    return row.rank_change


def _ranking_row(
    ranking: GroupRanking,
    row: RankingRow,
    field_codes: list[str],
    lineage: dict[str, str],
    *,
    with_parts: bool,
) -> list:
    tally = row.tally
    index_pct = tally.index_pct
    return [
        row.rank,
        row.unit_code,
        row.unit_name,
        ranking.group.name,
        plain(tally.achieved),
        *(part_points(row.parts) if with_parts else []),
        plain(tally.max_points),
        plain(tally.deducted),
        None if index_pct is None else plain(round_half_up(index_pct, PERCENT_PLACES)),
        row.prev_rank,
        rank_change_cell(row, lineage),
        None if row.prev_tally is None else plain(row.prev_tally.achieved),
        plain(row.score_change),
        row.classification,
        *(plain(row.field_points.get(code)) for code in field_codes),
    ]


def breakdown_dataset(assessment: Assessment) -> Dataset:
    return breakdown_table(assessment).dataset


def breakdown_table(assessment: Assessment) -> ResultTable:
    """One row per criterion node in tree order; parents carry their subtree's sums.

    `max_points` and `deducted` leave out criteria that do not apply to the unit,
    as the totals do. A two-round year gives every round its columns (ROUNDS_HEADERS).
    """
    breakdown = assessment_breakdown(assessment)
    codes = {node.criterion_id: node.code for node in breakdown.nodes}
    two_rounds = appraisal_rounds(assessment) == 2
    dataset = Dataset(
        headers=ROUNDS_HEADERS if two_rounds else BREAKDOWN_HEADERS,
        title=f"{assessment.unit.code} năm {assessment.year}",
    )
    stored = _score_values(assessment)
    for node in breakdown.nodes:
        values = stored.get(node.criterion_id, {})
        scores = [plain(node.self_score), plain(node.appraised_score)]
        if two_rounds:
            scores[1:] = _rounds_cells(node, values, assessment.appraisal_round == 2)
        dataset.append(
            [
                node.code,
                codes.get(node.parent_id),
                node.title,
                plain(node.tally.max_points),
                *scores,
                plain(_achieved(node)),
                plain(node.tally.deducted),
                _note(node, values),
            ]
        )
    if parts := breakdown.parts:
        dataset.append(_part_row(dataset.headers, ASSESSMENT_PART, parts.assessment))
        dataset.append(_part_row(dataset.headers, SURVEY_PART, parts.survey))
    unit = assessment.unit
    return ResultTable(
        dataset, title=f"Điểm từng tiêu chí năm {assessment.year} · {unit.name} ({unit.code})"
    )


def _note(node: NodeResult, values: dict) -> str:
    """The unit's note; a leaf that does not apply says so first, with Nội vụ's reason."""
    if not node.not_applicable:
        return node.note
    reason = values.get("not_applicable_reason")
    marked = f"Không áp dụng: {reason}" if reason else "Không áp dụng"
    return f"{marked}. {node.note}" if node.note else marked


def _score_values(assessment: Assessment) -> dict[int, dict]:
    return {
        row["criterion_id"]: row
        for row in Score.objects.filter(assessment=assessment)
        .values(
            "criterion_id",
            "first_round_score",
            "first_round_comment",
            "explanation_agrees",
            "explanation",
            "appraisal_comment",
            "not_applicable_reason",
        )
        .order_by()
    }


def _rounds_cells(node: NodeResult, values: dict, second_round: bool) -> list:
    """Round 1 (+ comment), the explanation, round 2 (+ comment). The appraised score is
    the round the sheet is in: round 1's kept apart once it went back for explanation."""
    appraised, comment = plain(node.appraised_score), values.get("appraisal_comment") or None
    if not second_round:
        return [appraised, comment, None, None, None, None]
    return [
        plain(values.get("first_round_score")),
        values.get("first_round_comment") or None,
        AGREES_TEXT[values.get("explanation_agrees")],
        values.get("explanation") or None,
        appraised,
        comment,
    ]


def _part_row(headers: list[str], title: str, tally: Tally) -> list:
    """A closing row for one of the two parts of the total, in the breakdown's columns."""
    cells = {
        "title": title,
        "max_points": plain(tally.max_points),
        "final_score": plain(tally.achieved),
        "deducted": plain(tally.deducted),
    }
    return [cells.get(header) for header in headers]


def _achieved(node: NodeResult) -> Decimal | None:
    """A parent's sum or a scored leaf's points; empty for a leaf nobody scored yet."""
    if node.is_leaf and node.score_basis is None:
        return None
    return node.tally.achieved


def render_csv(table: ResultTable) -> bytes:
    return inert_dataset(table.dataset).export("csv").encode(CSV_ENCODING)


def render_xlsx(table: ResultTable) -> bytes:
    dataset, fields = table.dataset, table.field_headers()
    columns = [
        XLSX_COLUMNS.get(header) or Column(fields[header], FIELD_WIDTH, POINTS_FORMAT)
        for header in dataset.headers
    ]
    return table_workbook(
        title=table.title, sheet_name=dataset.title, columns=columns, rows=dataset
    )


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx}
