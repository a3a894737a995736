"""Reads for the "Kỳ đánh giá" pages: the calendars a user may change, with their sheets."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from scoring.access import User, is_home_affairs, units_in_scope
from scoring.cycles.opening import units_below
from scoring.models import Assessment, ScoringCalendar, Unit, UnitLevel


def jurisdictions_for(user: User) -> QuerySet[Unit]:
    """The units whose cycle the user may open: those in scope with units below them."""
    if not is_home_affairs(user):
        return Unit.objects.none()
    return units_in_scope(user).exclude(level=UnitLevel.COMMUNE).order_by("code")


def calendars_for(user: User) -> QuerySet[ScoringCalendar]:
    """The calendars of the user's jurisdictions, newest year first, each with `sheets`:
    how many sheets its year has below its unit (one query)."""
    below = Q(unit__parent_id=OuterRef("unit_id")) | Q(unit__parent__parent_id=OuterRef("unit_id"))
    counts = (
        Assessment.objects.filter(below, year=OuterRef("year"))
        .order_by()
        .values("year")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        ScoringCalendar.objects.filter(unit__in=jurisdictions_for(user))
        .select_related("unit")
        .annotate(sheets=Coalesce(Subquery(counts, output_field=IntegerField()), Value(0)))
        .order_by("-year", "unit__code")
    )


def sheets_by_status(calendar: ScoringCalendar) -> dict[str, int]:
    rows = (
        Assessment.objects.filter(unit__in=units_below(calendar.unit), year=calendar.year)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return dict(rows)
