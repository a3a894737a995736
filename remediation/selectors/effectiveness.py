"""Did the plan work: the points its tasks' criteria lost in the plan's year Y and, on
their counterparts, in year Y+1 (matched by code, or by Nội vụ's mapping across
framework editions).

The points come from the engine (`assessment_breakdown`): a criterion's loss is its
node's deducted points. A set of criteria counts each leaf once: a criterion below
another one of the set adds nothing, so a criterion shared by tasks, or a criterion
and its parent both named, are not counted twice in a field's or the plan's total.
A criterion with no counterpart in Y+1 is listed and left out of every sum.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain

from django.db.models import Q

from cchc.formatting import format_points
from cchc.search import fold
from remediation import texts
from remediation.models import Plan, Task, TaskStatus
from remediation.selectors.document import plan_tasks
from scoring.editions import edition_counterparts
from scoring.engine import AssessmentBreakdown, NodeResult, assessment_breakdown
from scoring.models import SETTLED_STATUSES, Assessment, AssessmentStatus, Criterion, Unit

# The framework criterion that scores this very thing, found by its folded title.
FOLLOW_UP_TITLE = fold("Kết quả khắc phục tồn tại, hạn chế")
NO_COUNTERPART = "không có tiêu chí tương ứng năm {year}"
FLAG = "Đã hoàn thành nhưng vẫn bị trừ điểm"


@dataclass(frozen=True)
class Losses:
    """Points lost in Y (`before`) and on the counterparts in Y+1 (`after`); `after` is
    None for a task none of whose criteria has a counterpart in Y+1 (nothing to compare)."""

    before: Decimal
    after: Decimal | None

    @property
    def won_back(self) -> Decimal | None:
        """Negative when Y+1 lost more than Y."""
        return None if self.after is None else self.before - self.after

    @property
    def verdict(self) -> str:
        if self.after is None:
            return "không so sánh được: không có tiêu chí tương ứng"
        if not (self.before or self.after):
            return "không bị trừ điểm"
        if self.won_back < 0:
            return f"bị trừ thêm {format_points(-self.won_back)} điểm"
        return f"đã khắc phục {format_points(self.won_back)}/{format_points(self.before)} điểm"

    def __add__(self, other: "Losses") -> "Losses":
        return Losses(self.before + other.before, self.after + other.after)


NOTHING = Losses(Decimal(0), Decimal(0))


@dataclass(frozen=True)
class NodeLosses:
    """One assessment's deducted points on criteria of any depth, and its tree."""

    deducted: dict[int, Decimal]
    parent_of: dict[int, int | None]
    code_of: dict[int, str]

    @classmethod
    def of(cls, breakdown: AssessmentBreakdown) -> "NodeLosses":
        nodes = breakdown.nodes
        return cls(
            deducted={node.criterion_id: node.tally.deducted for node in nodes},
            parent_of={node.criterion_id: node.parent_id for node in nodes},
            code_of={node.criterion_id: node.code for node in nodes},
        )

    def lost(self, criterion_ids: Iterable[int]) -> Decimal:
        """Points lost on these criteria, each leaf once."""
        chosen = set(criterion_ids)
        tops = [pk for pk in chosen if not self._below_one_of(pk, chosen)]
        return sum((self.deducted.get(pk, Decimal(0)) for pk in tops), Decimal(0))

    def _below_one_of(self, pk: int, chosen: set[int]) -> bool:
        parent = self.parent_of.get(pk)
        while parent is not None:
            if parent in chosen:
                return True
            parent = self.parent_of.get(parent)
        return False


@dataclass(frozen=True)
class CriterionOutcome:
    criterion: Criterion
    next_codes: tuple[str, ...]  # the counterparts' codes in Y+1; empty: none
    losses: Losses | None  # None: no counterpart, left out of the sums
    next_year: int

    @property
    def label(self) -> str:
        """ "1.2", "2.2 → 2.3" (continued under another code), "1.4 (không có …)"."""
        code = self.criterion.code
        if not self.next_codes:
            return f"{code} ({NO_COUNTERPART.format(year=self.next_year)})"
        if self.next_codes != (code,):
            return f"{code} → {', '.join(self.next_codes)}"
        return code


