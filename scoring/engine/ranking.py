"""A group's ranking in a year, with last year's rank and points per field, read from the
stored tallies (`scoring.engine.stored`)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from scoring.engine.tallies import Parts, Tally, from_milli, parts_of, survey_tally
from scoring.models import (
    SETTLED_STATUSES,
    Assessment,
    AssessmentTally,
    ClassificationBand,
    Criterion,
    FieldTally,
    RankingGroup,
    Unit,
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


# Every assessment of the group in `year`, and last year's of the groups its units
# were in then, with its stored totals and its rank within (year, group).
RANKED_CTE = """
WITH peers AS (
    SELECT a.id, a.unit_id, a.year, a.ranking_group_id, t.max_milli, t.achieved_milli,
        t.survey_leaves, t.survey_max_milli, t.survey_achieved_milli
    FROM {assessment} a
    JOIN {tally} t ON t.assessment_id = a.id
    WHERE {status_filter} (
        (a.year = %s AND a.ranking_group_id = %s)
        OR (a.year = %s AND a.status IN ({settled}) AND a.ranking_group_id IN (
            SELECT p.ranking_group_id
            FROM {assessment} p JOIN {assessment} c ON c.unit_id = p.unit_id
            WHERE p.year = %s AND c.year = %s AND c.ranking_group_id = %s {unit_filter}
        ))
    )
),
ranked AS (
    SELECT peers.*, RANK() OVER (
        PARTITION BY year, ranking_group_id
        ORDER BY CASE WHEN max_milli > 0
            THEN CAST(achieved_milli AS DOUBLE PRECISION) / max_milli END DESC NULLS LAST
    ) AS unit_rank,
    COUNT(*) OVER (PARTITION BY year, ranking_group_id) AS group_size
    FROM peers
)
"""

RANKING_SQL = (
    RANKED_CTE
    + """
SELECT cur.id, u.code, u.name, cur.unit_rank, cur.max_milli, cur.achieved_milli,
    prev.unit_rank, prev.max_milli, prev.achieved_milli,
    cur.survey_leaves, cur.survey_max_milli, cur.survey_achieved_milli
FROM ranked cur
JOIN {unit} u ON u.id = cur.unit_id
LEFT JOIN ranked prev ON prev.unit_id = cur.unit_id AND prev.year = %s
WHERE cur.year = %s
ORDER BY cur.unit_rank, u.code
"""
)

# One unit's row only: the group is still ranked in SQL, but only the unit's
# own rank, the group's size and last year's rank come back.
UNIT_RANK_SQL = (
    RANKED_CTE
    + """
SELECT cur.unit_rank, cur.group_size, prev.unit_rank, prev.max_milli, prev.achieved_milli
FROM ranked cur
LEFT JOIN ranked prev ON prev.unit_id = cur.unit_id AND prev.year = %s
WHERE cur.year = %s AND cur.id = %s
"""
)


def _ranked_sql(template: str, statuses: list[str] | None, unit_filter: str = "") -> tuple:
    status_filter = ""
    status_params: list = []
    if statuses:
        status_filter = f"a.status IN ({', '.join(['%s'] * len(statuses))}) AND"
        status_params = list(statuses)
    sql = template.format(
        assessment=Assessment._meta.db_table,
        tally=AssessmentTally._meta.db_table,
        unit=Unit._meta.db_table,
        status_filter=status_filter,
        unit_filter=unit_filter,
        # Last year's rank and points only from results that no longer move: a sheet
        # a unit never finished is no result to compare with.
        settled=", ".join(f"'{status}'" for status in SETTLED_STATUSES),
    )
    return sql, status_params


def _ranked_rows(group: RankingGroup, year: int, statuses: list[str] | None) -> list[RankingRow]:
    # Unit codes are unique and stable, so last year's row of the same unit is
    # the row of the same code.
    sql, status_params = _ranked_sql(RANKING_SQL, statuses)
    prev_year = year - 1
    params = [*status_params, year, group.pk, prev_year, prev_year, year, group.pk, prev_year, year]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        records = cursor.fetchall()
    return [_ranking_row(record) for record in records]


@dataclass(frozen=True)
class UnitRank:
    """One assessment's place in its group's ranking, as `group_ranking` gives it."""

    rank: int
    group_size: int
    prev_rank: int | None = None
    prev_tally: Tally | None = None

    @property
    def rank_change(self) -> int | None:
        """Places gained since last year: "tăng 20 bậc" is +20."""
        return None if self.prev_rank is None else self.prev_rank - self.rank


def unit_rank(assessment: Assessment, *, statuses: list[str] | None = None) -> UnitRank | None:
    """The assessment's rank in its group, the group's size and last year's rank, by the
    rules of `group_ranking` (same ties, same `statuses`) in one query that returns one
    row. None when the assessment has no group or is not among `statuses`."""
    group_id = assessment.ranking_group_id
    if group_id is None:
        return None
    # Last year only the unit's own group of then is ranked, not those of its peers.
    sql, status_params = _ranked_sql(UNIT_RANK_SQL, statuses, unit_filter="AND c.id = %s")
    year, prev_year = assessment.year, assessment.year - 1
    params = [
        *status_params,
        *(year, group_id, prev_year, prev_year, year, group_id, assessment.pk),
        *(prev_year, year, assessment.pk),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        record = cursor.fetchone()
    if record is None:
        return None
    rank, size, prev_rank, prev_max, prev_achieved = record
    prev_tally = (
        None if prev_rank is None else Tally(from_milli(prev_max), from_milli(prev_achieved))
    )
    return UnitRank(rank=rank, group_size=size, prev_rank=prev_rank, prev_tally=prev_tally)


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
        parts=parts_of(tally, survey_tally(*record[9:])),
    )


def _attach_field_points(rows: list[RankingRow]) -> list[str]:
    """Achieved points per field (top-level node) for every row, from the stored field
    tallies; returns the field codes."""
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
    field_rows = FieldTally.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "field__code", "field__max_points", "max_milli", "achieved_milli"
    )
    for assessment_id, code, framework_max, max_milli, achieved_milli in field_rows:
        row = by_id[assessment_id]
        row.field_points[code] = from_milli(achieved_milli)
        own_max = from_milli(max_milli)
        if own_max != framework_max:
            row.field_own_max[code] = own_max
    return codes
