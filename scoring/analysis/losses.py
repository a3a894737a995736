"""Criterion analysis: deductions per criterion and field across a group, in one query."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from scoring.access import assessments_in_scope
from scoring.analysis.visibility import SETTLED
from scoring.engine import from_milli
from scoring.models import Assessment, Criterion, FieldTally, RankingGroup, Score

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
    sql, params = analysis_statement(analysis_assessments(user, group, year))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
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
