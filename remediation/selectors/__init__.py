"""Reads: plans in a user's scope, their tasks and overdue state, and the printed document.

Overdue is worked out when read, from each task's due date and status, never
stored. Points come from `scoring.engine` only.
"""

from remediation.selectors.document import (
    FieldRow,
    PlanDocument,
    Progress,
    SectionView,
    plan_budget_total,
    plan_document,
    plan_sections,
    plan_tasks,
)
from remediation.selectors.effectiveness import (
    FLAG,
    Losses,
    PlanEffectiveness,
    plan_effectiveness,
)
from remediation.selectors.effectiveness_scope import (
    JurisdictionEffectiveness,
    effectiveness_years,
    jurisdiction_effectiveness,
)
from remediation.selectors.gaps import Gap, plan_gaps
from remediation.selectors.progress import (
    ProgressReport,
    TaskProgress,
    progress_as_of,
    progress_report,
)
from remediation.selectors.rank import rank_clause
from remediation.selectors.scope import (
    agency_names,
    assessments_without_plan,
    overdue_q,
    plan_for_user,
    plans_in_scope,
    progress_update_for_user,
    task_for_user,
)

__all__ = [
    "FLAG",
    "FieldRow",
    "Gap",
    "JurisdictionEffectiveness",
    "Losses",
    "PlanDocument",
    "PlanEffectiveness",
    "Progress",
    "ProgressReport",
    "SectionView",
    "TaskProgress",
    "agency_names",
    "assessments_without_plan",
    "effectiveness_years",
    "jurisdiction_effectiveness",
    "overdue_q",
    "plan_budget_total",
    "plan_document",
    "plan_effectiveness",
    "plan_for_user",
    "plan_gaps",
    "plan_sections",
    "plan_tasks",
    "plans_in_scope",
    "progress_as_of",
    "progress_report",
    "progress_update_for_user",
    "rank_clause",
    "task_for_user",
]
