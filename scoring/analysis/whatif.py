"""What-if panels: the points at stake on each deducted criterion (dashboard) or plan
task (plan page), and what the ticked ones would win back, from `scoring.engine`."""

from dataclasses import dataclass, field
from decimal import Decimal

from scoring.analysis.visibility import PUBLISHED, ranking_statuses
from scoring.engine import (
    AssessmentBreakdown,
    Tally,
    WhatIfRank,
    deducted_leaves_under,
    points_at_stake,
    what_if_rank,
    won_back,
)
from scoring.models import Assessment, AssessmentStatus

# How the plan page lists its tasks: by points at stake (highest first) or as planned.
BY_STAKE, BY_PLAN = "diem", "thu-tu"


@dataclass(frozen=True)
class Choice:
    """A box to tick: a deducted criterion or a plan task, with the points it puts at stake."""

    pk: int
    label: str
    at_stake: Decimal
    ticked: bool
    # The deducted criteria whose points it wins back (a task's), by code.
    codes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WhatIf:
    before: Tally
    after: Tally
    rank: WhatIfRank | None
    # Why no rank is shown, when none is.
    no_rank_reason: str = ""
    provisional: bool = False  # ranked among unpublished results (Nội vụ)

    @property
    def gained(self) -> Decimal:
        return self.after.achieved - self.before.achieved


@dataclass(frozen=True)
class WhatIfPanel:
    assessment: Assessment
    choices: list[Choice]
    result: WhatIf | None  # None until something is ticked
    asked: bool  # the form was sent
    ignored: int = 0  # ticked ids that are not boxes of this panel
    order: str = BY_STAKE
    for_tasks: bool = False  # the boxes are plan tasks, not criteria


def criteria_what_if(
    user, breakdown: AssessmentBreakdown, ticked: list[str], *, asked: bool
) -> WhatIfPanel:
    """The dashboard's panel: one box per deducted leaf, the biggest loss first."""
    wanted = _ids(ticked)
    leaves = breakdown.deducted_leaves
    choices = [
        Choice(
            pk=leaf.criterion_id,
            label=f"{leaf.code}. {leaf.title}",
            at_stake=leaf.tally.deducted,
            ticked=leaf.criterion_id in wanted,
        )
        for leaf in leaves
    ]
    chosen = {choice.pk for choice in choices if choice.ticked}
    return WhatIfPanel(
        assessment=breakdown.assessment,
        choices=choices,
        result=_result(user, breakdown, chosen) if chosen else None,
        asked=asked,
        ignored=len(wanted - chosen) + _not_ids(ticked),
    )


def plan_what_if(
    user,
    breakdown: AssessmentBreakdown | None,
    tasks: list,
    ticked: list[str],
    *,
    asked: bool,
    order: str = BY_STAKE,
) -> WhatIfPanel | None:
    """The plan page's panel: one box per task with the points lost on the leaves under
    its criteria; ticked tasks win back the union of their leaves, a leaf counted once.
    `breakdown` is the plan year's (None without a sheet: no panel), `tasks` carry their
    criteria and field prefetched."""
    if breakdown is None:
        return None
    wanted = _ids(ticked)
    criteria = {task.pk: {c.pk for c in task.criteria.all()} for task in tasks}
    choices = [
        Choice(
            pk=task.pk,
            label=f"{task.section.field.code}. {task.name or task.objective or task}",
            at_stake=points_at_stake(breakdown, criteria[task.pk]),
            ticked=task.pk in wanted,
            codes=[leaf.code for leaf in deducted_leaves_under(breakdown, criteria[task.pk])],
        )
        for task in tasks
    ]
    order = order if order == BY_PLAN else BY_STAKE
    if order == BY_STAKE:
        choices.sort(key=lambda choice: -choice.at_stake)  # stable: plan order among equals
    chosen = [choice.pk for choice in choices if choice.ticked]
    leaves = set().union(*(criteria[pk] for pk in chosen))
    return WhatIfPanel(
        assessment=breakdown.assessment,
        choices=choices,
        result=_result(user, breakdown, leaves) if chosen else None,
        asked=asked,
        ignored=len(wanted - set(chosen)) + _not_ids(ticked),
        order=order,
        for_tasks=True,
    )


def _result(user, breakdown: AssessmentBreakdown, criterion_ids: set[int]) -> WhatIf:
    assessment = breakdown.assessment
    gained = points_at_stake(breakdown, criterion_ids)
    after = won_back(breakdown.total, gained)
    group = assessment.ranking_group
    if group is None:
        reason = f"Năm {assessment.year} đơn vị không thuộc khối xếp hạng nào."
        return WhatIf(breakdown.total, after, None, reason)
    statuses = ranking_statuses(user, group, assessment.year)
    rank = what_if_rank(assessment, gained=gained, statuses=statuses)
    reason = "" if rank else _no_rank_reason(assessment, statuses)
    # As the dashboard says it: a published result is ranked as published.
    provisional = statuses != PUBLISHED and assessment.status != AssessmentStatus.PUBLISHED
    return WhatIf(breakdown.total, after, rank, reason, provisional=provisional)


def _no_rank_reason(assessment: Assessment, statuses: list[str]) -> str:
    if statuses == PUBLISHED:
        return (
            f"Kết quả năm {assessment.year} chưa được công bố nên chưa có thứ hạng để so: "
            "thứ hạng chỉ tính trên các kết quả đã công bố."
        )
    if assessment.status == AssessmentStatus.DRAFT:
        return "Phiếu chấm chưa được gửi nên chưa có trong xếp hạng tạm tính."
    return "Kết quả này không có trong xếp hạng của khối."


def _ids(values: list[str]) -> set[int]:
    return {int(value) for value in values if value.isdigit()}


def _not_ids(values: list[str]) -> int:
    return sum(1 for value in values if not value.isdigit())
