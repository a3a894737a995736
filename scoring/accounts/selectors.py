"""Reads: the accounts a user may see and manage, and what they may create."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404

from scoring.access import User, _membership, units_in_scope, user_role
from scoring.models import Role, Unit


def creatable_roles(user: User) -> list[str]:
    """The roles of the accounts `user` may create: Nội vụ makes unit accounts; an
    administrator Nội vụ accounts too (administrators are made in /admin/)."""
    role = user_role(user)
    if role == Role.ADMIN:
        return [Role.UNIT, Role.HOME_AFFAIRS]
    if role == Role.HOME_AFFAIRS:
        return [Role.UNIT]
    return []


def manages_accounts(user: User) -> bool:
    return bool(creatable_roles(user))


def accounts_in_scope(user: User) -> QuerySet[AbstractUser]:
    """An administrator's: every account. Nội vụ's: the unit accounts of its
    jurisdiction, never another Nội vụ's or an administrator's. Anyone else's: none."""
    users = get_user_model().objects.select_related("membership__unit")
    role = user_role(user)
    if role == Role.ADMIN:
        return users
    if role == Role.HOME_AFFAIRS:
        return users.filter(membership__role=Role.UNIT, membership__unit__in=units_in_scope(user))
    return users.none()


def account_search(
    user: User, *, text: str = "", unit_id: int | None = None
) -> QuerySet[AbstractUser]:
    """The accounts in scope whose name, user name, e-mail or unit contains `text`."""
    accounts = accounts_in_scope(user).alias(full=Concat("last_name", Value(" "), "first_name"))
    if unit_id is not None:
        accounts = accounts.filter(membership__unit_id=unit_id)
    for word in text.split():
        accounts = accounts.filter(
            Q(username__icontains=word)
            | Q(full__icontains=word)
            | Q(email__icontains=word)
            | Q(membership__unit__name__icontains=word)
            | Q(membership__unit__code__icontains=word)
        )
    return accounts.order_by("membership__unit__code", "username")


def units_with_accounts(user: User) -> QuerySet[Unit]:
    """The units the list can be filtered by: those holding an account in scope."""
    return Unit.objects.filter(pk__in=accounts_in_scope(user).values("membership__unit")).order_by(
        "code"
    )


def account_for_user(user: User, pk: int) -> AbstractUser:
    """The account if `user` manages it; 404 if none, refusal if outside their scope."""
    account = get_object_or_404(get_user_model(), pk=pk)
    if not accounts_in_scope(user).filter(pk=pk).exists():
        raise PermissionDenied("Bạn không có quyền quản lý tài khoản này.")
    return account


def must_set_password(user: User) -> bool:
    """Whether the user still holds a one-time password (the membership access.py has
    already read for this request: no query of its own)."""
    membership = _membership(user) if user.is_authenticated else None
    return bool(membership and membership.must_set_password)
