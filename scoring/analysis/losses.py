"""Criterion analysis: deductions per criterion across a group, in one query."""

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
