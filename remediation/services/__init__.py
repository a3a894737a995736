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
)
from remediation.services.editing import (
    PLAN_EDITABLE,
    SECTION_EDITABLE,
    TASK_EDITABLE,
    agencies_remember,
    plan_update,
    section_update,
    task_create,
    task_update,
)
from remediation.services.issuing import (
    check_draft,
    plan_correct,
    plan_issue,
    plan_signed_upload,
)
from remediation.services.progress import (
    progress_update_create,
)

__all__ = [
    "PLAN_EDITABLE",
    "SECTION_EDITABLE",
    "TASK_EDITABLE",
    "Proposal",
    "agencies_remember",
    "assessment_for",
    "check_draft",
    "plan_correct",
    "plan_draft",
    "plan_issue",
    "plan_signed_upload",
    "plan_update",
    "plans_cite_decision",
    "progress_update_create",
    "section_update",
    "task_create",
    "task_update",
]
