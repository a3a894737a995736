"""Did the plans work, across a jurisdiction: every plan of year Y in the user's scope
against its unit's results of Y+1, and which kinds of task won points back.

A fixed number of queries whatever the number of plans: the deducted points of every
criterion the plans name (and of their counterparts) in one set-based statement, the
same sums as the engine's breakdown (exact thousandths, a leaf that does not apply
leaves both points and max, a leaf without a score counts 0); then each plan goes
through the same `outcome_of` as the plan page.
"""

from collections import defaultdict
from dataclasses import dataclass
from itertools import chain

from django.db import connection
from django.db.models import Prefetch, Q

from remediation.models import Plan, Task
from remediation.selectors.effectiveness import (
    NOTHING,
    Losses,
    NodeLosses,
    PlanEffectiveness,
    comparable,
    outcome_of,
    pending,
)
from scoring.access import User, units_in_scope
from scoring.editions import edition_counterparts
from scoring.engine import Tally, from_milli
from scoring.models import SETTLED_STATUSES, Assessment, Criterion, CriterionLink, Score

NODE_LOSSES_SQL = """
SELECT a.id, link.ancestor_id,
    SUM(CASE WHEN s.not_applicable THEN 0
        ELSE CAST(ROUND(leaf.max_points * 1000) AS BIGINT) END),
    COALESCE(SUM(CASE WHEN s.not_applicable THEN 0 ELSE
        CAST(ROUND(COALESCE(s.appraised_score, s.self_score) * 1000) AS BIGINT) END), 0)
FROM {assessment} a
JOIN {criterion} leaf ON leaf.framework_id = a.framework_id AND leaf.is_leaf
JOIN {link} link ON link.descendant_id = leaf.id
LEFT JOIN {score} s ON s.criterion_id = leaf.id AND s.assessment_id = a.id
WHERE a.id IN ({assessments}) AND link.ancestor_id IN ({criteria})
GROUP BY a.id, link.ancestor_id
"""


@dataclass(frozen=True)
class Group:
    """Points won back by one kind of task: a field, or done / not done."""

    label: str
    count: int  # plans (a field) or tasks (a status)
    losses: Losses


@dataclass(frozen=True)
class JurisdictionEffectiveness:
    year: int
    plans: list[PlanEffectiveness]

    @property
    def ready(self) -> list[PlanEffectiveness]:
        return [plan for plan in self.plans if plan.ready]

    @property
    def total(self) -> Losses:
        return sum((plan.total for plan in self.ready), NOTHING)

    @property
    def by_field(self) -> list[Group]:
        """Won back per field (by code and title), over every plan that has it."""
        grouped: dict[tuple[str, str], list[Losses]] = defaultdict(list)
        for plan in self.ready:
            for outcome in plan.fields:
                grouped[(outcome.code, outcome.title)].append(outcome.losses)
        return [
            Group(f"{code}. {title}", len(losses), sum(losses, NOTHING))
            for (code, title), losses in grouped.items()
        ]

    @property
    def by_status(self) -> list[Group]:
        plans = self.ready
        done = sum(plan.done_count for plan in plans)
        tasks = sum(len(plan.tasks) for plan in plans)
        return [
            Group("Đã hoàn thành", done, sum((p.done_losses for p in plans), NOTHING)),
            Group("Chưa hoàn thành", tasks - done, sum((p.open_losses for p in plans), NOTHING)),
        ]


def effectiveness_years(user: User) -> tuple[list[int], int | None]:
    """The years of the plans in the user's scope, newest first, and the one to show
    first: the newest whose next year already has an appraised result (2 queries)."""
    units = units_in_scope(user)
    years = sorted(
        set(Plan.objects.filter(unit__in=units).values_list("year", flat=True)), reverse=True
    )
    settled = set(
        Assessment.objects.filter(unit__in=units, status__in=SETTLED_STATUSES).values_list(
            "year", flat=True
        )
    )
    ready = [year for year in years if year + 1 in settled]
    return years, (ready or years or [None])[0]


