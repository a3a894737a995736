from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.cycles.opening import NO_GROUP, cycle_open, cycle_plan
from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Role,
    ScoringCalendar,
    UnitLevel,
)
from tests.cycles.world import home_affairs_of, make_province
from tests.factories import FrameworkFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db

JUNE_30, JULY_31 = date(2025, 6, 30), date(2025, 7, 31)


def open_2025(jurisdiction, user=None, **dates):
    return cycle_open(
        jurisdiction=jurisdiction,
        year=2025,
        self_assessment_closes=dates.get("self_closes", JUNE_30),
        appraisal_closes=dates.get("appraisal_closes", JULY_31),
        appraisal_rounds=dates.get("rounds"),
        user=user,
    )


def sheets(year=2025) -> dict[str, tuple[str, str | None]]:
    rows = Assessment.objects.filter(year=year).values_list(
        "unit__code", "framework__name", "ranking_group__name"
    )
    return {code: (framework, group) for code, framework, group in rows}


def test_a_province_opens_exactly_the_units_below_it_with_a_framework_for_their_level():
    world = make_province()
    result = open_2025(world.province)

    assert sheets() == {
        "T-SNV": ("Bộ chỉ số sở 2025", world.department.ranking_group.name),
        "T-H1-A000": ("Bộ chỉ số xã 2023", "Khối xã"),
        "T-H1-A001": ("Bộ chỉ số xã 2023", "Khối xã"),
        "T-H2-B000": ("Bộ chỉ số xã 2023", "Khối xã"),
        "T-H2-B001": ("Bộ chỉ số xã 2023", "Khối xã"),
        "T-X": ("Bộ chỉ số xã 2023", "Khối xã"),
    }
    assert Assessment.objects.filter(status=AssessmentStatus.DRAFT).count() == 6
    assert [a.unit.code for a in result.created] == sorted(sheets())
    assert {(n.unit.code, n.reason) for n in result.not_opened} == {
        ("T-H1", "Chưa có bộ chỉ số cấp «Huyện, thị xã, thành phố» áp dụng cho năm 2025."),
        ("T-H2", "Chưa có bộ chỉ số cấp «Huyện, thị xã, thành phố» áp dụng cho năm 2025."),
        ("T-H1-Z", NO_GROUP),
    }
    assert result.already_open == []
    calendar = ScoringCalendar.objects.get()
    assert (calendar.unit, calendar.year, calendar.self_assessment_closes) == (
        world.province,
        2025,
        JUNE_30,
    )
    assert (calendar.appraisal_closes, calendar.appraisal_rounds) == (JULY_31, 1)
    assert result.calendar_created and not result.dates_moved


def test_each_new_sheet_has_its_creation_in_its_history_by_the_person_who_opened_it():
    world = make_province()
    noivu = home_affairs_of(world.province, "noivu.tinh")
    open_2025(world.province, noivu)

    records = Assessment.history.filter(unit_id=world.direct_commune.pk)
    assert [(r.history_type, r.history_user, r.history_change_reason) for r in records] == [
        ("+", noivu, "mở kỳ đánh giá")
    ]


def test_running_it_twice_changes_nothing():
    world = make_province()
    open_2025(world.province)
    before = (
        list(Assessment.objects.order_by("pk").values_list("pk", "unit_id", "framework_id")),
        Assessment.history.count(),
        list(ScoringCalendar.objects.values()),
    )
    again = open_2025(world.province)

    after = (
        list(Assessment.objects.order_by("pk").values_list("pk", "unit_id", "framework_id")),
        Assessment.history.count(),
        list(ScoringCalendar.objects.values()),
    )
    assert after == before
    assert again.created == []
    assert len(again.already_open) == 6
    assert len(again.not_opened) == 3
    assert not again.calendar_created and not again.dates_moved


def test_running_it_again_moves_the_dates_and_opens_what_became_possible():
    world = make_province()
    open_2025(world.province)
    world.ungrouped.ranking_group = world.communes[0].ranking_group
    world.ungrouped.save()

    again = open_2025(world.province, self_closes=date(2025, 7, 15), rounds=2)

    assert [a.unit.code for a in again.created] == ["T-H1-Z"]
    assert again.dates_moved
    calendar = ScoringCalendar.objects.get()
    assert (calendar.self_assessment_closes, calendar.appraisal_rounds) == (date(2025, 7, 15), 2)
    assert Assessment.objects.filter(unit=world.ungrouped).get().ranking_group.name == "Khối xã"


def test_a_unit_with_two_frameworks_covering_the_year_is_told_so():
    world = make_province()
    FrameworkFactory(name="Bộ chỉ số sở mới", level=UnitLevel.DEPARTMENT, year_from=2024)
    result = open_2025(world.province)

    refused = {n.unit.code: n.reason for n in result.not_opened}
    assert refused["T-SNV"] == (
        "Có 2 bộ chỉ số cấp «Sở, ban, ngành» cùng áp dụng cho năm 2025 "
        "(«Bộ chỉ số sở 2025», «Bộ chỉ số sở mới»); hãy sửa năm áp dụng để chỉ còn một bộ."
    )
    assert not Assessment.objects.filter(unit=world.department).exists()


