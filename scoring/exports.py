"""Result tables for files: a year's ranking by group, and one unit's breakdown.

Every number comes from `scoring.engine`; this module only lays the numbers out
as tablib Datasets, so the export command and (later) views render the same
tables. Cells hold Decimals written plainly for machines ("85.08", "11", "14.5":
decimal point, no thousands separator, no trailing zeros); xlsx keeps them as
numbers. Text cells go through `cchc.spreadsheets`, so a note such as
"=HYPERLINK(...)" opens as text, not as a live formula. CSV starts with a UTF-8
byte order mark so that Excel, which clerks open these files with, reads the
Vietnamese names; Python reads it with "utf-8-sig".
"""

from decimal import Decimal

from django.db.models import QuerySet
from tablib import Dataset

from cchc.formatting import PERCENT_PLACES, round_half_up
from cchc.spreadsheets import inert_dataset
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
    for ranking in rankings:
        for row in ranking.rows:
            dataset.append(_ranking_row(ranking, row, field_codes, with_parts=with_parts))
    return dataset


def part_points(parts: Parts | None) -> list[Decimal | None]:
    """The two parts' points for a table's part columns; empty where there is no survey part."""
    if parts is None:
        return [None, None]
    return [plain(parts.assessment.achieved), plain(parts.survey.achieved)]


def _ranking_row(
    ranking: GroupRanking, row: RankingRow, field_codes: list[str], *, with_parts: bool
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
        row.rank_change,
        None if row.prev_tally is None else plain(row.prev_tally.achieved),
        plain(row.score_change),
        row.classification,
        *(plain(row.field_points.get(code)) for code in field_codes),
    ]


def breakdown_dataset(assessment: Assessment) -> Dataset:
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
    return dataset


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


def render_csv(dataset: Dataset) -> bytes:
    return inert_dataset(dataset).export("csv").encode(CSV_ENCODING)


def render_xlsx(dataset: Dataset) -> bytes:
    return inert_dataset(dataset).export("xlsx")


RENDERERS = {"csv": render_csv, "xlsx": render_xlsx}
