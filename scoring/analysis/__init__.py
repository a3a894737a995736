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
from scoring.analysis.dashboard import Dashboard, unit_assessments, unit_dashboard
from scoring.analysis.losses import group_losses, with_last_year
from scoring.analysis.predecessors import predecessor_results
from scoring.analysis.rankings import ranking_fields, ranking_order, shared_ranks, sort_used
from scoring.analysis.visibility import (
    PUBLISHED,
    ranking_groups_for_user,
    ranking_statuses,
    ranking_years,
)
from scoring.analysis.whatif import criteria_what_if, plan_what_if

__all__ = [
    "PUBLISHED",
    "Dashboard",
    "compare_years",
    "criteria_what_if",
    "cycle_summary",
    "group_losses",
    "plan_what_if",
    "predecessor_results",
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
