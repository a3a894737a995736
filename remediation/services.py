"""Writes: drafting a plan from the deductions, editing it, reporting progress.

Drafting again never overwrites what a person changed: every edit service
records the changed field names in `edited_fields`, and drafting refreshes only
the fields not listed there, then adds the sections and tasks that are new.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from remediation import texts
from remediation.deadlines import budget_amount, due_date
from remediation.models import (
    RESULT_STATUSES,
    Agency,
    Plan,
    PlanStatus,
    ProgressUpdate,
    Section,
    Task,
    TaskStatus,
)
from scoring.engine import AssessmentBreakdown, NodeResult, assessment_breakdown
from scoring.models import Assessment, PublicationDecision, Unit

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


@dataclass(frozen=True)
class Proposal:
    """Lead and coordinators a criterion or field had in last year's plan."""

    lead: str = ""
    coordinators: str = ""


def assessment_for(unit: Unit, year: int) -> Assessment:
    assessment = Assessment.objects.filter(unit=unit, year=year).select_related("unit").first()
    if assessment is None:
        raise ValidationError(
            f"{unit.name} chưa có kết quả Chỉ số CCHC năm {year}, chưa lập được kế hoạch."
        )
    if assessment.status not in RESULT_STATUSES:
        raise ValidationError(
            f"Kết quả Chỉ số CCHC năm {year} của {unit.name} chưa được thẩm định, "
            "chưa lập được kế hoạch."
        )
    return assessment


@transaction.atomic
def plan_draft(*, unit: Unit, year: int) -> Plan:
    """The unit's plan for `year`'s results, drafted or brought up to date from the deductions."""
    assessment = assessment_for(unit, year)
    breakdown = assessment_breakdown(assessment)
    plan = Plan.objects.filter(unit=unit, year=year).first() or Plan(unit=unit, year=year)
    _apply(plan, texts.plan_defaults(unit, year, _decision(assessment)))
    sections, tasks = _previous_proposals(unit, year - 1)
    by_field = _deducted_by_field(breakdown)
    for order, field in enumerate(breakdown.fields, start=1):
        if field.tally.deducted > 0:
            section = _section_draft(plan, field, order, sections.get(field.code, Proposal()))
            for leaf in by_field.get(field.criterion_id, []):
                _task_draft(section, leaf, tasks.get(leaf.code) or sections.get(field.code))
    return plan


def _decision(assessment: Assessment) -> PublicationDecision | None:
    """The decision publishing the khối the unit was ranked in that year, if recorded."""
    return PublicationDecision.objects.filter(
        group_id=assessment.ranking_group_id, year=assessment.year
    ).first()


def plans_cite_decision(*, decision: PublicationDecision) -> int:
    """Draft plans of the khối's units for that year cite the decision (recorded or
    corrected after they were drafted) unless a person wrote their legal basis; an issued
    plan keeps the text it was issued with. Returns how many plans changed (2 queries)."""
    plans = Plan.objects.filter(
        year=decision.year,
        status=PlanStatus.DRAFT,
        unit__assessments__year=decision.year,
        unit__assessments__ranking_group=decision.group,
    ).select_related("unit__parent")
    changed = []
    for plan in plans:
        text = texts.legal_bases(plan.unit, plan.year, decision)
        if "legal_bases" not in (plan.edited_fields or []) and plan.legal_bases != text:
            plan.legal_bases, plan.updated_at = text, timezone.now()
            changed.append(plan)
    return Plan.objects.bulk_update(changed, ["legal_bases", "updated_at"])


def _apply(obj: Model, defaults: dict) -> None:
    """Set the fields nobody edited to their drafted values, then validate and save."""
    edited = set(getattr(obj, "edited_fields", []) or [])
    for name, value in defaults.items():
        if name not in edited:
            setattr(obj, name, value)
    obj.full_clean()
    obj.save()


def _previous_proposals(unit: Unit, year: int) -> tuple[dict[str, Proposal], dict[str, Proposal]]:
    """Last year's leads and coordinators by field code and by criterion code."""
    previous = Plan.objects.filter(unit=unit, year=year).first()
    if previous is None:
        return {}, {}
    sections = {
        section.field.code: Proposal(section.lead, section.coordinators)
        for section in previous.sections.select_related("field")
    }
    tasks: dict[str, Proposal] = {}
    for task in previous.tasks.prefetch_related("criteria").order_by("-order"):
        for criterion in task.criteria.all():
            tasks[criterion.code] = Proposal(task.lead, task.coordinators)
    return sections, tasks


def _deducted_by_field(breakdown: AssessmentBreakdown) -> dict[int, list[NodeResult]]:
    """Deducted leaves in document order, grouped by the id of their field."""
    parents = {node.criterion_id: node.parent_id for node in breakdown.nodes}
    grouped: dict[int, list[NodeResult]] = {}
    for node in breakdown.nodes:
        if node.is_leaf and not node.not_applicable and node.tally.deducted > 0:
            field_id = node.criterion_id
            while parents.get(field_id) is not None:
                field_id = parents[field_id]
            grouped.setdefault(field_id, []).append(node)
    return grouped


def _section_draft(plan: Plan, field: NodeResult, order: int, proposal: Proposal) -> Section:
    section = plan.sections.filter(field_id=field.criterion_id).first()
    section = section or Section(plan=plan, field_id=field.criterion_id)
    _apply(
        section,
        {
            "order": order,
            "deadline": texts.default_deadline(plan.work_year),
            "lead": proposal.lead,
            "coordinators": proposal.coordinators,
        },
    )
    return section


def _task_draft(section: Section, leaf: NodeResult, proposal: Proposal | None) -> None:
    """A task stub for a deducted criterion, unless a task of the plan already covers it."""
    plan = section.plan
    if plan.tasks.filter(criteria__id=leaf.criterion_id).exists():
        return
    proposal = proposal or Proposal()
    deadline = texts.default_deadline(plan.work_year)
    task = Task(
        plan=plan,
        section=section,
        order=section.tasks.count() + 1,
        objective=texts.task_objective(leaf.title),
        lead=proposal.lead,
        coordinators=proposal.coordinators,
        deadline=deadline,
        due_date=due_date(deadline, plan.work_year),
    )
    task.full_clean()
    task.save()
    task.criteria.add(leaf.criterion_id)


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


@transaction.atomic
def progress_update_create(
    *,
    task: Task,
    reported_on: date,
    status: str,
    progress: int,
    note: str = "",
    evidence=None,
    user=None,
) -> ProgressUpdate:
    """Record a progress report. The task takes the status and percentage of its latest
    report by date, so a report typed in late for an earlier date changes nothing."""
    if status == TaskStatus.DONE:
        progress = 100
    update = ProgressUpdate(
        task=task,
        reported_on=reported_on,
        status=status,
        progress=progress,
        note=note,
        evidence=evidence or "",
        evidence_name=PurePath(evidence.name).name[:255] if evidence else "",
        created_by=user,
    )
    update.full_clean()
    update.save()
    latest = task.updates.order_by("-reported_on", "-pk").first()
    task.status, task.progress = latest.status, latest.progress
    task.full_clean()
    task.save(update_fields=["status", "progress"])
    return update


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
