"""Selectors for dashboards, rankings, analyses and comparisons.

Points, deductions, index and ranks come from `scoring.engine`; this module
picks which assessments a viewer may see, puts engine results side by side
(this year against last, one framework edition against another) and runs the
one cross-unit aggregate the engine has no function for: deductions per
criterion across a group. Every query count here is fixed whatever the number
of units.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Count, DateField, Max, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThan

from scoring.access import assessments_in_scope, is_home_affairs, units_in_scope
from scoring.engine import (
    AssessmentBreakdown,
    GroupRanking,
    NodeResult,
    RankingRow,
    Tally,
    assessment_breakdown,
    from_milli,
    group_ranking,
)
from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Criterion,
    CriterionLink,
    RankingGroup,
    Score,
    ScoringCalendar,
    Unit,
)

PUBLISHED = [AssessmentStatus.PUBLISHED]
# Criterion analysis reads points that no longer move: appraised or published.
SETTLED = [AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED]


# --- Who sees which ranking ---------------------------------------------------


def ranking_statuses(user, group: RankingGroup, year: int) -> list[str] | None:
    """None (every status) for Nội vụ whose scope covers the whole group that year,
    else published results only."""
    if not is_home_affairs(user):
        return PUBLISHED
    outside = (
        Assessment.objects.filter(year=year, ranking_group=group)
        .exclude(unit__in=units_in_scope(user))
        .exists()
    )
    return PUBLISHED if outside else None


def ranking_groups_for_user(user) -> QuerySet[RankingGroup]:
    """Groups whose ranking the user may open in some year."""
    if is_home_affairs(user):
        assessments = assessments_in_scope(user)
    else:
        groups = assessments_in_scope(user).values("ranking_group")
        assessments = Assessment.objects.filter(ranking_group__in=groups, status__in=PUBLISHED)
    return RankingGroup.objects.filter(assessments__in=assessments).distinct().order_by("name")


def ranking_years(user, group: RankingGroup) -> list[int]:
    assessments = Assessment.objects.filter(ranking_group=group)
    if not is_home_affairs(user):
        assessments = assessments.filter(status__in=PUBLISHED)
    else:
        assessments = assessments.filter(unit__in=units_in_scope(user))
    return sorted(set(assessments.values_list("year", flat=True)), reverse=True)


# --- Unit dashboard -----------------------------------------------------------


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
    prev = next((a for a in history if a.year == assessment.year - 1), None)
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


# --- Ranking ------------------------------------------------------------------

SORTS = {
    "hang": lambda row: (row.rank, row.unit_code),
    "don-vi": lambda row: (row.unit_name.casefold(), row.unit_code),
    "tong": lambda row: (-row.tally.achieved, row.unit_code),
    "chi-so": lambda row: (-(row.tally.index_pct or Decimal(-1)), row.unit_code),
    "bi-tru": lambda row: (-row.tally.deducted, row.unit_code),
    "thay-doi": lambda row: (
        row.rank_change is None,
        -(row.rank_change or 0),
        row.rank,
    ),
}
FIELD_SORT = "linh-vuc-"


def sorted_rows(ranking: GroupRanking, sort: str) -> tuple[list[RankingRow], str]:
    """The rows in the order asked for (?sort=), and the key actually used."""
    if sort.startswith(FIELD_SORT) and sort[len(FIELD_SORT) :] in ranking.field_codes:
        code = sort[len(FIELD_SORT) :]
        key = lambda row: (-row.field_points.get(code, Decimal(0)), row.unit_code)  # noqa: E731
        return sorted(ranking.rows, key=key), sort
    if sort not in SORTS:
        sort = "hang"
    return sorted(ranking.rows, key=SORTS[sort]), sort


@dataclass(frozen=True)
class FieldHeading:
    """A field column of the ranking: its code, title and max (None where editions differ)."""

    code: str
    title: str
    max_points: Decimal | None


def ranking_fields(ranking: GroupRanking) -> list[FieldHeading]:
    """The ranking's field columns, in order, with what a reader needs to read them."""
    ids = [row.assessment_id for row in ranking.rows]
    found: dict[str, list[tuple[str, Decimal]]] = {}
    fields = (
        Criterion.objects.filter(depth=0, framework__assessments__id__in=ids)
        .values_list("code", "title", "max_points")
        .distinct()
    )
    for code, title, max_points in fields:
        found.setdefault(code, []).append((title, max_points))
    headings = []
    for code in ranking.field_codes:
        editions = found.get(code, [])
        maxima = {max_points for _, max_points in editions}
        title = editions[0][0] if editions else ""
        headings.append(FieldHeading(code, title, maxima.pop() if len(maxima) == 1 else None))
    return headings


def shared_ranks(ranking: GroupRanking) -> set[int]:
    """Ranks held by more than one unit."""
    seen: dict[int, int] = {}
    for row in ranking.rows:
        seen[row.rank] = seen.get(row.rank, 0) + 1
    return {rank for rank, count in seen.items() if count > 1}


