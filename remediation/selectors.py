"""Reads: plans in a user's scope, their tasks and overdue state, and the printed document.

Overdue is worked out when read, from each task's due date and status, never
stored. Points come from `scoring.engine` only.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from cchc.formatting import format_points
from remediation import texts
from remediation.models import (
    OPEN_STATUSES,
    RESULT_STATUSES,
    Agency,
    Plan,
    ProgressUpdate,
    Section,
    Task,
    TaskStatus,
    overdue,
)
from scoring.access import User, assessments_in_scope, unit_ancestor_ids, units_in_scope
from scoring.engine import AssessmentBreakdown, Tally, assessment_breakdown, group_ranking
from scoring.models import Assessment, AssessmentStatus, Criterion


def overdue_q(on: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": OPEN_STATUSES,
            f"{prefix}due_date__isnull": False,
            f"{prefix}due_date__lt": on,
        }
    )


def plans_in_scope(user: User, on: date) -> QuerySet[Plan]:
    """Every plan of the units the user may see, with task, done and overdue counts."""
    return (
        Plan.objects.filter(unit__in=units_in_scope(user))
        .select_related("unit")
        .annotate(
            task_count=Count("tasks", distinct=True),
            done_count=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
            overdue_count=Count("tasks", filter=overdue_q(on, "tasks__"), distinct=True),
        )
        .order_by("-year", "unit__code")
    )


def assessments_without_plan(user: User) -> QuerySet[Assessment]:
    """Appraised results in the user's scope that have no plan yet, newest first."""
    has_plan = Plan.objects.filter(unit=OuterRef("unit"), year=OuterRef("year"))
    return (
        assessments_in_scope(user)
        .filter(status__in=RESULT_STATUSES)
        .exclude(Exists(has_plan))
        .select_related("unit")
        .order_by("-year", "unit__code")
    )


def plan_for_user(user: User, pk: int) -> Plan:
    """The plan if its unit is in the user's scope; 404 if none, refusal if outside."""
    plan = get_object_or_404(Plan.objects.select_related("unit", "unit__parent"), pk=pk)
    if not units_in_scope(user).filter(pk=plan.unit_id).exists():
        raise PermissionDenied("Bạn không có quyền xem kế hoạch của đơn vị này.")
    return plan


def task_for_user(user: User, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("plan", "plan__unit"), pk=pk)
    if not units_in_scope(user).filter(pk=task.plan.unit_id).exists():
        raise PermissionDenied("Bạn không có quyền sửa nhiệm vụ của đơn vị này.")
    return task


def progress_update_for_user(user: User, pk: int) -> ProgressUpdate:
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("task__plan"), pk=pk, evidence__gt=""
    )
    if not units_in_scope(user).filter(pk=update.task.plan.unit_id).exists():
        raise PermissionDenied("Bạn không có quyền xem tài liệu của đơn vị này.")
    return update


def section_for_user(user: User, pk: int) -> Section:
    section = get_object_or_404(Section.objects.select_related("plan", "plan__unit"), pk=pk)
    if not units_in_scope(user).filter(pk=section.plan.unit_id).exists():
        raise PermissionDenied("Bạn không có quyền sửa kế hoạch của đơn vị này.")
    return section


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


def agency_names(plan: Plan) -> list[str]:
    """Leads and coordinators typed before in the plans of this unit and of the units
    above it (a commune is offered its district's offices), never of its peers."""
    names = Agency.objects.filter(unit__in=unit_ancestor_ids(plan.unit))
    return list(names.order_by("name").values_list("name", flat=True).distinct())


@dataclass(frozen=True)
class FieldRow:
    number: int
    code: str
    title: str
    tally: Tally


@dataclass(frozen=True)
class SectionView:
    number: int
    section: Section
    title: str
    deducted: Decimal
    lines: list[str]
    tasks: list[Task] = field(default_factory=list)

    @property
    def has_named_tasks(self) -> bool:
        return any(task.name for task in self.tasks)


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
    def overdue_ids(self) -> set[int]:
        return {task.pk for task in self.tasks if task.is_overdue(self.on)}


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
        FieldRow(number, node.code, node.title, node.tally)
        for number, node in enumerate(breakdown.fields if breakdown else [], start=1)
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
    )


