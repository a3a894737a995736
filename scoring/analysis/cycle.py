"""The home page: the year's cycle at a glance, overdue units."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max

from scoring.access import assessments_in_scope
from scoring.cycles.calendars import calendars_governing, past_deadline, with_deadlines
from scoring.models import Assessment, AssessmentStatus, RankingGroup, ScoringCalendar


@dataclass
class CycleSummary:
    year: int | None
    counts: dict[str, int]
    total: int
    # The year's calendars that give the sheets in scope their dates.
    calendars: list[ScoringCalendar]
    overdue: list[Assessment]
    overdue_count: int
    groups: list[RankingGroup]

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        return [
            (value, label, self.counts.get(value, 0)) for value, label in AssessmentStatus.choices
        ]


def cycle_summary(
    user, today: date, *, year: int | None = None, overdue_limit: int = 50
) -> CycleSummary:
    """Counts by status for `year` (by default the latest in scope) and the ones past a
    deadline."""
    scope = assessments_in_scope(user)
    year = year or scope.aggregate(latest=Max("year"))["latest"]
    if year is None:
        return CycleSummary(None, {}, 0, [], [], 0, [])
    of_year = scope.filter(year=year)
    counts = dict(of_year.values_list("status").annotate(n=Count("id")).order_by())
    calendars = list(calendars_governing(of_year))
    overdue_qs = with_deadlines(of_year).filter(past_deadline(today))
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
        calendars=calendars,
        overdue=overdue,
        overdue_count=overdue_count,
        groups=groups,
    )
