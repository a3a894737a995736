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

from scoring.engine.breakdown import AssessmentBreakdown, NodeResult, assessment_breakdown
from scoring.engine.listing import (
    RankingPage,
    RankingStream,
    group_ranking,
    ranking_page,
    ranking_stream,
)
from scoring.engine.ranking import (
    BY_RANK,
    GroupRanking,
    RankingHead,
    RankingOrder,
    RankingRow,
    UnitRank,
    classify,
    unit_rank,
)
from scoring.engine.stored import refresh_every_tally, refresh_tallies
from scoring.engine.tallies import (
    HUNDRED,
    MILLI,
    Parts,
    Tally,
    final_score_expression,
    from_milli,
    milli,
    parts_of,
    tally_sum,
)
from scoring.engine.totals import SheetTotals, sheet_totals, with_totals
from scoring.engine.whatif import (
    WhatIfRank,
    deducted_leaves_under,
    points_at_stake,
    what_if_rank,
    won_back,
)

__all__ = [
    "BY_RANK",
    "HUNDRED",
    "MILLI",
    "AssessmentBreakdown",
    "GroupRanking",
    "NodeResult",
    "Parts",
    "RankingHead",
    "RankingOrder",
    "RankingPage",
    "RankingRow",
    "RankingStream",
    "SheetTotals",
    "Tally",
    "UnitRank",
    "WhatIfRank",
    "assessment_breakdown",
    "classify",
    "deducted_leaves_under",
    "final_score_expression",
    "from_milli",
    "group_ranking",
    "milli",
    "parts_of",
    "points_at_stake",
    "ranking_page",
    "ranking_stream",
    "refresh_every_tally",
    "refresh_tallies",
    "sheet_totals",
    "tally_sum",
    "unit_rank",
    "what_if_rank",
    "with_totals",
    "won_back",
]
