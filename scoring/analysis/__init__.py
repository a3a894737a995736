"""Selectors for dashboards, rankings, analyses and comparisons, one module per page.

Points, deductions, index and ranks come from `scoring.engine`; these modules
pick which assessments a viewer may see, put engine results side by side
(this year against last, one framework edition against another) and run the
one cross-unit aggregate the engine has no function for: deductions per
criterion across a group. Every query count here is fixed whatever the number
of units.
"""

from scoring.analysis.comparison import compare_years
from scoring.analysis.cycle import cycle_summary
from scoring.analysis.dashboard import unit_assessments, unit_dashboard
from scoring.analysis.losses import group_losses, with_last_year
from scoring.analysis.rankings import ranking_fields, ranking_order, shared_ranks, sort_used
from scoring.analysis.visibility import (
    PUBLISHED,
    ranking_groups_for_user,
    ranking_statuses,
    ranking_years,
)

__all__ = [
    "PUBLISHED",
    "compare_years",
    "cycle_summary",
    "group_losses",
    "ranking_fields",
    "ranking_groups_for_user",
    "ranking_order",
    "ranking_statuses",
    "ranking_years",
    "shared_ranks",
    "sort_used",
    "unit_assessments",
    "unit_dashboard",
    "with_last_year",
]