@dataclass(frozen=True)
class TaskOutcome:
    task: Task
    criteria: list[CriterionOutcome]
    losses: Losses
    status: str  # the task's, or as a progress report's date found it

    @property
    def flagged(self) -> bool:
        """Done, yet its criteria still lose points in Y+1."""
        return self.status == TaskStatus.DONE and (self.losses.after or 0) > 0

    @property
    def flag(self) -> str:
        return FLAG if self.flagged else ""

    @property
    def uncounted(self) -> list[CriterionOutcome]:
        return [outcome for outcome in self.criteria if outcome.losses is None]

    @property
    def criteria_label(self) -> str:
        return "; ".join(outcome.label for outcome in self.criteria) or "—"

    @property
    def name(self) -> str:
        return self.task.name or self.task.objective


@dataclass(frozen=True)
class FieldOutcome:
    code: str
    title: str
    tasks: list[TaskOutcome]
    losses: Losses


@dataclass(frozen=True)
class PlanEffectiveness:
    plan: Plan
    ready: bool  # Y+1 is appraised: the figures below exist
    sentence: str
    fields: list[FieldOutcome] = field(default_factory=list)
    total: Losses | None = None
    # Won back by the tasks done and by the others (a criterion of both counts in both).
    done_losses: Losses = NOTHING
    open_losses: Losses = NOTHING
    # Y+1's own score of the remediation of Y ("Kết quả khắc phục tồn tại, hạn chế").
    follow_up: NodeResult | None = None

    @property
    def next_year(self) -> int:
        return self.plan.year + 1

    @property
    def tasks(self) -> list[TaskOutcome]:
        return [task for outcome in self.fields for task in outcome.tasks]

    @property
    def flagged(self) -> list[TaskOutcome]:
        return [task for task in self.tasks if task.flagged]

    @property
    def done_count(self) -> int:
        return sum(1 for task in self.tasks if task.status == TaskStatus.DONE)

    @property
    def uncounted(self) -> list[CriterionOutcome]:
        """Criteria without a counterpart in Y+1, each once."""
        seen: dict[int, CriterionOutcome] = {}
        for task in self.tasks:
            for outcome in task.uncounted:
                seen.setdefault(outcome.criterion.pk, outcome)
        return list(seen.values())

    @property
    def no_counterpart(self) -> str:
        return NO_COUNTERPART.format(year=self.next_year)

    @property
    def uncounted_note(self) -> str:
        """What the sums leave out, said once."""
        if not self.uncounted:
            return ""
        codes = ", ".join(outcome.criterion.code for outcome in self.uncounted)
        return f"Không tính vào tổng: tiêu chí {codes} ({self.no_counterpart})."

    @property
    def follow_up_sentence(self) -> str:
        if self.follow_up is None:
            return ""
        node = self.follow_up
        return (
            f"Năm {self.next_year}, tiêu chí {node.code} «{node.title}» đạt "
            f"{format_points(node.tally.achieved)}/{format_points(node.tally.max_points)} điểm."
        )


def plan_effectiveness(
    plan: Plan, tasks: list[Task] | None = None, *, statuses: Mapping[int, str] | None = None
) -> PlanEffectiveness:
    """The plan against its unit's results of Y+1. `tasks` from `plan_tasks` when the
    caller has them; else 3 queries more. At most 5 queries besides (the two years'
    results, their breakdowns, the editions' counterparts); 1 while Y+1 is not appraised.
    `statuses` (task id → status) replaces the tasks' own, as a report's date found them."""
    next_year = plan.year + 1
    found = Assessment.objects.filter(
        Q(unit=plan.unit_id, year__in=(plan.year, next_year))
        | Q(unit__predecessors=plan.unit_id, year=next_year)
    ).select_related("framework", "unit")
    results = {a.year: a for a in found if a.unit_id == plan.unit_id}
    successors = [a.unit for a in found if a.unit_id != plan.unit_id]
    before, after = results.get(plan.year), results.get(next_year)
    if not comparable(before, after):
        return pending(plan, before, after, successors)
    tasks = list(plan_tasks(plan)) if tasks is None else tasks
    next_breakdown = assessment_breakdown(after)
    return outcome_of(
        plan,
        tasks,
        NodeLosses.of(assessment_breakdown(before)),
        NodeLosses.of(next_breakdown),
        edition_counterparts(after.framework, before.framework).next_of,
        follow_up(next_breakdown),
        statuses=statuses,
    )


def comparable(before: Assessment | None, after: Assessment | None) -> bool:
    """Both years' results exist and Y+1's points no longer move."""
    return before is not None and after is not None and after.status in SETTLED_STATUSES