def _section_views(
    plan: Plan, breakdown: AssessmentBreakdown | None, tasks: list[Task]
) -> list[SectionView]:
    nodes = {node.criterion_id: node for node in breakdown.nodes} if breakdown else {}
    lines: dict[int, list[str]] = {}
    for node in breakdown.nodes if breakdown else []:
        # A field scored as a whole has no lines: its heading already says it all.
        if node.is_leaf and not node.not_applicable and node.tally.deducted > 0 and node.depth:
            root = node
            while root.parent_id is not None:
                root = nodes[root.parent_id]
            lines.setdefault(root.criterion_id, []).append(
                texts.criterion_line(
                    node.title, node.tally.achieved, node.tally.max_points, node.tally.deducted
                )
            )
    views = []
    for number, section in enumerate(plan_sections(plan), start=1):
        node = nodes.get(section.field_id)
        views.append(
            SectionView(
                number=number,
                section=section,
                title=section.field.title,
                deducted=node.tally.deducted if node else Decimal(0),
                lines=lines.get(section.field_id, []),
                tasks=[task for task in tasks if task.section_id == section.pk],
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
    sentence += _rank_clause(breakdown.assessment)
    return (
        f"{sentence}. Tổng số điểm bị trừ là {_pts(total.deducted)} điểm, "
        f"trên {lost_fields}/{len(breakdown.fields)} lĩnh vực. Cụ thể:"
    )


def _rank_clause(assessment: Assessment) -> str:
    """ "; xếp thứ 3/23 trong khối …; tăng 20 bậc so với năm 2022", from published results."""
    group = assessment.ranking_group
    if group is None or assessment.status != AssessmentStatus.PUBLISHED:
        return ""
    ranking = group_ranking(group, assessment.year, statuses=[AssessmentStatus.PUBLISHED])
    row = next((r for r in ranking.rows if r.assessment_id == assessment.pk), None)
    if row is None:
        return ""
    clause = f"; xếp thứ {row.rank}/{len(ranking.rows)} trong {texts.in_sentence(group.name)}"
    change = row.rank_change
    if change:
        verb = "tăng" if change > 0 else "giảm"
        clause += f"; {verb} {abs(change):02d} bậc so với năm {assessment.year - 1}"
    elif change == 0:
        clause += f"; giữ nguyên thứ hạng so với năm {assessment.year - 1}"
    return clause


def _pts(value: Decimal) -> str:
    return format_points(value)


def _progress(tasks: list[Task], on: date) -> Progress:
    return Progress(
        total=len(tasks),
        done=sum(1 for t in tasks if t.status == TaskStatus.DONE),
        in_progress=sum(1 for t in tasks if t.status == TaskStatus.IN_PROGRESS),
        overdue=sum(1 for t in tasks if t.is_overdue(on)),
    )


@dataclass(frozen=True)
class TaskProgress:
    number: int
    task: Task
    status: str
    progress: int
    note: str
    overdue: bool

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label


def progress_as_of(document: PlanDocument, on: date) -> list[TaskProgress]:
    """Each task's status and progress by the latest update reported on or before `on`."""
    latest: dict[int, ProgressUpdate] = {}
    updates = ProgressUpdate.objects.filter(task__plan=document.plan, reported_on__lte=on)
    for update in updates.order_by("reported_on", "pk"):
        latest[update.task_id] = update
    rows = []
    for number, task in enumerate(document.tasks, start=1):
        update = latest.get(task.pk)
        status = update.status if update else TaskStatus.NOT_STARTED
        rows.append(
            TaskProgress(
                number=number,
                task=task,
                status=status,
                progress=update.progress if update else 0,
                note=update.note if update else "",
                overdue=overdue(status, task.due_date, on),
            )
        )
    return rows


@dataclass(frozen=True)
class ProgressReport:
    """The progress report (ký hiệu BC) of a plan as of a date."""

    plan: Plan
    on: date
    rows: list[TaskProgress]

    def _count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return self._count(TaskStatus.DONE)

    @property
    def in_progress(self) -> int:
        return self._count(TaskStatus.IN_PROGRESS)

    @property
    def not_started(self) -> int:
        return self._count(TaskStatus.NOT_STARTED)

    @property
    def cancelled(self) -> int:
        return self._count(TaskStatus.CANCELLED)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def number_line(self) -> str:
        return texts.number_line("/BC-UBND")

    @property
    def dated_line(self) -> str:
        return texts.dated_line(self.plan.place, None, self.on.year)

    @property
    def summary(self) -> str:
        return (
            "Kết quả thực hiện Kế hoạch khắc phục tồn tại, hạn chế trong công tác cải cách "
            f"hành chính năm {self.plan.year} (tính đến ngày {self.on:%d/%m/%Y})"
        )


def progress_report(document: PlanDocument, on: date) -> ProgressReport:
    return ProgressReport(plan=document.plan, on=on, rows=progress_as_of(document, on))
