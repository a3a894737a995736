from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from scoring.access import assessments_in_scope, home_unit, user_role
from scoring.analysis import cycle_summary
from scoring.models import Role
from scoring.views.dashboard import render_dashboard


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A unit's staff land on their unit's dashboard; Nội vụ on the current cycle."""
    role = user_role(request.user)
    if role == Role.UNIT:
        # Rendered in place, not redirected: the address after logging in stays "/".
        return render_dashboard(request, home_unit(request.user))
    summary = cycle_summary(request.user, timezone.localdate()) if role else None
    assessments = assessments_in_scope(request.user).select_related("unit", "ranking_group")
    if summary and summary.year:
        assessments = assessments.filter(year=summary.year)
    ctx = {
        "role_label": Role(role).label if role else "Chưa được phân quyền",
        "scope_unit": home_unit(request.user),
        "summary": summary,
        "assessments": assessments.order_by("unit__code")[:200],
    }
    return render(request, "home.html", ctx)
