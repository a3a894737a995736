"""Editing a plan, its fields and tasks: each change records the names it changed in
`edited_fields`, so drafting again keeps it.
"""

from django.db import transaction
from django.db.models import Model

from remediation.deadlines import budget_amount, due_date
from remediation.models import (
    Agency,
    Plan,
    Section,
    Task,
)
from scoring.models import Unit

PLAN_EDITABLE = (
    "number",
    "place",
    "issued_on",
    "summary",
    "supervising_agency",
    "issuing_agency",
    "legal_bases",
    "purpose",
    "requirements",
    "organisation",
    "recipients",
    "signer_authority",
    "signer_position",
    "signer_name",
    "status",
)


SECTION_EDITABLE = ("deadline", "lead", "coordinators", "solutions")


TASK_EDITABLE = (
    "objective",
    "name",
    "activities",
    "output",
    "lead",
    "coordinators",
    "deadline",
    "due_date",
    "budget",
)


def _edit(obj: Model, data: dict, allowed: tuple[str, ...]) -> list[str]:
    """Set the allowed fields from `data`; returns the names whose value changed."""
    changed = []
    for name in allowed:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    obj.edited_fields = sorted(set(obj.edited_fields or []) | set(changed))
    return changed


@transaction.atomic
def plan_update(*, plan: Plan, data: dict) -> list[str]:
    changed = _edit(plan, data, PLAN_EDITABLE)
    plan.full_clean()
    plan.save()
    return changed


@transaction.atomic
def section_update(*, section: Section, data: dict) -> list[str]:
    changed = _edit(section, data, SECTION_EDITABLE)
    section.full_clean()
    section.save()
    agencies_remember(unit=section.plan.unit, texts_=[section.lead, section.coordinators])
    return changed


@transaction.atomic
def task_update(*, task: Task, data: dict) -> list[str]:
    """Edit a task. Its due date follows the deadline phrase unless a person corrects it;
    a blank due date, or the one the phrase gives, is no correction."""
    data = dict(data)
    edited = set(task.edited_fields or [])
    computed = due_date(data.get("deadline", task.deadline), task.plan.work_year)
    posted = "due_date" in data
    given = data.pop("due_date", None)
    if given is not None and given != computed:
        task.due_date = given
        edited.add("due_date")
    elif posted or "due_date" not in edited:
        task.due_date = computed
        edited.discard("due_date")
    task.edited_fields = sorted(edited)
    changed = _edit(task, data, TASK_EDITABLE)
    task.budget_amount = budget_amount(task.budget)
    task.full_clean()
    task.save()
    if not task.criteria.exists() and data.get("criteria"):
        task.criteria.set(data["criteria"])
    agencies_remember(unit=task.plan.unit, texts_=[task.lead, task.coordinators])
    return changed


@transaction.atomic
def task_create(*, section: Section, data: dict) -> Task:
    """A task a person adds by hand: everything typed in it counts as edited."""
    task = Task(plan=section.plan, section=section, order=section.tasks.count() + 1)
    task_update(task=task, data=data)
    return task


def agencies_remember(*, unit: Unit, texts_: list[str]) -> None:
    """Keep every lead and coordinator named, to be offered again in this jurisdiction."""
    names = {
        part.strip().rstrip(".")
        for text in texts_
        for part in (text or "").split(";")
        if part.strip().rstrip(".")
    }
    Agency.objects.bulk_create(
        [Agency(unit=unit, name=name[:255]) for name in sorted(names)], ignore_conflicts=True
    )