# --- Home: the cycle at a glance ----------------------------------------------


@dataclass
class CycleSummary:
    year: int | None
    counts: dict[str, int]
    total: int
    calendar: ScoringCalendar | None
    overdue: list[Assessment]
    overdue_count: int
    groups: list[RankingGroup]

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        return [
            (value, label, self.counts.get(value, 0)) for value, label in AssessmentStatus.choices
        ]


def cycle_summary(user, today: date, *, overdue_limit: int = 50) -> CycleSummary:
    """Counts by status for the latest year in scope and the ones past a deadline."""
    scope = assessments_in_scope(user)
    year = scope.aggregate(latest=Max("year"))["latest"]
    if year is None:
        return CycleSummary(None, {}, 0, None, [], 0, [])
    of_year = scope.filter(year=year)
    counts = dict(of_year.values_list("status").annotate(n=Count("id")).order_by())
    calendar = ScoringCalendar.objects.filter(year=year).first()
    overdue_filter = _overdue_filter(calendar, today)
    overdue_qs = of_year.none() if overdue_filter is None else of_year.filter(overdue_filter)
    overdue = list(overdue_qs.select_related("unit").order_by("unit__code")[:overdue_limit])
    overdue_count = len(overdue) if len(overdue) < overdue_limit else overdue_qs.count()
    # Every group in scope with its own latest year: an administrator's provinces
    # need not be in the same cycle, and the counts above are only the latest's.
    groups = list(
        RankingGroup.objects.filter(assessments__in=scope)
        .annotate(latest_year=Max("assessments__year"))
        .order_by("-latest_year", "name")
    )
    return CycleSummary(
        year=year,
        counts={status: counts.get(status, 0) for status in AssessmentStatus.values},
        total=sum(counts.values()),
        calendar=calendar,
        overdue=overdue,
        overdue_count=overdue_count,
        groups=groups,
    )


def _overdue_filter(calendar: ScoringCalendar | None, today: date) -> Q | None:
    """Still in self-assessment after its deadline, or not yet appraised after that one."""
    if calendar is None:
        return None
    condition = Q(pk__in=[])
    if today > calendar.self_assessment_closes:
        # A unit Nội vụ gave its own later deadline ("Gia hạn") is late only after that.
        extended = AssessmentEvent.objects.filter(
            assessment_id=OuterRef("pk"), action=AssessmentEvent.Action.EXTEND
        ).order_by("-at", "-id")
        closes = Coalesce(
            Subquery(extended.values("deadline")[:1]),
            Value(calendar.self_assessment_closes, output_field=DateField()),
        )
        condition |= Q(status=AssessmentStatus.DRAFT) & Q(
            LessThan(closes, Value(today, output_field=DateField()))
        )
    if today > calendar.appraisal_closes:
        condition |= Q(status=AssessmentStatus.SUBMITTED)
    return condition


def is_overdue(assessment: Assessment, calendar: ScoringCalendar | None, today: date) -> bool:
    condition = _overdue_filter(calendar, today)
    if condition is None:
        return False
    if assessment.status == AssessmentStatus.DRAFT:
        return today > calendar.self_assessment_closes
    if assessment.status == AssessmentStatus.SUBMITTED:
        return today > calendar.appraisal_closes
    return False


# --- Criterion analysis -------------------------------------------------------

ANALYSIS_SQL = """
SELECT n.id, n.code, n.title, n.depth, n.is_leaf,
    SUM(CASE WHEN s.not_applicable THEN 0 ELSE CAST(ROUND(leaf.max_points * 1000) AS BIGINT)
        - COALESCE(CAST(ROUND(COALESCE(s.appraised_score, s.self_score) * 1000) AS BIGINT), 0)
        END) AS deducted_milli,
    COUNT(DISTINCT CASE WHEN s.not_applicable THEN NULL ELSE a.id END) AS units,
    COUNT(DISTINCT CASE WHEN s.not_applicable THEN NULL
        WHEN COALESCE(s.appraised_score, s.self_score, 0) < leaf.max_points THEN a.id END)
        AS units_lost,
    CAST(ROUND(n.max_points * 1000) AS BIGINT) AS max_milli
FROM {assessment} a
JOIN {criterion} leaf ON leaf.framework_id = a.framework_id AND leaf.is_leaf
JOIN {link} link ON link.descendant_id = leaf.id
JOIN {criterion} n ON n.id = link.ancestor_id
-- A leaf with no score row counts as 0 points, as in the engine's totals.
LEFT JOIN {score} s ON s.criterion_id = leaf.id AND s.assessment_id = a.id
WHERE a.id IN ({assessments})
GROUP BY n.id, n.code, n.title, n.depth, n.is_leaf, n.sort_key, n.max_points
HAVING COUNT(DISTINCT CASE WHEN s.not_applicable THEN NULL ELSE a.id END) > 0
ORDER BY n.sort_key
"""


