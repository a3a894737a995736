"""The scoring engine: the one place that computes points, deductions, index and rank.

Views, admin, exports and PDFs call these functions and never add points up
themselves. The sums, ranks and the previous-year join run in the database, so
the number of queries is fixed whatever the number of units or criteria.

Exactness: sums are taken in integer thousandths of a point ("milli-points"),
which is exact on both SQLite (whose decimals are floats) and PostgreSQL, since
points carry at most three decimals. Ranks order by achieved/max computed as a
double from those exact integers: IEEE division is correctly rounded, so two
equal fractions give the same double (a true tie) and two different ones with
denominators below 10^7 milli-points differ by far more than one rounding step
(their order is kept). Everything a person or a file reads is Decimal.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import (
    BigIntegerField,
    Case,
    DecimalField,
    F,
    FilteredRelation,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round

from scoring.models import (
    Assessment,
    ClassificationBand,
    Criterion,
    CriterionLink,
    CriterionSource,
    RankingGroup,
    Score,
    Unit,
)

MILLI = 1000
HUNDRED = Decimal(100)


def milli(expression) -> Cast:
    """Points as an exact integer number of thousandths, in SQL."""
    scaled = expression * Value(Decimal(MILLI), output_field=DecimalField())
    return Cast(Round(scaled), BigIntegerField())


def final_score_expression(prefix: str = "") -> Coalesce:
    """The appraised score where there is one, else the self score."""
    return Coalesce(F(f"{prefix}appraised_score"), F(f"{prefix}self_score"))


def from_milli(value: int | None) -> Decimal:
    return Decimal(value or 0).scaleb(-3)


@dataclass(frozen=True)
class Tally:
    """Max and achieved points of a node, a field or a whole assessment.

    `max_points` leaves out not-applicable leaves, so index % is on what applies.
    """

    max_points: Decimal
    achieved: Decimal

    @property
    def deducted(self) -> Decimal:
        return self.max_points - self.achieved

    @property
    def index_pct(self) -> Decimal | None:
        if not self.max_points:
            return None
        return self.achieved * HUNDRED / self.max_points

    def __sub__(self, other: "Tally") -> "Tally":
        return Tally(self.max_points - other.max_points, self.achieved - other.achieved)


@dataclass(frozen=True)
class Parts:
    """A total in the two parts the provinces publish apart: "điểm thẩm định các lĩnh
    vực" (leaves whose source is assessment) and "điểm điều tra xã hội học" (survey)."""

    assessment: Tally
    survey: Tally


def parts_of(total: Tally, survey: Tally | None) -> Parts | None:
    """None for a framework with no survey leaf: it has no survey part to show."""
    return None if survey is None else Parts(assessment=total - survey, survey=survey)


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
    total = _sum_tallies([n.tally for n in roots])
    surveyed = [n.survey_tally for n in roots if n.survey_tally is not None]
    return AssessmentBreakdown(
        assessment=assessment,
        nodes=nodes,
        total=total,
        parts=parts_of(total, _sum_tallies(surveyed) if surveyed else None),
        unscored_leaves=sum(n.unscored_leaves for n in roots),
        appraised_leaves=sum(1 for n in leaves if n.score_basis == "appraised"),
        self_scored_leaves=sum(1 for n in leaves if n.score_basis == "self"),
    )


def _sum_tallies(tallies: list[Tally]) -> Tally:
    return Tally(
        sum((t.max_points for t in tallies), Decimal(0)),
        sum((t.achieved for t in tallies), Decimal(0)),
    )


def _survey_tally(leaves: int, max_milli: int | None, achieved_milli: int | None) -> Tally | None:
    return Tally(from_milli(max_milli), from_milli(achieved_milli)) if leaves else None


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
        survey_tally=_survey_tally(*survey),
    )


@dataclass
class RankingRow:
    assessment_id: int
    unit_code: str
    unit_name: str
    rank: int
    tally: Tally
    prev_rank: int | None = None
    prev_tally: Tally | None = None
    classification: str = ""
    field_points: dict[str, Decimal] = field(default_factory=dict)
    parts: Parts | None = None
    # A field's max for this unit, only where it is below the framework's (leaves that
    # do not apply): a column header shared by many units shows the framework's.
    field_own_max: dict[str, Decimal] = field(default_factory=dict)

    @property
    def rank_change(self) -> int | None:
        """Places gained since last year: "tăng 20 bậc" is +20."""
        return None if self.prev_rank is None else self.prev_rank - self.rank

    @property
    def score_change(self) -> Decimal | None:
        return None if self.prev_tally is None else self.tally.achieved - self.prev_tally.achieved