def pending(
    plan: Plan, before: Assessment | None, after: Assessment | None, successors: list[Unit]
) -> PlanEffectiveness:
    """No figures yet: when they will show, said plainly. `successors`: the units formed
    from the plan's unit that have a result of Y+1 (a commune merged in the reorganisation)."""
    next_year = plan.year + 1
    if before is None:
        sentence = f"Chưa có kết quả Chỉ số cải cách hành chính năm {plan.year} để đối chiếu."
    elif after is None and successors:
        merged = ", ".join(sorted(unit.name for unit in successors))
        sentence = (
            f"{plan.unit.name} đã hợp nhất vào {merged} từ năm {next_year}: kết quả năm "
            f"{next_year} là của đơn vị mới, không đối chiếu được với kế hoạch này."
        )
    else:
        status = AssessmentStatus(after.status).label.lower() if after else "chưa có"
        sentence = (
            f"Kết quả khắc phục sẽ hiển thị khi kết quả Chỉ số cải cách hành chính năm "
            f"{next_year} của {texts.in_sentence(plan.unit.name)} được thẩm định "
            f"(hiện: {status})."
        )
    return PlanEffectiveness(plan=plan, ready=False, sentence=sentence)


def outcome_of(
    plan: Plan,
    tasks: list[Task],
    before: NodeLosses,
    after: NodeLosses,
    next_of: dict[int, tuple[int, ...]],
    follow: NodeResult | None = None,
    *,
    statuses: Mapping[int, str] | None = None,
) -> PlanEffectiveness:
    """The figures from both years' losses: shared by one plan and the jurisdiction."""

    def status_of(task: Task) -> str:
        return (statuses or {}).get(task.pk, task.status)

    def losses(criterion_ids: Iterable[int]) -> Losses:
        counted = [pk for pk in set(criterion_ids) if next_of.get(pk)]
        return Losses(
            before.lost(counted), after.lost(chain.from_iterable(next_of[pk] for pk in counted))
        )

    def criterion_outcome(criterion: Criterion) -> CriterionOutcome:
        next_ids = next_of.get(criterion.pk, ())
        return CriterionOutcome(
            criterion=criterion,
            next_codes=tuple(sorted(after.code_of.get(pk, "") for pk in next_ids)),
            losses=losses([criterion.pk]) if next_ids else None,
            next_year=plan.year + 1,
        )

    def ids(chosen: Iterable[Task]) -> list[int]:
        return [criterion.pk for task in chosen for criterion in task.criteria.all()]

    def task_losses(task: Task) -> Losses:
        """A task whose criteria all lack a counterpart still shows what they lost in Y."""
        criterion_ids = ids([task])
        if criterion_ids and not any(next_of.get(pk) for pk in criterion_ids):
            return Losses(before.lost(criterion_ids), None)
        return losses(criterion_ids)

    fields = []
    for section_tasks in _by_section(tasks):
        area = section_tasks[0].section.field
        outcomes = [
            TaskOutcome(
                task=task,
                criteria=[criterion_outcome(c) for c in task.criteria.all()],
                losses=task_losses(task),
                status=status_of(task),
            )
            for task in section_tasks
        ]
        fields.append(FieldOutcome(area.code, area.title, outcomes, losses(ids(section_tasks))))
    done = [task for task in tasks if status_of(task) == TaskStatus.DONE]
    others = [task for task in tasks if status_of(task) != TaskStatus.DONE]
    total = losses(ids(tasks))
    return PlanEffectiveness(
        plan=plan,
        ready=True,
        sentence=_summary(plan, total),
        fields=fields,
        total=total,
        done_losses=losses(ids(done)),
        open_losses=losses(ids(others)),
        follow_up=follow,
    )


def _by_section(tasks: list[Task]) -> list[list[Task]]:
    """The tasks grouped by their field, in the plan's order."""
    groups: dict[int, list[Task]] = {}
    for task in tasks:
        groups.setdefault(task.section_id, []).append(task)
    return list(groups.values())


def _summary(plan: Plan, total: Losses) -> str:
    return (
        f"Các tiêu chí của kế hoạch bị trừ {format_points(total.before)} điểm năm {plan.year} "
        f"và {format_points(total.after)} điểm năm {plan.year + 1}: {total.verdict}."
    )


def follow_up(breakdown: AssessmentBreakdown) -> NodeResult | None:
    return next((n for n in breakdown.nodes if FOLLOW_UP_TITLE in fold(n.title)), None)
