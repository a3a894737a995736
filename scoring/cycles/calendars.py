"""Which calendar governs a unit, and each sheet's deadlines worked out in SQL.

A unit's dates are those of the nearest unit above it whose Nội vụ opened the year's
cycle. Units sit only under a unit of a higher level (LEVEL_RANK: province, district
or department, commune), so there are at most two units above any unit: its parent
and its parent's parent. That keeps the lookup one indexed join per level, for one
sheet or for every sheet of the country.
"""

from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    F,
    OuterRef,
    PositiveSmallIntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact

from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    ScoringCalendar,
    Unit,
)

# The units above a unit, nearest first, as paths from the unit.
ABOVE = ("parent", "parent__parent")


def calendar_for_unit(unit: Unit, year: int) -> ScoringCalendar | None:
    """The calendar of `year` that governs `unit`: its parent's, else its grandparent's
    (one query)."""
    if unit.parent_id is None:
        return None
    above = Unit.objects.filter(Q(children=unit) | Q(children__children=unit)).values("id")
    calendars = ScoringCalendar.objects.filter(year=year, unit_id__in=above).select_related("unit")
    return min(calendars, key=lambda calendar: calendar.unit_id != unit.parent_id, default=None)


def assessment_calendar(assessment: Assessment) -> ScoringCalendar | None:
    return calendar_for_unit(assessment.unit, assessment.year)


def appraisal_rounds(assessment: Assessment) -> int:
    """The sheet's appraisal rounds: 1 unless its calendar says 2."""
    calendar = assessment_calendar(assessment)
    return calendar.appraisal_rounds if calendar else 1


def calendar_value(field: str, output_field) -> Coalesce:
    """For an Assessment queryset: `field` of the calendar governing each row's unit
    and year."""

    def nearest(path: str) -> Subquery:
        calendars = ScoringCalendar.objects.filter(
            unit_id=OuterRef(f"unit__{path}_id"), year=OuterRef("year")
        )
        return Subquery(calendars.values(field)[:1])

    return Coalesce(*(nearest(path) for path in ABOVE), output_field=output_field)


def rounds_value() -> Coalesce:
    """For an Assessment queryset: each sheet's appraisal rounds, 1 without a calendar
    (as `appraisal_rounds` says for one sheet)."""
    return Coalesce(calendar_value("appraisal_rounds", PositiveSmallIntegerField()), Value(1))


def with_deadlines(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Each sheet annotated with its calendar's dates and the deadline it runs to now:

    - `self_closes`, `appraisal_closes`, `rounds`: its calendar's (None without one);
    - `deadline`: the date the step the sheet waits for is due. In self-assessment the
      unit's own (Nội vụ's latest "Gia hạn", else the calendar's; a sheet returned for
      explanation or correction runs to the appraisal deadline); submitted or appraised,
      the appraisal deadline; published, none.

    As `scoring.workflow.sheet_state` works it out for one sheet."""
    events = AssessmentEvent.objects.filter(assessment_id=OuterRef("pk")).order_by("-at", "-id")
    extended = events.filter(action=AssessmentEvent.Action.EXTEND).values("deadline")[:1]
    returned = Q(Exact(Subquery(events.values("action")[:1]), AssessmentEvent.Action.RETURN))
    dates = assessments.annotate(
        self_closes=calendar_value("self_assessment_closes", DateField()),
        appraisal_closes=calendar_value("appraisal_closes", DateField()),
        rounds=rounds_value(),
    )
    draft = Q(status=AssessmentStatus.DRAFT)
    with_appraisal = Q(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED])
    return dates.annotate(
        deadline=Case(
            When(draft & returned, then=F("appraisal_closes")),
            When(draft, then=Coalesce(Subquery(extended), F("self_closes"))),
            When(with_appraisal, then=F("appraisal_closes")),
            default=None,
            output_field=DateField(),
        )
    )


def past_deadline(today) -> Q:
    """On `with_deadlines` rows: still with the unit after its deadline, or not yet
    appraised after the appraisal deadline. A sheet with no calendar is never overdue."""
    return Q(deadline__lt=today) & Q(
        status__in=[AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED]
    )


def calendars_governing(assessments: QuerySet[Assessment]) -> QuerySet[ScoringCalendar]:
    """The calendars that give `assessments` their dates (two queries): a district's
    Nội vụ sees its own calendar, not the province's its communes no longer follow."""
    ids = (
        assessments.annotate(calendar_id=calendar_value("id", BigIntegerField()))
        .exclude(calendar_id=None)
        .values_list("calendar_id", flat=True)
        .distinct()
    )
    return (
        ScoringCalendar.objects.filter(pk__in=list(ids))
        .select_related("unit")
        .order_by("unit__code")
    )
