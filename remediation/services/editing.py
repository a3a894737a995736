"""Editing a plan, its fields and tasks: each change records the names it changed in
`edited_fields`, so drafting again keeps it.

The plan page saves everything at once through `plan_save`; the single-object services
below it serve drafting's tests, the admin and scripts, and share its rules.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from remediation.deadlines import budget_amount, due_date
from remediation.models import Agency, Plan, PlanStatus, Section, Task
from scoring.models import Unit

# The issuing service moves a plan out of draft: its status is not a field people type.
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
    "print_appendix",
)


SECTION_EDITABLE = ("deductions", "deadline", "lead", "coordinators", "solutions")
# What "áp dụng cho mọi nhiệm vụ của lĩnh vực" copies from a field onto its tasks.
SECTION_TO_TASKS = ("lead", "coordinators")


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

ISSUED = "Kế hoạch đã ban hành, không sửa được nội dung; lập bản thay thế hoặc đính chính."
EMPTY_TASK = "Nhiệm vụ mới chưa có nội dung: nhập mục tiêu hoặc tên nhiệm vụ, hoặc bỏ dòng này."
NOT_OF_PLAN = "Có lĩnh vực hoặc nhiệm vụ không thuộc kế hoạch này; tải lại trang rồi nhập lại."


class PlanStale(Exception):
    """Someone saved the plan after the page being saved was loaded."""


def plan_version(plan: Plan) -> str:
    """The token the page carries: every write to the plan's content moves `updated_at`
    (`plan_save` always saves the plan; drafting and citing a decision do too)."""
    return plan.updated_at.isoformat() if plan.updated_at else ""


def plan_refuse_issued(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(ISSUED)


def task_is_empty(data: dict) -> bool:
    """A new task says nothing until it has an objective or a name."""
    return not (data.get("objective") or "").strip() and not (data.get("name") or "").strip()


def _edit(obj: Model, data: dict, allowed: tuple[str, ...]) -> list[str]:
    """Set the allowed fields from `data`; returns the names whose value changed."""
    changed = []
    for name in allowed:
        if name in data and getattr(obj, name) != data[name]:
            setattr(obj, name, data[name])
            changed.append(name)
    obj.edited_fields = sorted(set(obj.edited_fields or []) | set(changed))
    return changed


def _task_edit(task: Task, data: dict, work_year: int) -> list[str]:
    """Set a task's fields. Its due date follows the deadline phrase unless a person
    corrects it; a blank due date, or the one the phrase gives, is no correction."""
    data = dict(data)
    edited = set(task.edited_fields or [])
    computed = due_date(data.get("deadline", task.deadline), work_year)
    posted = "due_date" in data
    given = data.pop("due_date", None)
    before = task.due_date
    if given is not None and given != computed:
        task.due_date = given
        edited.add("due_date")
    elif posted or "due_date" not in edited:
        task.due_date = computed
        edited.discard("due_date")
    task.edited_fields = sorted(edited)
    changed = _edit(task, data, TASK_EDITABLE)
    task.budget_amount = budget_amount(task.budget)
    return [*changed, "due_date"] if task.due_date != before else changed


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
    """Edit one task (see `_task_edit` for its due date)."""
    changed = _task_edit(task, data, task.plan.work_year)
    task.full_clean()
    task.save()
    if not task.criteria.exists() and data.get("criteria"):
        task.criteria.set(data["criteria"])
    agencies_remember(unit=task.plan.unit, texts_=[task.lead, task.coordinators])
    return changed


@transaction.atomic
def plan_save(
    *,
    plan: Plan,
    version: str,
    header: dict,
    sections: dict[int, dict],
    tasks: dict[int, dict],
    new_tasks: dict[int, list[dict]],
) -> int:
    """The plan page's one save: the header, each field (by section id, with
    `apply_to_tasks` to give its lead and coordinators to all its tasks), each task (by
    id) and the tasks added per field. All or nothing; refused when the plan is issued,
    when it was saved since `version` was read (PlanStale), or when a new task is empty.
    Returns how many parts changed. A fixed number of queries, whatever the tasks."""
    locked = Plan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    plan_refuse_issued(locked)
    if version != plan_version(locked):
        raise PlanStale
    stored_sections = {s.pk: s for s in locked.sections.all()}
    stored_tasks = {t.pk: t for t in locked.tasks.all()}
    _refuse_strangers_and_empty_rows(
        sections.keys() | new_tasks.keys(), stored_sections, tasks.keys(), stored_tasks, new_tasks
    )
    changed = 1 if _edit(locked, header, PLAN_EDITABLE) else 0
    locked.full_clean()
    locked.save()  # even unchanged: a page loaded before this save is now stale
    edited_sections = [
        section
        for pk, section in stored_sections.items()
        if pk in sections and _edit(section, sections[pk], SECTION_EDITABLE)
    ]
    created = _new_tasks(locked, stored_sections, stored_tasks.values(), new_tasks)
    edited_tasks = [
        task
        for pk, task in stored_tasks.items()
        if pk in tasks and _task_edit(task, tasks[pk], locked.work_year)
    ]
    given = _apply_to_tasks(stored_sections, sections, [*stored_tasks.values(), *created])
    edited_tasks += [task for task in given if task not in edited_tasks and task.pk]
    _write(Section, edited_sections, SECTION_EDITABLE)
    _write(Task, edited_tasks, (*TASK_EDITABLE, "budget_amount"))
    for task in created:
        task.full_clean(exclude=["plan", "section"])
    Task.objects.bulk_create(created)
    agencies_remember(
        unit=locked.unit,
        texts_=[
            text
            for obj in [*stored_sections.values(), *edited_tasks, *created]
            for text in (obj.lead, obj.coordinators)
        ],
    )
    return changed + len(edited_sections) + len(edited_tasks) + len(created)


def _refuse_strangers_and_empty_rows(
    section_ids, sections: dict, task_ids, tasks: dict, new_tasks: dict[int, list[dict]]
) -> None:
    if not set(section_ids) <= sections.keys() or not set(task_ids) <= tasks.keys():
        raise ValidationError(NOT_OF_PLAN)
    if any(task_is_empty(data) for rows in new_tasks.values() for data in rows):
        raise ValidationError(EMPTY_TASK)


def _new_tasks(
    plan: Plan, sections: dict[int, Section], existing, rows: dict[int, list[dict]]
) -> list[Task]:
    """The tasks added per field, after the field's last one; everything typed counts as
    edited."""
    last = {}
    for task in existing:
        last[task.section_id] = max(last.get(task.section_id, 0), task.order)
    created = []
    for section_id, datas in rows.items():
        for offset, data in enumerate(datas, start=1):
            task = Task(
                plan=plan, section=sections[section_id], order=last.get(section_id, 0) + offset
            )
            _task_edit(task, data, plan.work_year)
            created.append(task)
    return created


def _apply_to_tasks(
    sections: dict[int, Section], data: dict[int, dict], tasks: list[Task]
) -> list[Task]:
    """Give the fields marked "apply to all" their lead and coordinators on every task;
    returns the tasks that changed."""
    chosen = {pk for pk, values in data.items() if values.get("apply_to_tasks")}
    changed = []
    for task in tasks:
        if task.section_id in chosen:
            section = sections[task.section_id]
            values = {name: getattr(section, name) for name in SECTION_TO_TASKS}
            if _edit(task, values, SECTION_TO_TASKS):
                changed.append(task)
    return changed


def _write(model: type[Model], objs: list[Model], fields: tuple[str, ...]) -> None:
    """Validate and write the changed rows in one statement. The plan and section they
    belong to were read under the lock above: not checked again, a query each."""
    for obj in objs:
        obj.full_clean(exclude=["plan", "section", "field"])
    model.objects.bulk_update(objs, [*fields, "edited_fields"])


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
