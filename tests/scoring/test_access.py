import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.access import (
    assessments_in_scope,
    get_assessment_for_user,
    get_unit_for_user,
    is_home_affairs,
    units_in_scope,
)
from scoring.models import Role, UnitLevel
from tests.factories import AssessmentFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """province › district A › communes A1, A2 (A2 › hamlet-level unit A2x); district B › B1."""
    province = UnitFactory(code="P", level=UnitLevel.PROVINCE)
    district_a = UnitFactory(code="A", level=UnitLevel.DISTRICT, parent=province)
    a1 = UnitFactory(code="A1", parent=district_a)
    a2 = UnitFactory(code="A2", parent=district_a)
    a2x = UnitFactory(code="A2X", parent=a2)
    district_b = UnitFactory(code="B", level=UnitLevel.DISTRICT, parent=province)
    b1 = UnitFactory(code="B1", parent=district_b)
    return {u.code: u for u in (province, district_a, a1, a2, a2x, district_b, b1)}


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_home_affairs_sees_its_whole_subtree_at_any_depth(tree):
    user = user_with_role(Role.HOME_AFFAIRS, tree["A"])

    assert codes(units_in_scope(user)) == {"A", "A1", "A2", "A2X"}
    assert is_home_affairs(user)


def test_unit_user_sees_only_its_own_unit(tree):
    user = user_with_role(Role.UNIT, tree["A1"])

    assert codes(units_in_scope(user)) == {"A1"}
    assert not is_home_affairs(user)


def test_administrator_and_superuser_see_everything(tree):
    admin = user_with_role(Role.ADMIN)

    assert codes(units_in_scope(admin)) == set(tree)


def test_user_without_membership_and_anonymous_see_nothing(tree, django_user_model):
    loner = django_user_model.objects.create_user(username="loner", password="x-pass-123")

    assert codes(units_in_scope(loner)) == set()
    assert codes(units_in_scope(AnonymousUser())) == set()


def test_another_units_assessment_is_refused(tree):
    mine = AssessmentFactory(unit=tree["A1"])
    theirs = AssessmentFactory(unit=tree["B1"])
    user = user_with_role(Role.HOME_AFFAIRS, tree["A"])

    assert get_assessment_for_user(user, mine.pk) == mine
    assert list(assessments_in_scope(user)) == [mine]
    with pytest.raises(PermissionDenied):
        get_assessment_for_user(user, theirs.pk)
    with pytest.raises(PermissionDenied):
        get_unit_for_user(user, tree["B"].pk)


def test_scope_costs_the_same_queries_however_deep_the_tree(tree):
    user = user_with_role(Role.HOME_AFFAIRS, tree["P"])
    for index in range(30):
        UnitFactory(code=f"DEEP{index}", parent=tree["A2X"])

    with CaptureQueriesContext(connection) as queries:
        scope = codes(units_in_scope(user))

    assert len(scope) == 37
    assert len(queries) == 2  # the membership, then the units
