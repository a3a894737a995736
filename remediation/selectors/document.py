"""The plan as the page and the printed document show it, computed once."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum

from cchc.formatting import format_points
from remediation import texts
from remediation.models import (
    Plan,
    ProgressUpdate,
    Section,
    Task,
    TaskStatus,
)
from remediation.selectors.rank import rank_clause
from scoring.engine import AssessmentBreakdown, Tally, assessment_breakdown
from scoring.models import Assessment, Criterion


def plan_tasks(plan: Plan) -> QuerySet[Task]:
    """The plan's tasks in document order, each with its field and criteria."""
    return (
        plan.tasks.select_related("section", "section__field")
        .prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("sort_key")),
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("created_by").order_by(
                    "reported_on", "pk"
                ),
            ),
        )
        .order_by("section__order", "order", "pk")
    )


def plan_sections(plan: Plan) -> QuerySet[Section]:
    return plan.sections.select_related("field").order_by("order", "pk")


def plan_budget_total(plan: Plan) -> Decimal:
    total = plan.tasks.aggregate(total=Sum("budget_amount"))["total"]
    return Decimal(total or 0)


@dataclass(frozen=True)
class FieldRow:
    number: str  # the framework's own code, as sections II, III and the appendix print it
    code: str
    title: str
    tally: Tally


@dataclass(frozen=True)
class SectionView:
    number: str  # the field's code in the framework
    section: Section
    title: str
    deducted: Decimal
    lines: list[str]  # the editable "nội dung bị trừ điểm", one a line ("+ " under the last)
    tasks: list[Task] = field(default_factory=list)
    whole_field: bool = False  # scored as one criterion: its lines are the reasons

    @property
    def solutions(self) -> list[str]:
        """The section's solutions, else the names its tasks were given."""
        return _lines(self.section.solutions) or [task.name for task in self.tasks if task.name]


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    in_progress: int
    overdue: int

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass(frozen=True)
class PlanDocument:
    """Everything the plan page and the PDF print, computed once."""

    plan: Plan
    on: date
    fields: list[FieldRow]
    total: Tally | None
    results_sentence: str
    sections: list[SectionView]
    tasks: list[Task]
    budget_total: Decimal
    progress: Progress
    breakdown: AssessmentBreakdown | None = None  # the year's points, for the what-if panel

    @property
    def legal_bases(self) -> list[str]:
        return _lines(self.plan.legal_bases)

    @property
    def purpose(self) -> list[str]:
        return _lines(self.plan.purpose)

    @property
    def requirements(self) -> list[str]:
        return _lines(self.plan.requirements)

    @property
    def organisation(self) -> list[str]:
        return _lines(self.plan.organisation)

    @property
    def recipients(self) -> list[str]:
        return [line.rstrip(";.") for line in _lines(self.plan.recipients)]

    @property
    def date_phrase(self) -> str:
        return texts.date_phrase(self.plan.issued_on, self.plan.work_year)

    @property
    def short_name(self) -> str:
        return texts.short_name(self.plan.unit)

    @property
    def number_line(self) -> str:
        return texts.number_line(self.plan.number)

    @property
    def issuer_lines(self) -> list[str]:
        return texts.agency_lines(self.plan.issuing_agency)

    @property
    def dated_line(self) -> str:
        return texts.dated_line(self.plan.place, self.plan.issued_on, self.plan.work_year)

    @property
    def number_short(self) -> str:
        """ "05/KH-UBND" for the appendix's "Kèm theo Kế hoạch số …", blanks while unnumbered."""
        return texts.number_line(self.plan.number).removeprefix("Số: ")

    @property
    def own_name(self) -> str:
        """ "UBND xã", as the plan calls its own agency (seed 004)."""
        return texts.own_name(self.plan.unit)

    @property
    def overdue_ids(self) -> set[int]:
        return {task.pk for task in self.tasks if task.is_overdue(self.on)}

    @property
    def prints_appendix(self) -> bool:
        """The task matrix is printed when the plan says so; by default when a task says
        more than its criterion (a name, activities, output, budget, or an edited field)."""
        if self.plan.print_appendix is not None:
            return self.plan.print_appendix
        return any(_says_more(task) for task in self.tasks)