@dataclass
class GroupRanking:
    group: RankingGroup
    year: int
    rows: list[RankingRow]
    field_codes: list[str]

    @property
    def has_parts(self) -> bool:
        """Whether any row has a survey part, so a table shows the two parts' columns."""
        return any(row.parts for row in self.rows)


def group_ranking(
    group: RankingGroup,
    year: int,
    *,
    statuses: list[str] | None = None,
    with_fields: bool = False,
) -> GroupRanking:
    """The units of a khối in a year, best index first, ties sharing a rank (1, 2, 2, 4).

    Each row carries last year's rank and points, matched by unit code and taken
    from last year's ranking of whatever group the unit was in then. `statuses`
    limits both years to assessments in those states (e.g. published only).
    """
    rows = _ranked_rows(group, year, statuses)
    bands = list(ClassificationBand.objects.filter(group=group).order_by("-min_index"))
    for row in rows:
        row.classification = classify(row.tally.index_pct, bands)
    field_codes: list[str] = []
    if with_fields and rows:
        field_codes = _attach_field_points(rows)
    return GroupRanking(group=group, year=year, rows=rows, field_codes=field_codes)


def classify(index_pct: Decimal | None, bands: list[ClassificationBand]) -> str:
    """The label of the highest band the index reaches; bands sorted highest first."""
    if index_pct is None:
        return ""
    return next((band.label for band in bands if index_pct >= band.min_index), "")


RANKING_SQL = """
WITH framework_max AS (
    SELECT framework_id, SUM(CAST(ROUND(max_points * 1000) AS BIGINT)) AS max_milli,
        SUM(CASE WHEN source = '{survey}' THEN 1 ELSE 0 END) AS survey_leaves,
        SUM(CASE WHEN source = '{survey}' THEN CAST(ROUND(max_points * 1000) AS BIGINT)
            ELSE 0 END) AS survey_max_milli
    FROM {criterion}
    WHERE is_leaf
    GROUP BY framework_id
),
peers AS (
    SELECT a.id, a.unit_id, a.year, a.ranking_group_id, a.framework_id
    FROM {assessment} a
    WHERE {status_filter} (
        (a.year = %s AND a.ranking_group_id = %s)
        OR (a.year = %s AND a.ranking_group_id IN (
            SELECT p.ranking_group_id
            FROM {assessment} p JOIN {assessment} c ON c.unit_id = p.unit_id
            WHERE p.year = %s AND c.year = %s AND c.ranking_group_id = %s
        ))
    )
),
totals AS (
    SELECT peers.id, peers.unit_id, peers.year, peers.ranking_group_id,
        fm.max_milli - COALESCE(SUM(CASE WHEN s.not_applicable
            THEN CAST(ROUND(c.max_points * 1000) AS BIGINT) ELSE 0 END), 0) AS max_milli,
        COALESCE(SUM(CASE WHEN s.not_applicable THEN 0 ELSE
            CAST(ROUND(COALESCE(s.appraised_score, s.self_score) * 1000) AS BIGINT) END), 0)
            AS achieved_milli,
        fm.survey_leaves,
        fm.survey_max_milli - COALESCE(SUM(CASE WHEN s.not_applicable AND c.source = '{survey}'
            THEN CAST(ROUND(c.max_points * 1000) AS BIGINT) ELSE 0 END), 0) AS survey_max_milli,
        COALESCE(SUM(CASE WHEN s.not_applicable OR c.source <> '{survey}' THEN 0 ELSE
            CAST(ROUND(COALESCE(s.appraised_score, s.self_score) * 1000) AS BIGINT) END), 0)
            AS survey_achieved_milli
    FROM peers
    JOIN framework_max fm ON fm.framework_id = peers.framework_id
    LEFT JOIN {score} s ON s.assessment_id = peers.id
    LEFT JOIN {criterion} c ON c.id = s.criterion_id
    GROUP BY peers.id, peers.unit_id, peers.year, peers.ranking_group_id, fm.max_milli,
        fm.survey_leaves, fm.survey_max_milli
),
ranked AS (
    SELECT totals.*, RANK() OVER (
        PARTITION BY year, ranking_group_id
        ORDER BY CASE WHEN max_milli > 0
            THEN CAST(achieved_milli AS DOUBLE PRECISION) / max_milli END DESC NULLS LAST
    ) AS unit_rank
    FROM totals
)
SELECT cur.id, u.code, u.name, cur.unit_rank, cur.max_milli, cur.achieved_milli,
    prev.unit_rank, prev.max_milli, prev.achieved_milli,
    cur.survey_leaves, cur.survey_max_milli, cur.survey_achieved_milli
FROM ranked cur
JOIN {unit} u ON u.id = cur.unit_id
LEFT JOIN ranked prev ON prev.unit_id = cur.unit_id AND prev.year = %s
WHERE cur.year = %s
ORDER BY cur.unit_rank, u.code
"""


