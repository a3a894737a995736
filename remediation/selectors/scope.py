"""Plans, tasks and evidence in a user's scope (which `scoring.access` decides)."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from remediation.models import (
    OPEN_STATUSES,
    RESULT_STATUSES,
    Agency,
    Plan,
    ProgressUpdate,
    Task,
    TaskStatus,
)
from scoring.access import User, assessments_in_scope, unit_ancestor_ids, units_in_scope
from scoring.models import Assessment


def overdue_q(on: date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status__in": OPEN_STATUSES,
            f"{prefix}due_date__isnull": False,
            f"{prefix}due_date__lt": on,
        }
    )


def plans_in_scope(user: User, on: date) -> QuerySet[Plan]:
    """Every plan of the units the user may see, with task, done and overdue counts."""
    return (
        Plan.objects.filter(unit__in=units_in_scope(user))
        .select_related("unit")
        .annotate(
            task_count=Count("tasks", distinct=True),
            done_count=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE), distinct=True),
            overdue_count=Count("tasks", filter=overdue_q(on, "tasks__"), distinct=True),
        )
        .order_by("-year", "unit__code")
    )


def assessments_without_plan(user: User) -> QuerySet[Assessment]:
    """Appraised results in the user's scope that have no plan yet, newest first."""
    has_plan = Plan.objects.filter(unit=OuterRef("unit"), year=OuterRef("year"))
    return (
        assessments_in_scope(user)
        .filter(status__in=RESULT_STATUSES)
        .exclude(Exists(has_plan))
        .select_related("unit")
        .order_by("-year", "unit__code")
    )


def plan_for_user(user: User, pk: int) -> Plan:
    """The plan if its unit is in the user's scope; 404 if none, refusal if outside."""
    plan = get_object_or_404(Plan.objects.select_related("unit", "unit__parent"), pk=pk)
    if not units_in_scope(user).filter(pk=plan.unit_id).exists():
        raise PermissionDenied("Bạn không có quyền xem kế hoạch của đơn vị này.")
    return plan


def task_for_user(user: User, pk: int) -> Task:
    task = get_object_or_404(Task.objects.select_related("plan", "plan__unit"), pk=pk)
    if not units_in_scope(user).filter(pk=task.plan.unit_id).exists():
        raise PermissionDenied("Bạn không có quyền sửa nhiệm vụ của đơn vị này.")
    return task


def progress_update_for_user(user: User, pk: int) -> ProgressUpdate:
    update = get_object_or_404(
        ProgressUpdate.objects.select_related("task__plan"), pk=pk, evidence__gt=""
    )
    if not units_in_scope(user).filter(pk=update.task.plan.unit_id).exists():
        raise PermissionDenied("Bạn không có quyền xem tài liệu của đơn vị này.")
    return update


def agency_names(plan: Plan) -> list[str]:
    """Leads and coordinators typed before in the plans of this unit and of the units
    above it (a commune is offered its district's offices), never of its peers."""
    names = Agency.objects.filter(unit__in=unit_ancestor_ids(plan.unit))
    return list(names.order_by("name").values_list("name", flat=True).distinct())