def _says_more(task: Task) -> bool:
    return bool(task.name or task.activities or task.output or task.budget or task.edited_fields)


def _lines(text: str) -> list[str]:
    return [line.strip().lstrip("-–•+ ").strip() for line in text.splitlines() if line.strip()]


def plan_document(plan: Plan, on: date) -> PlanDocument:
    """The plan with its unit's points (from the engine), sections, tasks and progress."""
    assessment = (
        Assessment.objects.filter(unit=plan.unit, year=plan.year)
        .select_related("unit", "ranking_group")
        .first()
    )
    breakdown = assessment_breakdown(assessment) if assessment else None
    tasks = list(plan_tasks(plan))
    sections = _section_views(plan, breakdown, tasks)
    fields = [
        FieldRow(node.code, node.code, node.title, node.tally)
        for node in (breakdown.fields if breakdown else [])
    ]
    return PlanDocument(
        plan=plan,
        on=on,
        fields=fields,
        total=breakdown.total if breakdown else None,
        results_sentence=_results_sentence(plan, breakdown),
        sections=sections,
        tasks=tasks,
        budget_total=sum((t.budget_amount or Decimal(0) for t in tasks), Decimal(0)),
        progress=_progress(tasks, on),
        breakdown=breakdown,
    )


def _section_views(
    plan: Plan, breakdown: AssessmentBreakdown | None, tasks: list[Task]
) -> list[SectionView]:
    nodes = {node.criterion_id: node for node in breakdown.nodes} if breakdown else {}
    views = []
    for section in plan_sections(plan):
        node = nodes.get(section.field_id)
        views.append(
            SectionView(
                number=section.field.code,
                section=section,
                title=section.field.title,
                deducted=node.tally.deducted if node else Decimal(0),
                lines=[line.strip() for line in section.deductions.splitlines() if line.strip()],
                tasks=[task for task in tasks if task.section_id == section.pk],
                whole_field=node.is_leaf if node else False,
            )
        )
    return views


def _results_sentence(plan: Plan, breakdown: AssessmentBreakdown | None) -> str:
    if breakdown is None:
        return f"Chưa có kết quả Chỉ số cải cách hành chính năm {plan.year}."
    total = breakdown.total
    lost_fields = sum(1 for node in breakdown.fields if node.tally.deducted > 0)
    sentence = (
        f"Năm {plan.year}, Chỉ số cải cách hành chính của {texts.in_sentence(plan.unit.name)} "
        f"được thẩm định đạt {_pts(total.achieved)}/{_pts(total.max_points)} điểm"
    )
    if parts := breakdown.parts:
        sentence += (
            f", trong đó điểm thẩm định các lĩnh vực đạt {_pts(parts.assessment.achieved)} điểm,"
            f" điểm điều tra xã hội học đạt {_pts(parts.survey.achieved)} điểm"
        )
    sentence += rank_clause(breakdown.assessment)
    return (
        f"{sentence}. Tổng số điểm bị trừ là {_pts(total.deducted)} điểm, "
        f"trên {lost_fields}/{len(breakdown.fields)} lĩnh vực. Cụ thể:"
    )


def _pts(value: Decimal) -> str:
    return format_points(value)


def _progress(tasks: list[Task], on: date) -> Progress:
    return Progress(
        total=len(tasks),
        done=sum(1 for t in tasks if t.status == TaskStatus.DONE),
        in_progress=sum(1 for t in tasks if t.status == TaskStatus.IN_PROGRESS),
        overdue=sum(1 for t in tasks if t.is_overdue(on)),
    )
