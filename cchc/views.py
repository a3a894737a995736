import logging
import math

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from scoring.access import home_unit, user_role
from scoring.models import Role
from scoring.views.dashboard import render_dashboard
from scoring.views.queue import render_queue


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A unit's staff land on their unit's dashboard; Nội vụ on their work queue."""
    if user_role(request.user) == Role.UNIT:
        # Rendered in place, not redirected: the address after logging in stays "/".
        return render_dashboard(request, home_unit(request.user))
    return render_queue(request)


logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For the load balancer: 200 while this server reaches the database, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("Health check: the database is unreachable")
        return HttpResponse("database unreachable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def login_locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer to a locked-out login (site and admin alike): why, and for how long.

    Logins lock per account and per address; the page says which, so that a user
    whose colleagues behind the same address mistyped is not told it was them."""
    username = (credentials or {}).get("username", "")
    ctx = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        "username": username,
        "account_locked": bool(username)
        and recent_login_failures(username) >= settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "registration/locked_out.html", ctx, status=429)


def recent_login_failures(username: str) -> int:
    """Wrong passwords for this account within the cool-off time, from any address."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
