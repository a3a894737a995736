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
    # Whether another unit of the khối holds the same rank ("đồng hạng").
    tied: bool = False

    @property
    def rank_change(self) -> int | None:
        """Places gained since last year: "tăng 20 bậc" is +20."""
        return None if self.prev_rank is None else self.prev_rank - self.rank

    @property
    def score_change(self) -> Decimal | None:
        return None if self.prev_tally is None else self.tally.achieved - self.prev_tally.achieved


@dataclass(frozen=True)
class RankingOrder:
    """How a listing is ordered: one of ORDERS, and for "field" the field's code."""

    key: str = "rank"
    field_code: str = ""


BY_RANK = RankingOrder()


@dataclass(kw_only=True)
class RankingHead:
    """What a ranking's table needs before its rows: its field columns (`field_codes`,
    each edition's title and max of them in `field_editions`) and whether it shows the two
    parts."""

    group: RankingGroup
    year: int
    field_codes: list[str] = field(default_factory=list)
    # (code, title, max points) of each framework edition's field, in the field's order.
    field_editions: list[tuple[str, str, Decimal]] = field(default_factory=list)
    # Whether any unit of the khối has a survey part, so a table shows the parts' columns.
    has_parts: bool = False
    order: RankingOrder = BY_RANK


@dataclass(kw_only=True)
class GroupRanking(RankingHead):
    rows: list[RankingRow]


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

# One unit's row only: the group is still ranked in SQL, but only the unit's
# own rank and points, the group's size, how many hold that rank and last year's
# rank come back.
UNIT_RANK_SQL = (
    RANKED_CTE
    + """
SELECT cur.unit_rank, cur.group_size, prev.unit_rank, prev.max_milli, prev.achieved_milli,
    cur.max_milli, cur.achieved_milli,
    (SELECT COUNT(*) FROM ranked tie WHERE tie.year = cur.year
        AND tie.ranking_group_id = cur.ranking_group_id AND tie.unit_rank = cur.unit_rank)
FROM ranked cur
LEFT JOIN ranked prev ON prev.unit_id = cur.unit_id AND prev.year = %s
    AND NOT EXISTS (SELECT 1 FROM {unit} u WHERE u.id = cur.unit_id AND u.formed_in > prev.year)
WHERE cur.year = %s AND cur.id = %s
"""
)


def ranked_sql(
    template: str, statuses: list[str] | None, unit_filter: str = "", **parts: str
) -> tuple:
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
        **parts,
    )
    return sql, status_params


# Last year only the unit's own group of then is ranked, not those of its peers.
OWN_GROUP_OF_THEN = "AND c.id = %s"


def own_ranked_params(assessment: Assessment) -> list:
    """RANKED_CTE's parameters for the assessment's group, with OWN_GROUP_OF_THEN."""
    year, group_id = assessment.year, assessment.ranking_group_id
    return [year, group_id, year - 1, year - 1, year, group_id, assessment.pk]


def fetch_one(sql: str, params: list) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


@dataclass(frozen=True)
class UnitRank:
    """One assessment's place in its group's ranking, as `group_ranking` gives it."""

    rank: int
    group_size: int
    prev_rank: int | None = None
    prev_tally: Tally | None = None
    tally: Tally | None = None  # this year's points, as ranked
    shared: bool = False  # another unit of the group holds the same rank

    @property
    def rank_change(self) -> int | None:
        """Places gained since last year: "tăng 20 bậc" is +20."""
        return None if self.prev_rank is None else self.prev_rank - self.rank


def unit_rank(assessment: Assessment, *, statuses: list[str] | None = None) -> UnitRank | None:
    """The assessment's rank and points in its group, the group's size, whether the rank
    is shared and last year's rank, by the rules of `group_ranking` (same ties, same
    `statuses`) in one query that returns one row. None when the assessment has no
    group or is not among `statuses`."""
    group_id = assessment.ranking_group_id
    if group_id is None:
        return None
    sql, status_params = ranked_sql(UNIT_RANK_SQL, statuses, unit_filter=OWN_GROUP_OF_THEN)
    year, prev_year = assessment.year, assessment.year - 1
    params = [*status_params, *own_ranked_params(assessment), *(prev_year, year, assessment.pk)]
    record = fetch_one(sql, params)
    if record is None:
        return None
    rank, size, prev_rank, prev_max, prev_achieved, max_milli, achieved_milli, tied = record
    prev_tally = (
        None if prev_rank is None else Tally(from_milli(prev_max), from_milli(prev_achieved))
    )
    return UnitRank(
        rank=rank,
        group_size=size,
        prev_rank=prev_rank,
        prev_tally=prev_tally,
        tally=Tally(from_milli(max_milli), from_milli(achieved_milli)),
        shared=tied > 1,
    )


def ranking_row(record: tuple) -> RankingRow:
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
        parts=parts_of(tally, survey_tally(*record[9:12])),
        tied=len(record) > 12 and record[12] > 1,
    )
