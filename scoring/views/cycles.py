"""Kỳ đánh giá: Nội vụ opens its jurisdiction's cycle of a year and moves its dates.

The work is scoring.cycles.opening's; these views check the role, read the form and
tell what happened."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from scoring.access import User, home_unit, is_home_affairs
from scoring.cycles.forms import CycleForm
from scoring.cycles.opening import NOT_YOURS, cycle_open, cycle_plan, opening_summary
from scoring.cycles.selectors import calendars_for, jurisdictions_for, sheets_by_status
from scoring.models import AssessmentStatus, ScoringCalendar

HOME_AFFAIRS_ONLY = "Chỉ cán bộ Nội vụ hoặc quản trị viên được mở kỳ đánh giá."
NOT_YOURS_TO_SEE = "Lịch chấm điểm này là của đơn vị ngoài phạm vi của bạn."


def _check_home_affairs(user: User) -> None:
    if not is_home_affairs(user):
        raise PermissionDenied(HOME_AFFAIRS_ONLY)


@require_http_methods(["GET", "POST"])
@login_required
def cycles(request: HttpRequest) -> HttpResponse:
    """The calendars of the user's jurisdictions, and the form opening one (or moving
    its dates: ?nam=&don_vi= fills it from the stored calendar)."""
    _check_home_affairs(request.user)
    if request.method == "POST":
        form = CycleForm(request.POST, user=request.user)
        if form.is_valid():
            calendar = _open(request, form)
            if calendar is not None:
                return redirect("scoring:cycle", pk=calendar.pk)
        elif form.refused_jurisdiction():
            raise PermissionDenied(NOT_YOURS)
    else:
        form = CycleForm(initial=_initial(request), user=request.user)
    ctx = {"form": form, "calendars": calendars_for(request.user)}
    return render(request, "scoring/cycles.html", ctx)


def _open(request: HttpRequest, form: CycleForm) -> ScoringCalendar | None:
    data = form.cleaned_data
    try:
        result = cycle_open(
            jurisdiction=data["jurisdiction"],
            year=data["year"],
            self_assessment_closes=data["self_assessment_closes"],
            appraisal_closes=data["appraisal_closes"],
            appraisal_rounds=data["appraisal_rounds"],
            user=request.user,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, opening_summary(result))
    return result.calendar


def _initial(request: HttpRequest) -> dict:
    """The stored calendar chosen by ?nam=&don_vi=, else the user's own unit."""
    year, unit_id = request.GET.get("nam", ""), request.GET.get("don_vi", "")
    calendar = None
    if year.isdigit() and unit_id.isdigit():
        calendar = ScoringCalendar.objects.filter(
            year=year, unit_id=unit_id, unit__in=jurisdictions_for(request.user)
        ).first()
    if calendar is None:
        return {"jurisdiction": home_unit(request.user)}
    return {
        "jurisdiction": calendar.unit,
        "year": calendar.year,
        "self_assessment_closes": calendar.self_assessment_closes,
        "appraisal_closes": calendar.appraisal_closes,
        "appraisal_rounds": calendar.appraisal_rounds,
    }


@require_GET
@login_required
def cycle(request: HttpRequest, pk: int) -> HttpResponse:
    """One jurisdiction's cycle: its dates, its sheets by status, and the units below it
    that have no sheet, with why."""
    _check_home_affairs(request.user)
    calendar = get_object_or_404(ScoringCalendar.objects.select_related("unit"), pk=pk)
    if not jurisdictions_for(request.user).filter(pk=calendar.unit_id).exists():
        raise PermissionDenied(NOT_YOURS_TO_SEE)
    plan = cycle_plan(calendar.unit, calendar.year)
    counts = sheets_by_status(calendar)
    ctx = {
        "calendar": calendar,
        "plan": plan,
        "statuses": [(status.label, counts.get(status, 0)) for status in AssessmentStatus],
        "sheets": sum(counts.values()),
    }
    return render(request, "scoring/cycle.html", ctx)


urlpatterns = [
    path("ky-danh-gia/", cycles, name="cycles"),
    path("ky-danh-gia/<int:pk>/", cycle, name="cycle"),
]
