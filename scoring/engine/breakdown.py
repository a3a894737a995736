"""One assessment's framework tree with the points of every node (the sheet, the
dashboard, the plan and the appraisal record read it)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from scoring.engine.tallies import Parts, Tally, from_milli, parts_of, sum_tallies, survey_tally
from scoring.models import Assessment, Criterion, CriterionLink, CriterionSource, Score


@dataclass(frozen=True)
class NodeResult:
    criterion_id: int
    parent_id: int | None
    code: str
    title: str
    depth: int
    is_leaf: bool
    framework_max: Decimal
    tally: Tally
    unscored_leaves: int
    self_score: Decimal | None = None
    appraised_score: Decimal | None = None
    note: str = ""
    not_applicable: bool = False
    # The survey leaves' share of `tally`; None where no survey leaf is below.
    survey_tally: Tally | None = None

    @property
    def final_score(self) -> Decimal | None:
        return self.appraised_score if self.appraised_score is not None else self.self_score

    @property
    def score_basis(self) -> str | None:
        """Which score the final one is: "appraised", "self", or None when unscored."""
        if self.appraised_score is not None:
            return "appraised"
        if self.self_score is not None:
            return "self"
        return None


@dataclass(frozen=True)
class AssessmentBreakdown:
    assessment: Assessment
    nodes: list[NodeResult]
    total: Tally
    unscored_leaves: int
    appraised_leaves: int
    self_scored_leaves: int
    parts: Parts | None = None

    @property
    def fields(self) -> list[NodeResult]:
        return [node for node in self.nodes if node.depth == 0]

    @property
    def deducted_leaves(self) -> list[NodeResult]:
        """Leaves that lost points, the biggest loss first."""
        lost = [n for n in self.nodes if n.is_leaf and n.tally.deducted > 0]
        return sorted(lost, key=lambda n: (-n.tally.deducted, n.criterion_id))

    def node(self, code: str) -> NodeResult:
        return next(node for node in self.nodes if node.code == code)


BREAKDOWN_SQL = """
SELECT n.id, n.parent_id, n.code, n.title, n.depth, n.is_leaf,
    CAST(ROUND(n.max_points * 1000) AS BIGINT),
    rollup.own_self, rollup.own_appraised, rollup.own_note, rollup.own_not_applicable,
    rollup.max_milli, rollup.achieved_milli, rollup.unscored,
    rollup.survey_leaves, rollup.survey_max_milli, rollup.survey_achieved_milli
FROM {criterion} n
JOIN (
    SELECT link.ancestor_id,
        SUM(CASE WHEN s.not_applicable THEN 0
            ELSE CAST(ROUND(leaf.max_points * 1000) AS BIGINT) END) AS max_milli,
        COALESCE(SUM(CASE WHEN s.not_applicable THEN 0 ELSE
            CAST(ROUND(COALESCE(s.appraised_score, s.self_score) * 1000) AS BIGINT) END), 0)
            AS achieved_milli,
        SUM(CASE WHEN s.id IS NULL OR (NOT s.not_applicable
            AND s.self_score IS NULL AND s.appraised_score IS NULL) THEN 1 ELSE 0 END)
            AS unscored,
        SUM(CASE WHEN leaf.source = '{survey}' THEN 1 ELSE 0 END) AS survey_leaves,
        SUM(CASE WHEN leaf.source <> '{survey}' OR s.not_applicable THEN 0
            ELSE CAST(ROUND(leaf.max_points * 1000) AS BIGINT) END) AS survey_max_milli,
        COALESCE(SUM(CASE WHEN leaf.source <> '{survey}' OR s.not_applicable THEN 0 ELSE
            CAST(ROUND(COALESCE(s.appraised_score, s.self_score) * 1000) AS BIGINT) END), 0)
            AS survey_achieved_milli,
        -- A leaf's own score: the one row of its group at distance 0.
        MAX(CASE WHEN link.distance = 0
            THEN CAST(ROUND(s.self_score * 1000) AS BIGINT) END) AS own_self,
        MAX(CASE WHEN link.distance = 0
            THEN CAST(ROUND(s.appraised_score * 1000) AS BIGINT) END) AS own_appraised,
        MAX(CASE WHEN link.distance = 0 THEN s.note END) AS own_note,
        MAX(CASE WHEN link.distance = 0 AND s.not_applicable THEN 1 ELSE 0 END)
            AS own_not_applicable
    FROM {link} link
    JOIN {criterion} leaf ON leaf.id = link.descendant_id AND leaf.is_leaf
    LEFT JOIN {score} s ON s.criterion_id = leaf.id AND s.assessment_id = %s
    WHERE leaf.framework_id = %s
    GROUP BY link.ancestor_id
) rollup ON rollup.ancestor_id = n.id
ORDER BY n.sort_key
"""


def assessment_breakdown(assessment: Assessment) -> AssessmentBreakdown:
    """Every node of the assessment's framework with its points, in document order.

    One query: the roll-up of leaf scores to every node through the closure
    table, each leaf's own score being the row of its group at distance 0.
    """
    sql = BREAKDOWN_SQL.format(
        criterion=Criterion._meta.db_table,
        score=Score._meta.db_table,
        link=CriterionLink._meta.db_table,
        survey=CriterionSource.SURVEY,
    )
    params = [assessment.pk, assessment.framework_id]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        nodes = [_node_result(record) for record in cursor.fetchall()]
    roots = [node for node in nodes if node.depth == 0]
    leaves = [node for node in nodes if node.is_leaf and not node.not_applicable]
    total = sum_tallies([n.tally for n in roots])
    surveyed = [n.survey_tally for n in roots if n.survey_tally is not None]
    return AssessmentBreakdown(
        assessment=assessment,
        nodes=nodes,
        total=total,
        parts=parts_of(total, sum_tallies(surveyed) if surveyed else None),
        unscored_leaves=sum(n.unscored_leaves for n in roots),
        appraised_leaves=sum(1 for n in leaves if n.score_basis == "appraised"),
        self_scored_leaves=sum(1 for n in leaves if n.score_basis == "self"),
    )


def _node_result(record: tuple) -> NodeResult:
    (
        criterion_id,
        parent_id,
        code,
        title,
        depth,
        is_leaf,
        framework_max,
        self_score,
        appraised_score,
        note,
        not_applicable,
        max_milli,
        achieved_milli,
        unscored,
        *survey,
    ) = record
    return NodeResult(
        criterion_id=criterion_id,
        parent_id=parent_id,
        code=code,
        title=title,
        depth=depth,
        is_leaf=bool(is_leaf),
        framework_max=from_milli(framework_max),
        tally=Tally(from_milli(max_milli), from_milli(achieved_milli)),
        unscored_leaves=unscored,
        self_score=None if self_score is None else from_milli(self_score),
        appraised_score=None if appraised_score is None else from_milli(appraised_score),
        note=note or "",
        not_applicable=bool(not_applicable),
        survey_tally=survey_tally(*survey),
    )
