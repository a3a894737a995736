"""Criterion analysis: deductions per criterion and field across a group, in one query."""

from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from scoring.access import assessments_in_scope
from scoring.analysis.visibility import SETTLED
from scoring.editions import edition_counterparts
from scoring.engine import from_milli
from scoring.models import Assessment, Criterion, FieldTally, Framework, RankingGroup, Score

# Deductions per leaf and per field (the page shows no other level) without
# COUNT(DISTINCT), which sorted every (assessment, leaf, ancestor) row on disk.
# A leaf has at most one score per assessment, so its counts are plain sums over its
# scores; a leaf with no score counts as 0 points (as in the engine's totals) and is
# added back from the number of assessments, as lost unless its max is 0. A field's
# come from its stored tally, one row per assessment: scores never exceed their max,
# so a field lost points exactly where its achieved is below its max. A field that is
# itself a leaf is counted as a field.
ANALYSIS_SQL = """
WITH chosen AS (
    SELECT a.id, a.framework_id FROM {assessment} a WHERE a.id IN ({assessments})
),
uses AS (
    SELECT framework_id, COUNT(*) AS assessments FROM chosen GROUP BY framework_id
),
per_leaf AS (
    SELECT s.criterion_id AS leaf_id, COUNT(*) AS scored,
        SUM(CASE WHEN s.not_applicable THEN 1 ELSE 0 END) AS left_out,
        SUM(CASE WHEN s.not_applicable THEN 0 ELSE COALESCE(CAST(ROUND(
            COALESCE(s.appraised_score, s.self_score) * 1000) AS BIGINT), 0) END)
            AS achieved_milli,
        SUM(CASE WHEN s.not_applicable THEN 0
            WHEN COALESCE(s.appraised_score, s.self_score, 0) < leaf.max_points THEN 1
            ELSE 0 END) AS lost
    FROM {score} s JOIN {criterion} leaf ON leaf.id = s.criterion_id
    WHERE s.assessment_id IN (SELECT id FROM chosen)
    GROUP BY s.criterion_id
),
counted AS (
    SELECT leaf.id AS node_id, uses.assessments - COALESCE(per_leaf.left_out, 0) AS units,
        (uses.assessments - COALESCE(per_leaf.left_out, 0))
            * CAST(ROUND(leaf.max_points * 1000) AS BIGINT)
            - COALESCE(per_leaf.achieved_milli, 0) AS deducted_milli,
        COALESCE(per_leaf.lost, 0) + CASE WHEN leaf.max_points > 0
            THEN uses.assessments - COALESCE(per_leaf.scored, 0) ELSE 0 END AS units_lost
    FROM {criterion} leaf
    JOIN uses ON uses.framework_id = leaf.framework_id
    LEFT JOIN per_leaf ON per_leaf.leaf_id = leaf.id
    WHERE leaf.is_leaf AND leaf.depth > 0
    UNION ALL
    SELECT t.field_id, SUM(CASE WHEN t.applicable_leaves > 0 THEN 1 ELSE 0 END),
        SUM(t.max_milli - t.achieved_milli),
        SUM(CASE WHEN t.achieved_milli < t.max_milli THEN 1 ELSE 0 END)
    FROM {field_tally} t
    WHERE t.assessment_id IN (SELECT id FROM chosen)
    GROUP BY t.field_id
)
SELECT n.id, n.code, n.title, n.depth, n.is_leaf, counted.deducted_milli,
    counted.units, counted.units_lost, CAST(ROUND(n.max_points * 1000) AS BIGINT)
FROM {criterion} n JOIN counted ON counted.node_id = n.id
WHERE counted.units > 0
ORDER BY n.sort_key
"""


@dataclass(frozen=True)
class LastYearLoss:
    """What the group lost last year at a criterion's counterparts (summed where it
    continues several); `codes` empty where it has no counterpart."""

    codes: tuple[str, ...]
    deducted: Decimal | None
    units: int

    @property
    def average(self) -> Decimal | None:
        if self.deducted is None or not self.units:
            return None
        return self.deducted / self.units


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
    last_year: LastYearLoss | None = None  # set by `with_last_year`

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


def analysis_statement(assessments: QuerySet[Assessment]) -> tuple[str, list]:
    """The SQL and parameters of `group_losses` over `assessments`."""
    sub_sql, sub_params = assessments.order_by().values("id").query.sql_with_params()
    sql = ANALYSIS_SQL.format(
        assessment=Assessment._meta.db_table,
        criterion=Criterion._meta.db_table,
        field_tally=FieldTally._meta.db_table,
        score=Score._meta.db_table,
        assessments=sub_sql,
    )
    return sql, list(sub_params)


def group_losses(user, group: RankingGroup, year: int) -> GroupLosses:
    """Deducted points per field and per leaf criterion across the group's units.

    One statement: each leaf's loss comes from sums over its scores, each field's
    from its stored tallies. Points are summed in integer thousandths as the engine
    does.
    """
    rows = _loss_rows(analysis_assessments(user, group, year))
    criteria = [row for row in rows if row.is_leaf and row.deducted > 0]
    criteria.sort(key=lambda row: (-row.deducted, -row.units_lost, row.code))
    units = max((row.units for row in rows if row.depth == 0), default=0)
    return GroupLosses(
        fields=[row for row in rows if row.depth == 0], criteria=criteria, assessments=units
    )


def with_last_year(
    losses: GroupLosses, user, group: RankingGroup, year: int, last_year: int
) -> GroupLosses:
    """`losses` of `year` with what the group lost in `last_year` at each row's
    counterparts (`scoring.editions.edition_counterparts` between the years' editions).

    One more analysis statement for the last year, whatever the number of criteria,
    and the editions' counterparts (two queries per pair of editions)."""
    now = analysis_assessments(user, group, year)
    then = analysis_assessments(user, group, last_year)
    previous_of = _counterparts(_frameworks(now), _frameworks(then))
    then_rows = {row.criterion_id: row for row in _loss_rows(then)}

    def added(row: LossRow) -> LossRow:
        found = [then_rows[pk] for pk in previous_of.get(row.criterion_id, ()) if pk in then_rows]
        if not found:
            return replace(row, last_year=LastYearLoss((), None, 0))
        deducted = sum((old.deducted for old in found), Decimal(0))
        units = max(old.units for old in found)
        return replace(row, last_year=LastYearLoss(tuple(o.code for o in found), deducted, units))

    return GroupLosses(
        fields=[added(row) for row in losses.fields],
        criteria=[added(row) for row in losses.criteria],
        assessments=losses.assessments,
    )


def _frameworks(assessments: QuerySet[Assessment]) -> list[Framework]:
    return list(Framework.objects.filter(pk__in=assessments.values("framework_id")))


def _counterparts(
    current: list[Framework], previous: list[Framework]
) -> dict[int, tuple[int, ...]]:
    """Criterion id of the current editions → its counterparts' ids in the previous ones."""
    previous_of: dict[int, tuple[int, ...]] = {}
    for new in current:
        for old in previous:
            if new.pk == old.pk:
                ids = Criterion.objects.filter(framework=new).values_list("id", flat=True)
                previous_of |= {pk: (pk,) for pk in ids}
            else:
                for pk, old_ids in edition_counterparts(new, old).previous_of.items():
                    previous_of[pk] = previous_of.get(pk, ()) + old_ids
    return previous_of


def _loss_rows(assessments: QuerySet[Assessment]) -> list[LossRow]:
    """The analysis statement's rows over `assessments`, every field and leaf scored."""
    sql, params = analysis_statement(assessments)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    return [
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
