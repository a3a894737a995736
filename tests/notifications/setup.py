"""A district world whose people have names and addresses, and a calendar around today."""

from datetime import timedelta

from django.utils import timezone

from scoring.models import Role, Unit, UnitLevel
from tests.factories import UnitFactory, calendar_everywhere, user_with_role
from tests.web.sheet_setup import World, make_world

SITE = "https://cchc.example.vn"


def named(user, last: str, first: str, email: str):
    user.last_name, user.first_name, user.email = last, first, email
    user.save(update_fields=["last_name", "first_name", "email"])
    return user


def people_world(status: str, *, self_in: int = 10, appraisal_in: int = 20) -> World:
    """make_world with full names and e-mail addresses, and the year's calendar
    `self_in` and `appraisal_in` days from today."""
    world = make_world(status=status)
    named(world.unit_user, "Lê", "Văn Xã", "xa@example.vn")
    named(world.home_affairs, "Nguyễn", "Thị Hoa", "hoa@example.vn")
    named(world.other_district_home_affairs, "Trần", "Văn Xa", "xa.noivu@example.vn")
    today = timezone.localdate()
    calendar_everywhere(
        world.mine.year,
        self_assessment_closes=today + timedelta(days=self_in),
        appraisal_closes=today + timedelta(days=appraisal_in),
    )
    return world


def province_above(district: Unit) -> tuple[Unit, object]:
    """A province over `district`, with a Nội vụ of its own."""
    province = UnitFactory(level=UnitLevel.PROVINCE, name="Tỉnh Thử")
    district.parent = province
    district.save(update_fields=["parent"])
    officer = user_with_role(Role.HOME_AFFAIRS, province, username="noivu.tinh")
    return province, named(officer, "Phạm", "Văn Tỉnh", "tinh@example.vn")
