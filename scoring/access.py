"""Who may see and change what: every view and action asks here, on the server.

Scope is a set of units: an administrator's is every unit, a Cán bộ Nội vụ's the
subtree under their unit (any depth, found by one recursive query), a unit
user's their own unit. Anything outside it is refused with PermissionDenied.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from scoring.models import Assessment, Membership, Role, Unit

User = AbstractBaseUser | AnonymousUser

SUBTREE_SQL = """
WITH RECURSIVE subtree(id) AS (
    SELECT id FROM {unit} WHERE id = %s
    UNION ALL
    SELECT child.id FROM {unit} child JOIN subtree ON child.parent_id = subtree.id
)
SELECT id FROM subtree
"""

ANCESTORS_SQL = """
WITH RECURSIVE ancestors(id, parent_id) AS (
    SELECT id, parent_id FROM {unit} WHERE id = %s
    UNION ALL
    SELECT parent.id, parent.parent_id FROM {unit} parent
    JOIN ancestors ON parent.id = ancestors.parent_id
)
SELECT id FROM ancestors
"""


def user_role(user: User) -> str | None:
    """The user's role, "admin" for superusers, None for users with no membership."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    membership = _membership(user)
    return membership.role if membership else None


def _membership(user: User) -> Membership | None:
    # Cached on the user object: one query per request, however often it is asked.
    if not hasattr(user, "_cached_membership"):
        user._cached_membership = (
            Membership.objects.select_related("unit").filter(user=user).first()
        )
    return user._cached_membership


def home_unit(user: User) -> Unit | None:
    """The unit a Nội vụ user's jurisdiction starts at, or a unit user's own unit."""
    membership = _membership(user) if user.is_authenticated else None
    return membership.unit if membership else None


def unit_subtree_ids(unit: Unit) -> RawSQL:
    """The ids of `unit` and everything below it, as a subquery for `id__in`."""
    return RawSQL(SUBTREE_SQL.format(unit=Unit._meta.db_table), [unit.pk])


def unit_ancestor_ids(unit: Unit) -> RawSQL:
    """The ids of `unit` and every unit above it, as a subquery for `id__in`."""
    return RawSQL(ANCESTORS_SQL.format(unit=Unit._meta.db_table), [unit.pk])


def units_in_scope(user: User) -> QuerySet[Unit]:
    role = user_role(user)
    if role == Role.ADMIN:
        return Unit.objects.all()
    if role == Role.HOME_AFFAIRS:
        return Unit.objects.filter(id__in=unit_subtree_ids(home_unit(user)))
    if role == Role.UNIT:
        return Unit.objects.filter(pk=home_unit(user).pk)
    return Unit.objects.none()


def assessments_in_scope(user: User) -> QuerySet[Assessment]:
    role = user_role(user)
    if role == Role.ADMIN:
        return Assessment.objects.all()
    return Assessment.objects.filter(unit__in=units_in_scope(user))


def is_home_affairs(user: User) -> bool:
    """Administrators and Cán bộ Nội vụ: the people who appraise and publish."""
    return user_role(user) in {Role.ADMIN, Role.HOME_AFFAIRS}


def get_assessment_for_user(user: User, pk: int) -> Assessment:
    """The assessment if it is in the user's scope; 404 if none, refusal if outside."""
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit", "framework", "ranking_group"), pk=pk
    )
    if not assessments_in_scope(user).filter(pk=pk).exists():
        raise PermissionDenied("Bạn không có quyền xem kết quả đánh giá của đơn vị này.")
    return assessment


def get_unit_for_user(user: User, pk: int) -> Unit:
    unit = get_object_or_404(Unit, pk=pk)
    if not units_in_scope(user).filter(pk=pk).exists():
        raise PermissionDenied("Bạn không có quyền xem đơn vị này.")
    return unit