def _ranked_rows(group: RankingGroup, year: int, statuses: list[str] | None) -> list[RankingRow]:
    # Unit codes are unique and stable, so last year's row of the same unit is
    # the row of the same code.
    status_filter = ""
    status_params: list = []
    if statuses:
        status_filter = f"a.status IN ({', '.join(['%s'] * len(statuses))}) AND"
        status_params = list(statuses)
    sql = RANKING_SQL.format(
        criterion=Criterion._meta.db_table,
        assessment=Assessment._meta.db_table,
        score=Score._meta.db_table,
        unit=Unit._meta.db_table,
        status_filter=status_filter,
        survey=CriterionSource.SURVEY,
    )
    prev_year = year - 1
    params = [*status_params, year, group.pk, prev_year, prev_year, year, group.pk, prev_year, year]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    return [_ranking_row(record) for record in records]


def _ranking_row(record: tuple) -> RankingRow:
    assessment_id, code, name, rank, max_milli, achieved_milli = record[:6]
    prev_rank, prev_max, prev_achieved = record[6:9]
    tally = Tally(from_milli(max_milli), from_milli(achieved_milli))
    return RankingRow(
        assessment_id=assessment_id,
        unit_code=code,
        unit_name=name,
        rank=rank,
        tally=tally,
        prev_rank=prev_rank,
        prev_tally=(
            None if prev_rank is None else Tally(from_milli(prev_max), from_milli(prev_achieved))
        ),
        parts=parts_of(tally, _survey_tally(*record[9:])),
    )


def _attach_field_points(rows: list[RankingRow]) -> list[str]:
    """Achieved points per field (top-level node) for every row; returns the field codes."""
    by_id = {row.assessment_id: row for row in rows}
    ids = list(by_id)
    codes = list(
        Criterion.objects.filter(depth=0, framework__assessments__id__in=ids)
        .order_by("sort_key", "code")
        .values_list("code", flat=True)
        .distinct()
    )
    for row in rows:
        row.field_points = dict.fromkeys(codes, Decimal(0))
    not_applicable = Q(leaf_score__not_applicable=True)
    field_rows = (
        CriterionLink.objects.filter(ancestor__depth=0)
        .annotate(
            leaf_score=FilteredRelation(
                "descendant__scores", condition=Q(descendant__scores__assessment_id__in=ids)
            )
        )
        .filter(leaf_score__id__isnull=False)
        .values("leaf_score__assessment_id", "ancestor__code", "ancestor__max_points")
        .annotate(
            achieved_milli=Sum(
                Case(When(~not_applicable, then=milli(final_score_expression("leaf_score__"))))
            ),
            left_out_milli=Sum(Case(When(not_applicable, then=milli(F("descendant__max_points"))))),
        )
        .order_by()
    )
    for record in field_rows:
        row = by_id[record["leaf_score__assessment_id"]]
        code = record["ancestor__code"]
        row.field_points[code] = from_milli(record["achieved_milli"])
        if record["left_out_milli"]:
            own_max = record["ancestor__max_points"] - from_milli(record["left_out_milli"])
            row.field_own_max[code] = own_max
    return codes
