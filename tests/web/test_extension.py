"""Gia hạn tự đánh giá: Nội vụ gives one late unit its own deadline, logged, that sheet only."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scoring.models import AssessmentEvent, AssessmentStatus, Score
from scoring.workflow import last_event, sheet_state
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token
from tests.web.test_workflow import set_calendar, status_of, step

pytestmark = pytest.mark.django_db
Action = AssessmentEvent.Action
REASON = "Cán bộ phụ trách nghỉ ốm, đơn vị xin thêm thời gian"


def extend(client, assessment, until: str, reason: str = REASON):
    return client.post(f"/danh-gia/{assessment.pk}/gia-han/", {"until": until, "reason": reason})


def in_days(days: int) -> str:
    return f"{timezone.localdate() + timedelta(days=days):%d/%m/%Y}"


def save(client, assessment, points: str):
    leaf = leaf_ids(assessment)["1.1"]
    data = {f"self-{leaf}": points, "token": token(assessment)}
    return client.post(f"/danh-gia/{assessment.pk}/luu/", data)


@pytest.fixture
def late():
    """Self-assessment closed two days ago; appraisal open ten more days."""
    world = make_world()
    set_calendar(world.mine.year, self_days=-2, appraisal_days=10)
    return world


def test_a_one_unit_extension_opens_that_sheet_only(late):
    world = late
    response = extend(logged_in(world.home_affairs), world.mine, in_days(3))

    assert response.status_code == 302
    event = AssessmentEvent.objects.get()
    assert (event.action, event.deadline, event.reason) == (
        Action.EXTEND,
        timezone.localdate() + timedelta(days=3),
        REASON,
    )
    assert (event.from_status, event.to_status, event.user) == (
        AssessmentStatus.DRAFT,
        AssessmentStatus.DRAFT,
        world.home_affairs,
    )
    world.mine.refresh_from_db()
    assert world.mine.version == 1
    unit = logged_in(world.unit_user)
    assert save(unit, world.mine, "0,5").status_code == 302
    assert Score.objects.get(assessment=world.mine).self_score == Decimal("0.5")
    page = unit.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert f"đang mở, gia hạn đến {in_days(3)} ({REASON})" in page
    # The neighbour, past the same deadline, stays closed.
    neighbour = sheet_state(world.other, last_event=last_event(world.other))
    assert not neighbour.self_open
    assert neighbour.extended_until is None
    step(unit, world.mine, "submit")
    assert status_of(world.mine) == AssessmentStatus.SUBMITTED


def test_the_extended_sheet_closes_after_its_new_date(late):
    world = late
    extend(logged_in(world.home_affairs), world.mine, in_days(3))
    world.mine.refresh_from_db()
    event = last_event(world.mine)
    after = timezone.localdate() + timedelta(days=4)
    on_the_day = timezone.localdate() + timedelta(days=3)

    assert sheet_state(world.mine, last_event=event, today=on_the_day).self_open
    assert not sheet_state(world.mine, last_event=event, today=after).self_open


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (-1, "đã qua; hãy chọn từ hôm nay trở đi."),
        (-2, "đã qua; hãy chọn từ hôm nay trở đi."),
        (11, "Ngày gia hạn không được sau hạn thẩm định"),
    ],
)
def test_a_date_past_or_after_the_appraisal_deadline_is_refused(late, days, message):
    response = extend(logged_in(late.home_affairs), late.mine, in_days(days))

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert REASON in page  # the reason typed is kept
    assert not AssessmentEvent.objects.exists()


def test_a_date_not_after_the_years_deadline_is_refused():
    world = make_world()
    set_calendar(world.mine.year, self_days=5, appraisal_days=10)

    response = extend(logged_in(world.home_affairs), world.mine, in_days(5))

    assert response.status_code == 400
    assert f"phải sau hạn tự đánh giá chung của năm ({in_days(5)})" in response.content.decode()
    assert not AssessmentEvent.objects.exists()


@pytest.mark.parametrize(
    ("until", "reason", "message"),
    [
        ("", REASON, "Cần chọn ngày gia hạn."),
        ("31/02/2025", REASON, "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
        ("tuần sau", REASON, "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
        (None, "  ", "Cần ghi lý do gia hạn."),
    ],
)
def test_bad_input_is_told_in_vietnamese_and_nothing_is_written(late, until, reason, message):
    typed = in_days(3) if until is None else until
    response = extend(logged_in(late.home_affairs), late.mine, typed, reason)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AssessmentEvent.objects.exists()


def test_the_date_may_be_typed_as_iso_by_the_date_picker(late):
    until = timezone.localdate() + timedelta(days=2)

    extend(logged_in(late.home_affairs), late.mine, until.isoformat())

    assert AssessmentEvent.objects.get().deadline == until


@pytest.mark.parametrize("who", ["unit_user", "other_district_home_affairs"])
def test_only_home_affairs_over_the_unit_may_extend(late, who):
    response = extend(logged_in(getattr(late, who)), late.mine, in_days(3))

    assert response.status_code == 403
    assert not AssessmentEvent.objects.exists()
    page = logged_in(late.unit_user).get(f"/danh-gia/{late.mine.pk}/").content.decode()
    assert "Gia hạn tự đánh giá cho đơn vị này" not in page


def test_admin_may_extend_and_the_form_is_on_home_affairs_sheet(late):
    page = logged_in(late.home_affairs).get(f"/danh-gia/{late.mine.pk}/").content.decode()
    assert "Gia hạn tự đánh giá cho đơn vị này" in page
    assert 'type="text" name="until" placeholder="dd/mm/yyyy"' in page

    assert extend(logged_in(late.admin), late.mine, in_days(3)).status_code == 302


def test_a_submitted_or_returned_sheet_is_not_extended(late):
    world = late
    home = logged_in(world.home_affairs)
    world.mine.status = AssessmentStatus.SUBMITTED
    world.mine.save()

    submitted = extend(home, world.mine, in_days(3))
    step(home, world.mine, "return", "Giải trình 1.1")
    returned = extend(home, world.mine, in_days(3))

    for response in (submitted, returned):
        assert response.status_code == 400
        assert "Chỉ gia hạn được khi đơn vị đang tự đánh giá" in response.content.decode()
    assert not AssessmentEvent.objects.filter(action=Action.EXTEND).exists()
    # The returned sheet does not offer the form it would refuse.
    page = home.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "Gia hạn tự đánh giá cho đơn vị này" not in page


def test_the_latest_extension_counts_and_the_sheet_stays_bounded_in_queries(late):
    world = late
    home = logged_in(world.home_affairs)
    extend(home, world.mine, in_days(2))
    extend(home, world.mine, in_days(6), "Gia hạn lần hai")
    world.mine.refresh_from_db()

    state = sheet_state(world.mine, last_event=last_event(world.mine))
    admin = logged_in(world.admin)
    with CaptureQueriesContext(connection) as extended:
        admin.get(f"/danh-gia/{world.mine.pk}/")
    with CaptureQueriesContext(connection) as plain:
        admin.get(f"/danh-gia/{world.other.pk}/")

    assert (state.self_closes, state.extension_reason) == (
        timezone.localdate() + timedelta(days=6),
        "Gia hạn lần hai",
    )
    assert len(extended) <= len(plain) + 1


def test_the_admin_log_lists_extensions_with_their_date(late):
    extend(logged_in(late.home_affairs), late.mine, in_days(3))

    page = logged_in(late.admin).get(
        "/admin/scoring/assessmentevent/", {"action__exact": Action.EXTEND}
    )

    html = page.content.decode()
    assert "Gia hạn tự đánh giá" in html and REASON in html
    assert "gia hạn đến" in html.lower()


def test_the_home_page_does_not_list_an_extended_unit_as_late(late):
    home = logged_in(late.home_affairs)
    extend(home, late.mine, in_days(3))

    html = home.get("/").content.decode()

    overdue = html.split('id="overdue"')[1].split("</ul>")[0]
    assert late.other.unit.name in overdue
    assert late.mine.unit.name not in overdue


def test_a_lapsed_extension_shows_the_sheet_closed_and_why(late):
    extend(logged_in(late.home_affairs), late.mine, in_days(0))
    later = timezone.localdate() + timedelta(days=1)
    late.mine.refresh_from_db()

    state = sheet_state(late.mine, last_event=last_event(late.mine), today=later)

    assert not state.self_open
    assert state.extended_until == timezone.localdate()
