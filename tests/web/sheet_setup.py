"""Builders shared by the sheet, workflow and evidence tests."""

from dataclasses import dataclass

from django.core.signals import request_finished
from django.db import close_old_connections
from django.test import Client, override_settings

from scoring.models import Assessment, AssessmentStatus, Role, Score, Unit, UnitLevel
from tests.factories import AssessmentFactory, UnitFactory, build_framework, user_with_role

SMALL_FRAMEWORK = [
    ("1", None, "3"),
    ("1.1", "1", "1"),
    ("1.2", "1", "2"),
    ("2", None, "2"),
    ("2.1", "2", "2"),
]


@dataclass
class World:
    """A district with two communes, one assessment each, and a user per role."""

    district: Unit
    mine: Assessment
    other: Assessment
    outside: Assessment
    unit_user: object
    home_affairs: object
    admin: object
    other_district_home_affairs: object


# Users are made by the dozen; a fast hasher keeps these tests quick.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@FAST_HASHER
def make_world(status: str = AssessmentStatus.DRAFT, rows=None, tag: str = "") -> World:
    framework = build_framework(rows or SMALL_FRAMEWORK)
    district = UnitFactory(level=UnitLevel.DISTRICT, name="Huyện Thử")
    far_district = UnitFactory(level=UnitLevel.DISTRICT, name="Huyện Xa")

    def assessment(name: str, parent: Unit) -> Assessment:
        unit = UnitFactory(name=name, parent=parent)
        return AssessmentFactory(unit=unit, framework=framework, status=status)

    mine = assessment("Xã Của Tôi", district)
    return World(
        district=district,
        mine=mine,
        other=assessment("Xã Bên Cạnh", district),
        outside=assessment("Xã Huyện Khác", far_district),
        unit_user=user_with_role(Role.UNIT, mine.unit, username="xa.cuatoi" + tag),
        home_affairs=user_with_role(Role.HOME_AFFAIRS, district, username="noivu.thu" + tag),
        admin=user_with_role(Role.ADMIN, username="quantri.thu" + tag),
        other_district_home_affairs=user_with_role(
            Role.HOME_AFFAIRS, far_district, username="noivu.xa" + tag
        ),
    )


def leaf_ids(assessment: Assessment) -> dict[str, int]:
    return dict(assessment.framework.criteria.filter(is_leaf=True).values_list("code", "id"))


def appraise_every_leaf(assessment: Assessment) -> None:
    """Give every leaf an appraised score (its max), so the appraisal can be completed."""
    for criterion in assessment.framework.criteria.filter(is_leaf=True):
        Score.objects.update_or_create(
            assessment=assessment,
            criterion=criterion,
            defaults={"appraised_score": criterion.max_points},
        )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def token(assessment: Assessment) -> str:
    """The concurrency token of the sheet as stored now (what a fresh page carries)."""
    from scoring.sheet import sheet_token

    assessment.refresh_from_db()
    return sheet_token(assessment)


def close_response(response) -> None:
    """Close a streamed file response the way the test client closes its own: without
    request_finished closing the test's database connection (it matters on PostgreSQL)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