@dataclass(frozen=True)
class LossRow:
    """Points lost at one criterion (or field) across the units of a group."""

    criterion_id: int
    code: str
    title: str
    depth: int
    is_leaf: bool
    deducted: Decimal
    units: int
    units_lost: int
    max_points: Decimal  # the framework's max of this node, for one unit

    @property
    def average(self) -> Decimal:
        """Average deducted over the units scored on this criterion."""
        return self.deducted / self.units if self.units else Decimal(0)


@dataclass
class GroupLosses:
    fields: list[LossRow]
    criteria: list[LossRow]
    assessments: int


def analysis_assessments(user, group: RankingGroup, year: int) -> QuerySet[Assessment]:
    return assessments_in_scope(user).filter(ranking_group=group, year=year, status__in=SETTLED)


def group_losses(user, group: RankingGroup, year: int) -> GroupLosses:
    """Deducted points per field and per leaf criterion across the group's units.

    One aggregate through the closure table: every leaf's loss is added to each
    of its ancestors, so fields and criteria come from the same GROUP BY.
    Points are summed in integer thousandths as the engine does.
    """
    assessments = analysis_assessments(user, group, year)
    sub_sql, sub_params = assessments.values("id").query.sql_with_params()
    sql = ANALYSIS_SQL.format(
        assessment=Assessment._meta.db_table,
        link=CriterionLink._meta.db_table,
        criterion=Criterion._meta.db_table,
        score=Score._meta.db_table,
        assessments=sub_sql,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, sub_params)
        records = cursor.fetchall()
    rows = [
        LossRow(
            criterion_id=pk,
            code=code,
            title=title,
            depth=depth,
            is_leaf=bool(is_leaf),
            deducted=from_milli(deducted),
            units=units,
            units_lost=units_lost,
            max_points=from_milli(max_milli),
        )
        for pk, code, title, depth, is_leaf, deducted, units, units_lost, max_milli in records
    ]
    criteria = [row for row in rows if row.is_leaf and row.deducted > 0]
    criteria.sort(key=lambda row: (-row.deducted, -row.units_lost, row.code))
    units = max((row.units for row in rows if row.depth == 0), default=0)
    return GroupLosses(
        fields=[row for row in rows if row.depth == 0], criteria=criteria, assessments=units
    )


# --- Year comparison across framework editions --------------------------------


@dataclass(frozen=True)
class ComparedNode:
    current: NodeResult | None
    other: NodeResult | None

    @property
    def code(self) -> str:
        return (self.current or self.other).code

    @property
    def same_max(self) -> bool:
        return (
            self.current is not None
            and self.other is not None
            and self.current.framework_max == self.other.framework_max
        )

    @property
    def change(self) -> Decimal | None:
        if self.current is None or self.other is None:
            return None
        return self.current.tally.achieved - self.other.tally.achieved

    @property
    def index_change(self) -> Decimal | None:
        if self.current is None or self.other is None:
            return None
        return index_change(self.current.tally, self.other.tally)


@dataclass
class Comparison:
    current: AssessmentBreakdown
    other: AssessmentBreakdown
    same_framework: bool
    fields: list[ComparedNode]
    criteria: list[ComparedNode]
    unmatched_current: list[NodeResult]
    unmatched_other: list[NodeResult]

    @property
    def total_change(self) -> Decimal:
        return self.current.total.achieved - self.other.total.achieved

    @property
    def index_change(self) -> Decimal | None:
        return index_change(self.current.total, self.other.total)


def index_change(now: Tally, then: Tally) -> Decimal | None:
    """Change of the % achieved, in percentage points: the fair comparison where the max changed."""
    if now.index_pct is None or then.index_pct is None:
        return None
    return now.index_pct - then.index_pct


def compare_years(current: Assessment, other: Assessment) -> Comparison:
    """Two years of one unit, criteria matched by code; fields always compared."""
    now, then = assessment_breakdown(current), assessment_breakdown(other)
    then_by_code = {node.code: node for node in then.nodes}
    now_codes = {node.code for node in now.nodes}
    fields = [ComparedNode(node, then_by_code.get(node.code)) for node in now.fields]
    fields += [ComparedNode(None, node) for node in then.fields if node.code not in now_codes]
    criteria = [
        ComparedNode(node, then_by_code[node.code])
        for node in now.nodes
        if node.depth > 0 and node.code in then_by_code
    ]
    return Comparison(
        current=now,
        other=then,
        same_framework=current.framework_id == other.framework_id,
        fields=fields,
        criteria=criteria,
        unmatched_current=[n for n in now.nodes if n.depth > 0 and n.code not in then_by_code],
        unmatched_other=[n for n in then.nodes if n.depth > 0 and n.code not in now_codes],
    )
