"""Who is told: a unit's staff, and the Nội vụ of a unit.

"The Nội vụ of a unit" are the active Nội vụ accounts of the nearest unit above it that
has any: its parent's, else its grandparent's. Units sit only under a unit of a higher
level (see scoring.cycles.calendars), so those two are all there are. Each lookup takes
a fixed number of queries however many units it is asked about.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from scoring.models import Role, Unit

People = dict[int, list[AbstractBaseUser]]


def _active_by_unit(role: str, unit_ids: Iterable[int]) -> People:
    """Active accounts of `role` at each of `unit_ids` (one query)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, membership__role=role, membership__unit_id__in=unit_ids)
        .select_related("membership")
        .order_by("username")
    )
    people = defaultdict(list)
    for user in users:
        people[user.membership.unit_id].append(user)
    return people


def unit_staff(unit_ids: Iterable[int]) -> People:
    """Each unit's own staff (role "unit"), by unit id (one query)."""
    return _active_by_unit(Role.UNIT, set(unit_ids))


def home_affairs(unit_ids: Iterable[int]) -> People:
    """Each unit's Nội vụ, by unit id: its parent's, else its grandparent's (two queries)."""
    above = {
        pk: (parent, grandparent)
        for pk, parent, grandparent in Unit.objects.filter(pk__in=set(unit_ids)).values_list(
            "pk", "parent_id", "parent__parent_id"
        )
    }
    people = _active_by_unit(
        Role.HOME_AFFAIRS, {pk for pair in above.values() for pk in pair if pk}
    )
    return {
        pk: next((people[unit] for unit in pair if people.get(unit)), [])
        for pk, pair in above.items()
    }
