"""Criterion analysis: deductions per criterion and field across a group, in one query."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import QuerySet

from scoring.access import assessments_in_scope
from scoring.analysis.visibility import SETTLED
from scoring.engine import (
    from_milli,
)
from scoring.models import (
    Assessment,
    Criterion,
    CriterionLink,
    RankingGroup,
    Score,
)

# One row per score of the chosen assessments, for the statement below. A leaf has at
# most one score per assessment; a leaf with none counts as 0 points (as in the
# engine's totals) and is added back from counts, as lost unless its max is 0. Written
# out where it is used rather than as a CTE: PostgreSQL would store a CTE used twice,
# 300,000 rows at the national scale.
SCORED = """
    SELECT s.assessment_id, s.criterion_id AS leaf_id,
        CASE WHEN s.not_applicable THEN 1 ELSE 0 END AS left_out,
        CASE WHEN s.not_applicable THEN 0 ELSE COALESCE(CAST(ROUND(
            COALESCE(s.appraised_score, s.self_score) * 1000) AS BIGINT), 0) END AS achieved_milli,
        CASE WHEN s.not_applicable THEN 0
            WHEN COALESCE(s.appraised_score, s.self_score, 0) < leaf.max_points THEN 1
            ELSE 0 END AS lost
    FROM {score} s JOIN {criterion} leaf ON leaf.id = s.criterion_id AND leaf.is_leaf
    WHERE s.assessment_id IN (SELECT id FROM chosen)
"""

# Deductions per leaf and per field (the page shows no other level) without
# COUNT(DISTINCT), which sorted every (assessment, leaf, ancestor) row on disk: a leaf
# has one score per assessment, so its counts are plain sums; a field's come from one
# row per (assessment, field) first.
ANALYSIS_SQL = """
WITH chosen AS (
    SELECT a.id, a.framework_id FROM {assessment} a WHERE a.id IN ({assessments})
),
uses AS (
    SELECT framework_id, COUNT(*) AS assessments FROM chosen GROUP BY framework_id
),
per_leaf AS (
    SELECT leaf_id, COUNT(*) AS scored, SUM(left_out) AS left_out,
        SUM(achieved_milli) AS achieved_milli, SUM(lost) AS lost
    FROM ({scored}) scored
    GROUP BY leaf_id
),
leaves AS (
    SELECT leaf.id AS node_id, uses.assessments - COALESCE(per_leaf.left_out, 0) AS units,
        (uses.assessments - COALESCE(per_leaf.left_out, 0))
            * CAST(ROUND(leaf.max_points * 1000) AS BIGINT)
            - COALESCE(per_leaf.achieved_milli, 0) AS deducted_milli,
        COALESCE(per_leaf.lost, 0) + CASE WHEN leaf.max_points > 0
            THEN uses.assessments - COALESCE(per_leaf.scored, 0) ELSE 0 END AS units_lost
    FROM {criterion} leaf
    JOIN uses ON uses.framework_id = leaf.framework_id
    LEFT JOIN per_leaf ON per_leaf.leaf_id = leaf.id
    WHERE leaf.is_leaf
),
-- The leaves under each field that is not itself a leaf, and how many can lose points.
field_leaves AS (
    SELECT link.ancestor_id AS field_id, link.descendant_id AS leaf_id,
        CASE WHEN leaf.max_points > 0 THEN 1 ELSE 0 END AS losable
    FROM {link} link
    JOIN {criterion} field ON field.id = link.ancestor_id AND field.depth = 0
    JOIN {criterion} leaf ON leaf.id = link.descendant_id AND leaf.is_leaf
    WHERE link.distance > 0
),
-- Each (assessment, field) with a score in it: whether every leaf there is left out,
-- whether one lost points, how many of its losable leaves have a score.
pairs AS (
    SELECT field_leaves.field_id, MIN(scored.left_out) AS left_out,
        MAX(scored.lost) AS lost, SUM(field_leaves.losable) AS losable_scored
    FROM ({scored}) scored JOIN field_leaves ON field_leaves.leaf_id = scored.leaf_id
    GROUP BY scored.assessment_id, field_leaves.field_id
),
-- An assessment with no score in a field counts there as applying and, where a leaf
-- there can lose points, as losing.
fields AS (
    SELECT counts.field_id AS node_id,
        uses.assessments - COALESCE(SUM(pairs.left_out), 0) AS units,
        COALESCE(SUM(CASE WHEN pairs.lost = 1 OR pairs.losable_scored < counts.losable
            THEN 1 ELSE 0 END), 0)
            + CASE WHEN counts.losable > 0 THEN uses.assessments - COUNT(pairs.field_id)
                ELSE 0 END AS units_lost
    FROM (
        SELECT field_id, SUM(losable) AS losable FROM field_leaves GROUP BY field_id
    ) counts
    JOIN {criterion} field ON field.id = counts.field_id
    JOIN uses ON uses.framework_id = field.framework_id
    LEFT JOIN pairs ON pairs.field_id = counts.field_id
    GROUP BY counts.field_id, counts.losable, uses.assessments
),
counted AS (
    SELECT node_id, units, units_lost FROM leaves
    UNION ALL
    SELECT node_id, units, units_lost FROM fields
),
deducted AS (
    SELECT link.ancestor_id AS node_id, SUM(leaves.deducted_milli) AS deducted_milli
    FROM {link} link JOIN leaves ON leaves.node_id = link.descendant_id
    GROUP BY link.ancestor_id
)
SELECT n.id, n.code, n.title, n.depth, n.is_leaf, deducted.deducted_milli,
    counted.units, counted.units_lost, CAST(ROUND(n.max_points * 1000) AS BIGINT)
FROM {criterion} n
JOIN counted ON counted.node_id = n.id
JOIN deducted ON deducted.node_id = n.id
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
    tables = {
        "assessment": Assessment._meta.db_table,
        "link": CriterionLink._meta.db_table,
        "criterion": Criterion._meta.db_table,
        "score": Score._meta.db_table,
    }
    scored = SCORED.format(**tables)
    return ANALYSIS_SQL.format(**tables, scored=scored, assessments=sub_sql), list(sub_params)


def group_losses(user, group: RankingGroup, year: int) -> GroupLosses:
    """Deducted points per field and per leaf criterion across the group's units.

    One statement: each leaf's loss comes from sums over its scores and is added to
    its field through the closure table. Points are summed in integer thousandths
    as the engine does.
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