def test_a_district_opens_only_its_own_communes_and_not_itself():
    world = make_province()
    result = open_2025(world.district)

    assert sorted(sheets()) == ["T-H1-A000", "T-H1-A001"]
    assert [n.unit.code for n in result.not_opened] == ["T-H1-Z"]


def test_a_district_under_an_opened_province_finds_its_communes_already_open():
    world = make_province()
    open_2025(world.province)
    result = open_2025(world.district, self_closes=date(2025, 5, 31))

    assert result.created == []
    assert [u.code for u in result.already_open] == ["T-H1-A000", "T-H1-A001"]
    assert ScoringCalendar.objects.count() == 2


def test_bad_dates_are_refused_in_vietnamese_and_nothing_is_written():
    world = make_province()
    with pytest.raises(ValidationError) as refused:
        open_2025(world.province, self_closes=JULY_31, appraisal_closes=JUNE_30)

    assert refused.value.message_dict == {
        "appraisal_closes": ["Hạn thẩm định không được trước hạn tự đánh giá."]
    }
    assert (ScoringCalendar.objects.count(), Assessment.objects.count()) == (0, 0)


def test_moving_the_dates_badly_leaves_the_stored_calendar_and_sheets_alone():
    world = make_province()
    open_2025(world.province)
    with pytest.raises(ValidationError):
        open_2025(world.province, self_closes=None)
    assert ScoringCalendar.objects.get().self_assessment_closes == JUNE_30


def test_rounds_cannot_change_once_a_unit_was_appraised():
    world = make_province()
    open_2025(world.province)
    sheet = Assessment.objects.get(unit=world.direct_commune)
    AssessmentEvent.objects.create(
        assessment=sheet,
        action=AssessmentEvent.Action.APPRAISE,
        from_status=AssessmentStatus.SUBMITTED,
        to_status=AssessmentStatus.APPRAISED,
        user=user_with_role(Role.ADMIN),
    )
    with pytest.raises(ValidationError) as refused:
        open_2025(world.province, rounds=2)
    assert refused.value.messages == [
        "Năm 2025 đã có đơn vị hoàn tất thẩm định, nên không đổi được số vòng thẩm định."
    ]
    assert ScoringCalendar.objects.get().appraisal_rounds == 1


def test_a_commune_has_nothing_below_it_to_open():
    world = make_province()
    with pytest.raises(ValidationError) as refused:
        open_2025(world.direct_commune)
    assert refused.value.messages == [
        "Đơn vị cấp xã không có đơn vị trực thuộc nên không mở kỳ đánh giá."
    ]
    assert ScoringCalendar.objects.count() == 0


def test_home_affairs_opens_its_own_jurisdiction_and_the_units_inside_it():
    world = make_province()
    noivu = home_affairs_of(world.province, "noivu.tinh")
    open_2025(world.district, noivu)
    open_2025(world.province, noivu)
    assert ScoringCalendar.objects.count() == 2


@pytest.mark.parametrize("who", ["district_home_affairs", "other_district", "unit", "nobody"])
def test_only_home_affairs_of_the_jurisdiction_may_open_it(who):
    world = make_province()
    user = {
        "district_home_affairs": lambda: home_affairs_of(world.district, "noivu.huyen"),
        "other_district": lambda: home_affairs_of(world.other_district, "noivu.huyen2"),
        "unit": lambda: user_with_role(Role.UNIT, world.district, username="huyen"),
        "nobody": AnonymousUser,
    }[who]()
    target = world.province if who == "district_home_affairs" else world.district
    with pytest.raises(PermissionDenied, match="trong phạm vi của mình"):
        open_2025(target, user)
    assert (ScoringCalendar.objects.count(), Assessment.objects.count()) == (0, 0)


def test_an_administrator_opens_anywhere():
    world = make_province()
    result = open_2025(world.far_commune.parent.parent, user_with_role(Role.ADMIN))
    assert [a.unit.code for a in result.created] == ["K-H-X"]


def test_opening_runs_the_same_number_of_queries_for_6_and_51_sheets():
    world = make_province()
    noivu = home_affairs_of(world.province, "noivu.tinh")
    group = world.communes[0].ranking_group
    with CaptureQueriesContext(connection) as small:
        small_made = len(open_2025(world.province, noivu).created)
    for district in (world.district, world.other_district):
        for n in range(23):
            UnitFactory(code=f"{district.code}-N{n}", parent=district, ranking_group=group)
    noivu = type(noivu).objects.get(pk=noivu.pk)  # its role is cached per request
    with CaptureQueriesContext(connection) as large:
        large_made = len(
            cycle_open(
                jurisdiction=world.province,
                year=2026,
                self_assessment_closes=date(2026, 6, 30),
                appraisal_closes=date(2026, 7, 31),
                user=noivu,
            ).created
        )
    assert (small_made, large_made) == (6, 51)
    # 2026: the department has no framework, the ungrouped commune is left out.
    assert len(small) == len(large)


def test_the_plan_says_what_a_run_would_do_without_writing():
    world = make_province()
    plan = cycle_plan(world.province, 2025)
    assert len(plan.to_create) == 6
    assert Assessment.objects.count() == 0
