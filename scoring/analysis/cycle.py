"""The home page: the year's cycle at a glance, overdue units."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, DateField, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, LessThan

from scoring.access import assessments_in_scope
from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    RankingGroup,
    ScoringCalendar,
)


@dataclass
class CycleSummary:
    year: int | None
    counts: dict[str, int]
    total: int
    calendar: ScoringCalendar | None
    overdue: list[Assessment]
    overdue_count: int
    groups: list[RankingGroup]

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        return [
            (value, label, self.counts.get(value, 0)) for value, label in AssessmentStatus.choices
        ]


def cycle_summary(user, today: date, *, overdue_limit: int = 50) -> CycleSummary:
    """Counts by status for the latest year in scope and the ones past a deadline."""
    scope = assessments_in_scope(user)
    year = scope.aggregate(latest=Max("year"))["latest"]
    if year is None:
        return CycleSummary(None, {}, 0, None, [], 0, [])
    of_year = scope.filter(year=year)
    counts = dict(of_year.values_list("status").annotate(n=Count("id")).order_by())
    calendar = ScoringCalendar.objects.filter(year=year).first()
    overdue_filter = _overdue_filter(calendar, today)
    overdue_qs = of_year.none() if overdue_filter is None else of_year.filter(overdue_filter)
    overdue = list(overdue_qs.select_related("unit").order_by("unit__code")[:overdue_limit])
    overdue_count = len(overdue) if len(overdue) < overdue_limit else overdue_qs.count()
    # Every group in scope with its own latest year: an administrator's provinces
    # need not be in the same cycle, and the counts above are only the latest's.
    groups = list(
        RankingGroup.objects.filter(assessments__in=scope)
        .annotate(latest_year=Max("assessments__year"))
        .order_by("-latest_year", "name")
    )
    return CycleSummary(
        year=year,
        counts={status: counts.get(status, 0) for status in AssessmentStatus.values},
        total=sum(counts.values()),
        calendar=calendar,
        overdue=overdue,
        overdue_count=overdue_count,
        groups=groups,
    )


def _overdue_filter(calendar: ScoringCalendar | None, today: date) -> Q | None:
    """Still with the unit after its deadline, or not yet appraised after that one.

    A unit's deadline is the year's, unless Nội vụ gave it its own ("Gia hạn") or
    returned its sheet (for explanation or correction: then it runs to the appraisal
    deadline), as `scoring.workflow.sheet_state` works it out for one sheet."""
    if calendar is None:
        return None
    condition = Q(pk__in=[])
    if today > calendar.self_assessment_closes:
        closes = _unit_deadline(calendar)
        condition |= Q(status=AssessmentStatus.DRAFT) & Q(
            LessThan(closes, Value(today, output_field=DateField()))
        )
    if today > calendar.appraisal_closes:
        condition |= Q(status=AssessmentStatus.SUBMITTED)
    return condition


def _unit_deadline(calendar: ScoringCalendar) -> Case:
    events = AssessmentEvent.objects.filter(assessment_id=OuterRef("pk")).order_by("-at", "-id")
    extended = events.filter(action=AssessmentEvent.Action.EXTEND).values("deadline")[:1]
    returned = Q(Exact(Subquery(events.values("action")[:1]), AssessmentEvent.Action.RETURN))
    return Case(
        When(returned, then=Value(calendar.appraisal_closes)),
        default=Coalesce(Subquery(extended), Value(calendar.self_assessment_closes)),
        output_field=DateField(),
    )
