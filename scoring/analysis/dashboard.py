"""A unit's dashboard: its fields, deductions, rank and trend over the years."""

from dataclasses import dataclass, field
from decimal import Decimal

from scoring.analysis.rankings import shared_ranks
from scoring.analysis.visibility import PUBLISHED, ranking_statuses
from scoring.engine import (
    AssessmentBreakdown,
    GroupRanking,
    NodeResult,
    RankingRow,
    Tally,
    assessment_breakdown,
    group_ranking,
)
from scoring.models import SETTLED_STATUSES, Assessment, Score, Unit


@dataclass(frozen=True)
class FieldRow:
    node: NodeResult
    prev: NodeResult | None

    @property
    def change(self) -> Decimal | None:
        if self.prev is None:
            return None
        return self.node.tally.achieved - self.prev.tally.achieved


@dataclass(frozen=True)
class TrendPoint:
    assessment: Assessment
    total: Tally
    rank: int | None
    group_size: int | None


@dataclass
class Dashboard:
    assessment: Assessment
    breakdown: AssessmentBreakdown
    prev_assessment: Assessment | None
    fields: list[FieldRow]
    ranking_row: RankingRow | None
    group_size: int
    ranking_published_only: bool
    rank_shared: bool = False  # another unit holds the same rank
    prev_total: Tally | None = None
    trend: list[TrendPoint] = field(default_factory=list)
    # The appraiser's comment on each deducted leaf that has one, by criterion id.
    comments: dict[int, str] = field(default_factory=dict)

    @property
    def score_change(self) -> Decimal | None:
        if self.prev_total is None:
            return None
        return self.breakdown.total.achieved - self.prev_total.achieved

    @property
    def rank_label(self) -> str:
        if self.ranking_row is None:
            return ""
        return f"{self.ranking_row.rank}/{self.group_size}"


def unit_assessments(unit: Unit) -> list[Assessment]:
    """The unit's assessments, newest year first."""
    return list(
        Assessment.objects.filter(unit=unit)
        .select_related("unit", "framework", "ranking_group")
        .order_by("-year")
    )


def unit_dashboard(user, assessment: Assessment, history: list[Assessment]) -> Dashboard:
    """One year of one unit: breakdown, last year per field, rank and the trend.

    `history` is `unit_assessments(unit)`. A unit user sees its own points in
    any status but ranks only among published results; Nội vụ sees ranks among
    whatever it may see of the group.
    """
    breakdown = assessment_breakdown(assessment)
    # Last year as a result: a sheet the unit never finished is nothing to compare with.
    prev = next(
        (a for a in history if a.year == assessment.year - 1 and a.status in SETTLED_STATUSES),
        None,
    )
    prev_fields, prev_total = {}, None
    if prev is not None:
        prev_breakdown = assessment_breakdown(prev)
        prev_fields = {node.code: node for node in prev_breakdown.fields}
        prev_total = prev_breakdown.total
    rankings = {a.year: _ranking_for(user, a) for a in history}
    ranking = rankings[assessment.year]
    row = _row_of(ranking, assessment)
    trend = [
        _trend_point(a, rankings[a.year], breakdown if a.pk == assessment.pk else None)
        for a in sorted(history, key=lambda a: a.year)
    ]
    return Dashboard(
        assessment=assessment,
        breakdown=breakdown,
        prev_assessment=prev,
        fields=[FieldRow(node, prev_fields.get(node.code)) for node in breakdown.fields],
        ranking_row=row,
        group_size=len(ranking.rows) if ranking else 0,
        rank_shared=row is not None and row.rank in shared_ranks(ranking),
        ranking_published_only=ranking is None or _published_only(user, assessment),
        prev_total=prev_total,
        trend=trend,
        comments=appraisal_comments(assessment, breakdown.deducted_leaves),
    )


def appraisal_comments(assessment: Assessment, leaves: list[NodeResult]) -> dict[int, str]:
    """What the appraiser wrote on each of `leaves`, where anything; one query."""
    return dict(
        Score.objects.filter(
            assessment=assessment, criterion_id__in=[leaf.criterion_id for leaf in leaves]
        )
        .exclude(appraisal_comment="")
        .values_list("criterion_id", "appraisal_comment")
    )


def _published_only(user, assessment: Assessment) -> bool:
    if assessment.ranking_group is None:
        return True
    return ranking_statuses(user, assessment.ranking_group, assessment.year) == PUBLISHED


def _ranking_for(user, assessment: Assessment) -> GroupRanking | None:
    group = assessment.ranking_group
    if group is None:
        return None
    return group_ranking(
        group, assessment.year, statuses=ranking_statuses(user, group, assessment.year)
    )


def _row_of(ranking: GroupRanking | None, assessment: Assessment) -> RankingRow | None:
    if ranking is None:
        return None
    return next((r for r in ranking.rows if r.assessment_id == assessment.pk), None)


def _trend_point(
    assessment: Assessment, ranking: GroupRanking | None, breakdown: AssessmentBreakdown | None
) -> TrendPoint:
    row = _row_of(ranking, assessment)
    # Years the viewer sees no ranking for still show the unit's own total.
    total = row.tally if row else (breakdown or assessment_breakdown(assessment)).total
    return TrendPoint(
        assessment=assessment,
        total=total,
        rank=row.rank if row else None,
        group_size=len(ranking.rows) if row and ranking else None,
    )