def jurisdiction_effectiveness(user: User, year: int) -> JurisdictionEffectiveness:
    """Every plan of `year` in the user's scope, in unit code order."""
    plans = _plans_in_force(user, year)
    results = _results(plans, year)
    pairs = {}
    for plan in plans:
        pair = _years_of(plan, results, year)
        if comparable(*pair):
            pairs[plan.pk] = pair
    tasks = _tasks_by_plan(pairs)
    next_of = _counterparts(pairs.values())
    losses = _node_losses(chain.from_iterable(pairs.values()), _criteria_wanted(tasks, next_of))
    rows = []
    for plan in plans:
        if plan.pk not in pairs:
            rows.append(_pending(plan, results, year))
            continue
        before, after = pairs[plan.pk]
        rows.append(
            outcome_of(
                plan,
                tasks.get(plan.pk, []),
                losses[before.pk],
                losses[after.pk],
                next_of[(after.framework_id, before.framework_id)],
            )
        )
    return JurisdictionEffectiveness(year=year, plans=rows)


def _plans_in_force(user: User, year: int) -> list[Plan]:
    """A unit's newest version of its plan of `year`: the one in force."""
    newest: dict[int, Plan] = {}
    for plan in (
        Plan.objects.filter(unit__in=units_in_scope(user), year=year)
        .select_related("unit")
        .prefetch_related("unit__successors")
        .order_by("unit__code", "-version")
    ):
        newest.setdefault(plan.unit_id, plan)
    return list(newest.values())


def _results(plans: list[Plan], year: int) -> dict[tuple[int, int], Assessment]:
    """(unit id, year) → result: the plans' units in `year` and `year` + 1, and the
    units formed from them in `year` + 1."""
    successors = {unit.pk for plan in plans for unit in plan.unit.successors.all()}
    found = Assessment.objects.filter(
        Q(unit__in={plan.unit_id for plan in plans}, year__in=(year, year + 1))
        | Q(unit__in=successors, year=year + 1)
    ).select_related("framework")
    return {(a.unit_id, a.year): a for a in found}


def _years_of(plan: Plan, results: dict, year: int) -> tuple:
    """The plan's unit's results of `year` and `year` + 1 (either may be None)."""
    return results.get((plan.unit_id, year)), results.get((plan.unit_id, year + 1))


def _pending(plan: Plan, results: dict, year: int) -> PlanEffectiveness:
    merged = [u for u in plan.unit.successors.all() if (u.pk, year + 1) in results]
    return pending(plan, *_years_of(plan, results, year), merged)


def _tasks_by_plan(pairs: dict) -> dict[int, list[Task]]:
    tasks = (
        Task.objects.filter(plan__in=list(pairs))
        .select_related("section", "section__field")
        .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.order_by("sort_key")))
        .order_by("plan", "section__order", "order", "pk")
    )
    grouped: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        grouped[task.plan_id].append(task)
    return grouped


def _counterparts(pairs) -> dict[tuple[int, int], dict[int, tuple[int, ...]]]:
    """Old criterion → new ones, per framework pair (2 queries a pair, not a plan)."""
    frameworks = {
        (after.framework_id, before.framework_id): (after, before) for before, after in pairs
    }
    return {
        key: edition_counterparts(after.framework, before.framework).next_of
        for key, (after, before) in frameworks.items()
    }


def _criteria_wanted(tasks, next_of) -> set[int]:
    named = {c.pk for task in chain.from_iterable(tasks.values()) for c in task.criteria.all()}
    following = {
        pk
        for mapping in next_of.values()
        for old_id, new_ids in mapping.items()
        if old_id in named
        for pk in new_ids
    }
    return named | following


def _node_losses(assessments, criteria: set[int]) -> dict[int, NodeLosses]:
    """Each assessment's deducted points on `criteria`, from one statement."""
    assessments = {a.pk: a for a in assessments}
    deducted: dict[int, dict] = {pk: {} for pk in assessments}
    if assessments and criteria:
        sql = NODE_LOSSES_SQL.format(
            assessment=Assessment._meta.db_table,
            criterion=Criterion._meta.db_table,
            link=CriterionLink._meta.db_table,
            score=Score._meta.db_table,
            assessments=", ".join(["%s"] * len(assessments)),
            criteria=", ".join(["%s"] * len(criteria)),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*assessments, *criteria])
            for assessment_id, criterion_id, max_milli, achieved_milli in cursor.fetchall():
                tally = Tally(from_milli(max_milli), from_milli(achieved_milli))
                deducted[assessment_id][criterion_id] = tally.deducted
    tree = Criterion.objects.filter(
        framework__in={a.framework_id for a in assessments.values()}
    ).values_list("pk", "parent_id", "code")
    parent_of, code_of = {}, {}
    for pk, parent_id, code in tree:
        parent_of[pk], code_of[pk] = parent_id, code
    return {pk: NodeLosses(deducted[pk], parent_of, code_of) for pk in assessments}
