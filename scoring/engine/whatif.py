"""What-if: the points a unit would win back on some deducted criteria, and the rank
it would have had in its group's ranking with them, every other unit's points held as
they are stored. Nothing is written."""

from dataclasses import dataclass
from decimal import Decimal

from scoring.engine.breakdown import AssessmentBreakdown, NodeResult
from scoring.engine.ranking import (
    OWN_GROUP_OF_THEN,
    RANKED_CTE,
    fetch_one,
    own_ranked_params,
    ranked_sql,
)
from scoring.engine.tallies import MILLI, Tally, from_milli
from scoring.models import Assessment

# The ratio the ranking orders by (RANKED_CTE), of the stored points plus `gain`.
RATIO = "CASE WHEN {row}.max_milli > 0 THEN CAST({row}.achieved_milli{gain} AS DOUBLE PRECISION)"
RATIO += " / {row}.max_milli END"

# RANK() semantics: a unit's rank is one more than the number of units strictly ahead
# of it, NULL ratios (no applicable leaf) last; the unit is compared with the others as
# they are ranked, so ties are exact as in the ranking itself.
WHATIF_SQL = (
    RANKED_CTE
    + """,
target AS (
    SELECT cur.*, {would} AS would_ratio FROM ranked cur WHERE cur.year = %s AND cur.id = %s
),
others AS (
    SELECT {ratio} AS ratio
    FROM ranked o JOIN target ON o.year = target.year
        AND o.ranking_group_id = target.ranking_group_id AND o.id <> target.id
)
SELECT target.unit_rank, target.group_size, target.max_milli, target.achieved_milli,
    (SELECT COUNT(*) FROM others WHERE others.ratio > target.would_ratio
        OR (target.would_ratio IS NULL AND others.ratio IS NOT NULL)),
    (SELECT COUNT(*) FROM others WHERE others.ratio = target.would_ratio
        OR (target.would_ratio IS NULL AND others.ratio IS NULL)),
    (SELECT COUNT(*) FROM ranked tie WHERE tie.year = target.year
        AND tie.ranking_group_id = target.ranking_group_id AND tie.unit_rank = target.unit_rank)
FROM target
"""
)


@dataclass(frozen=True)
class WhatIfRank:
    """Where the unit would stand with the points won back, and where it stands now."""

    rank: int
    group_size: int
    shared: bool  # another unit would hold the same rank
    present_rank: int
    present_shared: bool
    tally: Tally  # the points as they would be ranked

    @property
    def places_gained(self) -> int:
        return self.present_rank - self.rank


def won_back(total: Tally, gained: Decimal) -> Tally:
    """`total` with `gained` points won back; its max is unchanged."""
    if gained < 0 or gained > total.deducted:
        raise ValueError(f"cannot win back {gained} of {total.deducted} deducted points")
    return Tally(total.max_points, total.achieved + gained)


def deducted_leaves_under(
    breakdown: AssessmentBreakdown, criterion_ids: set[int]
) -> list[NodeResult]:
    """The deducted leaves that are, or are below, any of `criterion_ids`; each once."""
    children: dict[int | None, list[NodeResult]] = {}
    for node in breakdown.nodes:
        children.setdefault(node.parent_id, []).append(node)
    by_id = {node.criterion_id: node for node in breakdown.nodes}
    found: dict[int, NodeResult] = {}
    pending = [by_id[pk] for pk in criterion_ids if pk in by_id]
    while pending:
        node = pending.pop()
        if node.is_leaf and node.tally.deducted > 0:
            found[node.criterion_id] = node
        pending.extend(children.get(node.criterion_id, []))
    return [leaf for leaf in breakdown.deducted_leaves if leaf.criterion_id in found]


def points_at_stake(breakdown: AssessmentBreakdown, criterion_ids: set[int]) -> Decimal:
    """The points lost on the leaves under `criterion_ids`, a leaf counted once."""
    leaves = deducted_leaves_under(breakdown, criterion_ids)
    return sum((leaf.tally.deducted for leaf in leaves), Decimal(0))


def what_if_rank(
    assessment: Assessment, *, gained: Decimal, statuses: list[str] | None = None
) -> WhatIfRank | None:
    """The rank `assessment` would have in its group with `gained` points more (its max
    and the others' points as stored), ranked among `statuses` as `unit_rank` ranks; one
    query. None when it has no group or is not among `statuses`. Refuses a gain larger
    than its deducted points."""
    if assessment.ranking_group_id is None:
        return None
    gained_milli = int(gained * MILLI)
    sql, status_params = ranked_sql(
        WHATIF_SQL,
        statuses,
        unit_filter=OWN_GROUP_OF_THEN,
        would=RATIO.format(row="cur", gain=" + %s"),
        ratio=RATIO.format(row="o", gain=""),
    )
    params = [
        *status_params,
        *own_ranked_params(assessment),
        *(gained_milli, assessment.year, assessment.pk),
    ]
    record = fetch_one(sql, params)
    if record is None:
        return None
    present_rank, size, max_milli, achieved_milli, ahead, level, present_tied = record
    tally = won_back(Tally(from_milli(max_milli), from_milli(achieved_milli)), gained)
    return WhatIfRank(
        rank=ahead + 1,
        group_size=size,
        shared=level > 0,
        present_rank=present_rank,
        present_shared=present_tied > 1,
        tally=tally,
    )
