"""A unit's dashboard: its fields, deductions, rank and trend over the years."""

from dataclasses import dataclass, field
from decimal import Decimal

from scoring.analysis.predecessors import PredecessorResult, predecessor_results
from scoring.analysis.visibility import PUBLISHED, ranking_statuses
from scoring.engine import (
    AssessmentBreakdown,
    NodeResult,
    Tally,
    UnitRank,
    assessment_breakdown,
    classify,
    unit_rank,
)
from scoring.models import SETTLED_STATUSES, Assessment, ClassificationBand, Score, Unit
from scoring.units.lineage import unit_lineage_label


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


@dataclass(frozen=True)
class PredecessorYear:
    """The results of a merged or split unit's predecessors in one year before its own."""

    year: int
    results: list[PredecessorResult]

    @property
    def mean_index(self) -> Decimal | None:
        """The trend chart's column for the year: the predecessors' indices averaged, as
        their totals are no one unit's total."""
        indices = [r.row.tally.index_pct for r in self.results if r.row.tally.index_pct is not None]
        return sum(indices) / len(indices) if indices else None


@dataclass
class Dashboard:
    assessment: Assessment
    breakdown: AssessmentBreakdown
    prev_assessment: Assessment | None
    fields: list[FieldRow]
    rank: UnitRank | None
    ranking_published_only: bool
    classification: str = ""
    prev_total: Tally | None = None
    trend: list[TrendPoint] = field(default_factory=list)
    # The appraiser's comment on each deducted leaf that has one, by criterion id.
    comments: dict[int, str] = field(default_factory=dict)
    # "đơn vị mới hợp nhất từ …" in the unit's first year of its own, instead of a change.
    lineage: str = ""
    # The predecessors' years before the unit's own, oldest first.
    predecessor_years: list[PredecessorYear] = field(default_factory=list)

    @property
    def score_change(self) -> Decimal | None:
        if self.prev_total is None:
            return None
        return self.breakdown.total.achieved - self.prev_total.achieved

    @property
    def rank_label(self) -> str:
        if self.rank is None:
            return ""
        return f"{self.rank.rank}/{self.rank.group_size}"


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
    whatever it may see of the group. Each year's rank is the unit's one row of
    its group's ranking, so the work does not grow with the group.
    """
    breakdowns = {assessment.pk: assessment_breakdown(assessment)}
    breakdown = breakdowns[assessment.pk]
    unit = assessment.unit
    # Last year as a result: a sheet the unit never finished is nothing to compare with,
    # nor a result from before the unit had results of its own.
    last_year = assessment.year - 1
    prev = next(
        (a for a in history if a.year == last_year and a.status in SETTLED_STATUSES),
        None,
    )
    if unit.formed_in is not None and last_year < unit.formed_in:
        prev = None
    prev_fields, prev_total = {}, None
    if prev is not None:
        breakdowns[prev.pk] = assessment_breakdown(prev)
        prev_fields = {node.code: node for node in breakdowns[prev.pk].fields}
        prev_total = breakdowns[prev.pk].total
    ranks = {a.pk: _rank_for(user, a) for a in history}
    rank = ranks[assessment.pk]
    return Dashboard(
        assessment=assessment,
        breakdown=breakdown,
        prev_assessment=prev,
        fields=[FieldRow(node, prev_fields.get(node.code)) for node in breakdown.fields],
        rank=rank,
        classification=_classification(assessment, rank),
        ranking_published_only=_published_only(user, assessment),
        prev_total=prev_total,
        trend=[
            _trend_point(a, ranks[a.pk], breakdowns.get(a.pk))
            for a in sorted(history, key=lambda a: a.year)
        ],
        comments=appraisal_comments(assessment, breakdown.deducted_leaves),
        lineage=unit_lineage_label(unit, assessment.year),
        predecessor_years=_predecessor_years(predecessor_results(user, unit)),
    )


def _predecessor_years(results: list[PredecessorResult]) -> list[PredecessorYear]:
    years = sorted({result.assessment.year for result in results})
    return [
        PredecessorYear(year, [r for r in results if r.assessment.year == year]) for year in years
    ]


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


def _rank_for(user, assessment: Assessment) -> UnitRank | None:
    group = assessment.ranking_group
    if group is None:
        return None
    return unit_rank(assessment, statuses=ranking_statuses(user, group, assessment.year))


def _classification(assessment: Assessment, rank: UnitRank | None) -> str:
    """The band the ranked points reach; nothing for a result the viewer sees no rank of."""
    if rank is None:
        return ""
    bands = ClassificationBand.objects.filter(group_id=assessment.ranking_group_id)
    return classify(rank.tally.index_pct, list(bands.order_by("-min_index")))


def _trend_point(
    assessment: Assessment, rank: UnitRank | None, breakdown: AssessmentBreakdown | None
) -> TrendPoint:
    # Years the viewer sees no ranking for still show the unit's own total.
    total = rank.tally if rank else (breakdown or assessment_breakdown(assessment)).total
    return TrendPoint(
        assessment=assessment,
        total=total,
        rank=rank.rank if rank else None,
        group_size=rank.group_size if rank else None,
    )
