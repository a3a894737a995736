"""Writes: drafting a plan from the deductions, editing it, reporting progress.

Drafting again never overwrites what a person changed: every edit service
records the changed field names in `edited_fields`, and drafting refreshes only
the fields not listed there, then adds the sections and tasks that are new.
"""

from remediation.services.drafting import (
    Proposal,
    assessment_for,
    plan_draft,
    plans_cite_decision,
    plans_cite_higher_plan,
)
from remediation.services.editing import (
    EMPTY_TASK,
    ISSUED,
    PLAN_EDITABLE,
    SECTION_EDITABLE,
    TASK_EDITABLE,
    PlanStale,
    agencies_remember,
    plan_refuse_issued,
    plan_save,
    plan_update,
    plan_version,
    section_update,
    task_is_empty,
    task_update,
)
from remediation.services.issuing import (
    plan_correct,
    plan_issue,
    plan_signed_upload,
)
from remediation.services.progress import (
    progress_update_create,
)

__all__ = [
    "EMPTY_TASK",
    "ISSUED",
    "PLAN_EDITABLE",
    "SECTION_EDITABLE",
    "TASK_EDITABLE",
    "PlanStale",
    "Proposal",
    "agencies_remember",
    "assessment_for",
    "plan_correct",
    "plan_draft",
    "plan_issue",
    "plan_refuse_issued",
    "plan_save",
    "plan_signed_upload",
    "plan_update",
    "plan_version",
    "plans_cite_decision",
    "plans_cite_higher_plan",
    "progress_update_create",
    "section_update",
    "task_is_empty",
    "task_update",
]
