"""A khối of appraised communes under one district, for publishing it in one step."""

from dataclasses import dataclass
from decimal import Decimal

from scoring.engine import refresh_tallies
from scoring.models import Assessment, AssessmentStatus, RankingGroup, Role, Score, Unit, UnitLevel
from tests.factories import (
    AssessmentFactory,
    RankingGroupFactory,
    UnitFactory,
    build_framework,
    user_with_role,
)
from tests.web.sheet_setup import FAST_HASHER, SMALL_FRAMEWORK

YEAR = 2023
GROUP_NAME = "Khối xã, thị trấn huyện Thử"


@dataclass
class GroupWorld:
    district: Unit
    far_district: Unit
    group: RankingGroup
    sheets: list[Assessment]
    home_affairs: object
    admin: object
    unit_user: object
    other_district_home_affairs: object


@FAST_HASHER
def group_world(communes: int = 3) -> GroupWorld:
    """`communes` communes of Huyện Thử in one khối, every sheet appraised in full: the
    first gets 5/5, the others 4/5 (1.2 appraised at 1 of 2)."""
    framework = build_framework(SMALL_FRAMEWORK)
    district = UnitFactory(code="HT", name="Huyện Thử", level=UnitLevel.DISTRICT)
    far = UnitFactory(code="HX", name="Huyện Xa", level=UnitLevel.DISTRICT)
    group = RankingGroupFactory(name=GROUP_NAME)
    sheets = [
        appraised_sheet(framework, district, group, number) for number in range(1, communes + 1)
    ]
    return GroupWorld(
        district=district,
        far_district=far,
        group=group,
        sheets=sheets,
        home_affairs=user_with_role(
            Role.HOME_AFFAIRS, district, username="noivu.thu", full_name="Nguyễn Thị Hoa"
        ),
        admin=user_with_role(Role.ADMIN, username="quantri"),
        unit_user=user_with_role(Role.UNIT, sheets[0].unit, username="xa.so1"),
        other_district_home_affairs=user_with_role(Role.HOME_AFFAIRS, far, username="noivu.xa"),
    )


def add_sheets(world: GroupWorld, communes: int) -> None:
    """More appraised communes (4/5) in the khối, numbered after the ones it has."""
    framework = world.sheets[0].framework
    start = len(world.sheets) + 1
    world.sheets += [
        appraised_sheet(framework, world.district, world.group, number)
        for number in range(start, start + communes)
    ]


def appraised_sheet(framework, district: Unit, group: RankingGroup, number: int) -> Assessment:
    unit = UnitFactory(
        code=f"HT-X{number:03d}", name=f"Xã Số {number}", parent=district, ranking_group=group
    )
    sheet = AssessmentFactory(
        unit=unit, framework=framework, year=YEAR, status=AssessmentStatus.APPRAISED
    )
    Score.objects.bulk_create(
        Score(
            assessment=sheet,
            criterion=leaf,
            self_score=leaf.max_points,
            appraised_score=leaf.max_points if number == 1 or leaf.code != "1.2" else Decimal(1),
        )
        for leaf in framework.criteria.filter(is_leaf=True)
    )
    refresh_tallies([sheet.pk])
    return sheet


def statuses(world: GroupWorld) -> list[str]:
    return list(
        Assessment.objects.filter(pk__in=[s.pk for s in world.sheets])
        .order_by("unit__code")
        .values_list("status", flat=True)
    )
