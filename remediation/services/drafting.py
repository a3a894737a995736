"""Drafting a plan from the appraised deductions, and bringing it up to date.

Drafting again refreshes only the fields nobody edited (`edited_fields`) and adds
the sections and tasks that are new.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from remediation import texts
from remediation.deadlines import due_date
from remediation.models import (
    RESULT_STATUSES,
    Plan,
    PlanStatus,
    Section,
    Task,
)
from remediation.services.editing import plan_refuse_issued
from scoring.engine import AssessmentBreakdown, NodeResult, assessment_breakdown
from scoring.models import Assessment, PublicationDecision, Unit
from scoring.reports.deductions import deduction_reasons, field_deduction_lines


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
    plan_refuse_issued(plan)  # an issued plan changes only through a new version
    higher = _higher_plans([unit.parent_id], year).get(unit.parent_id)
    _apply(plan, texts.plan_defaults(unit, year, _decision(assessment), higher))
    sections, tasks = _previous_proposals(unit, year - 1)
    by_field = _deducted_by_field(breakdown)
    reasons = deduction_reasons(breakdown)
    for order, field in enumerate(breakdown.fields, start=1):
        if field.tally.deducted > 0:
            deductions = "\n".join(field_deduction_lines(breakdown, field, reasons))
            proposal = sections.get(field.code, Proposal())
            section = _section_draft(plan, field, order, deductions, proposal)
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
    plan keeps the text it was issued with. Returns how many plans changed (3 queries)."""
    plans = list(
        Plan.objects.filter(
            year=decision.year,
            status=PlanStatus.DRAFT,
            unit__assessments__year=decision.year,
            unit__assessments__ranking_group=decision.group,
        ).select_related("unit__parent")
    )
    higher = _higher_plans({plan.unit.parent_id for plan in plans}, decision.year)
    return _cite(plans, lambda plan: (decision, higher.get(plan.unit.parent_id)))


@transaction.atomic
def plans_cite_higher_plan(*, plan: Plan) -> int:
    """Once `plan` is issued, the draft plans of its unit's children for the same year
    cite it ("Thực hiện Kế hoạch số … của UBND huyện …", seed 003) beside their decision,
    unless a person wrote their legal basis. Returns how many plans changed (4 queries)."""
    children = list(
        Plan.objects.filter(
            unit__parent=plan.unit, year=plan.year, status=PlanStatus.DRAFT
        ).select_related("unit__parent")
    )
    assessments = Assessment.objects.filter(
        unit__in=[child.unit_id for child in children], year=plan.year
    ).values_list("unit_id", "ranking_group_id")
    group_of = dict(assessments)
    decisions = {
        decision.group_id: decision
        for decision in PublicationDecision.objects.filter(
            year=plan.year, group_id__in=set(group_of.values())
        )
    }
    return _cite(children, lambda child: (decisions.get(group_of.get(child.unit_id)), plan))


def _cite(plans: list[Plan], sources) -> int:
    """Bring each plan's legal basis to what `sources(plan)` (decision, higher plan) says,
    unless a person wrote it."""
    changed = []
    for plan in plans:
        text = texts.legal_bases(plan.unit, plan.year, *sources(plan))
        if "legal_bases" not in (plan.edited_fields or []) and plan.legal_bases != text:
            plan.legal_bases, plan.updated_at = text, timezone.now()
            changed.append(plan)
    return Plan.objects.bulk_update(changed, ["legal_bases", "updated_at"])


def _higher_plans(parent_ids, year: int) -> dict[int, Plan]:
    """The newest issued plan of each parent unit for `year`'s results, by unit id."""
    found: dict[int, Plan] = {}
    issued = Plan.objects.filter(
        unit_id__in=[pk for pk in parent_ids if pk], year=year, status=PlanStatus.ISSUED
    ).select_related("unit")
    for plan in issued.order_by("unit_id", "-version"):
        found.setdefault(plan.unit_id, plan)
    return found


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


def _section_draft(
    plan: Plan, field: NodeResult, order: int, deductions: str, proposal: Proposal
) -> Section:
    section = plan.sections.filter(field_id=field.criterion_id).first()
    section = section or Section(plan=plan, field_id=field.criterion_id)
    _apply(
        section,
        {
            "order": order,
            "deductions": deductions,
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
