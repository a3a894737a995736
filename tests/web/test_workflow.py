from datetime import date, timedelta

import pytest
from django.utils import timezone

from scoring.models import AssessmentEvent, AssessmentStatus
from scoring.workflow import last_event, sheet_state
from tests.factories import calendar_everywhere
from tests.web.sheet_setup import appraise_every_leaf, logged_in, make_world, token

pytestmark = pytest.mark.django_db
Status = AssessmentStatus


def step(client, assessment, action: str, reason: str = ""):
    return client.post(f"/danh-gia/{assessment.pk}/buoc/{action}/", {"reason": reason})


def status_of(assessment) -> str:
    assessment.refresh_from_db()
    return assessment.status


def set_calendar(year: int, self_days: int, appraisal_days: int) -> None:
    today = timezone.localdate()
    calendar_everywhere(
        year,
        self_assessment_closes=today + timedelta(days=self_days),
        appraisal_closes=today + timedelta(days=appraisal_days),
    )


ALLOWED = [
    # (starting status, role attribute, action, reason, resulting status)
    (Status.DRAFT, "unit_user", "submit", "", Status.SUBMITTED),
    (Status.DRAFT, "admin", "submit", "", Status.SUBMITTED),
    (Status.SUBMITTED, "home_affairs", "appraise", "", Status.APPRAISED),
    (Status.SUBMITTED, "admin", "appraise", "", Status.APPRAISED),
    (Status.SUBMITTED, "home_affairs", "return", "Giải trình tiêu chí 1.1", Status.DRAFT),
    (Status.APPRAISED, "home_affairs", "return", "Giải trình lần 2", Status.DRAFT),
    (Status.APPRAISED, "home_affairs", "publish", "", Status.PUBLISHED),
    (Status.SUBMITTED, "home_affairs", "reopen", "Đơn vị gửi nhầm", Status.DRAFT),
    (Status.PUBLISHED, "admin", "reopen", "Sai sót khi công bố", Status.APPRAISED),
]


@pytest.mark.parametrize(("start", "who", "action", "reason", "end"), ALLOWED)
def test_allowed_transition_moves_the_status_and_is_logged(start, who, action, reason, end):
    world = make_world(status=start)
    user = getattr(world, who)
    if action in {"appraise", "publish"}:
        appraise_every_leaf(world.mine)

    response = step(logged_in(user), world.mine, action, reason)

    assert response.status_code == 302
    assert status_of(world.mine) == end
    event = AssessmentEvent.objects.get()
    assert (event.user, event.from_status, event.to_status, event.reason) == (
        user,
        start,
        end,
        reason,
    )
    assert world.mine.version == 1
    assert world.mine.history.first().status == end


REFUSED_STATE = [
    (Status.SUBMITTED, "unit_user", "submit"),
    (Status.PUBLISHED, "unit_user", "submit"),
    (Status.DRAFT, "home_affairs", "appraise"),
    (Status.PUBLISHED, "home_affairs", "appraise"),
    (Status.DRAFT, "home_affairs", "publish"),
    (Status.SUBMITTED, "home_affairs", "publish"),
    (Status.DRAFT, "home_affairs", "return"),
    (Status.PUBLISHED, "home_affairs", "return"),
    (Status.DRAFT, "home_affairs", "reopen"),
    (Status.APPRAISED, "home_affairs", "reopen"),
]


@pytest.mark.parametrize(("start", "who", "action"), REFUSED_STATE)
def test_transition_from_the_wrong_status_is_refused_with_a_message(start, who, action):
    world = make_world(status=start)
    client = logged_in(getattr(world, who))

    response = step(client, world.mine, action, "lý do")

    assert status_of(world.mine) == start
    assert not AssessmentEvent.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "khi kết quả đang ở trạng thái này" in page


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (Status.SUBMITTED, "appraise"),
        (Status.SUBMITTED, "return"),
        (Status.APPRAISED, "publish"),
        (Status.PUBLISHED, "reopen"),
    ],
)
def test_unit_user_may_not_take_home_affairs_steps(start, action):
    world = make_world(status=start)

    response = step(logged_in(world.unit_user), world.mine, action, "lý do")

    assert response.status_code == 403
    assert status_of(world.mine) == start


def test_home_affairs_may_not_send_the_units_sheet_for_it():
    world = make_world(status=Status.DRAFT)

    response = step(logged_in(world.home_affairs), world.mine, "submit")

    assert response.status_code == 403
    assert "Chỉ đơn vị được đánh giá tự gửi phiếu" in response.content.decode()
    assert status_of(world.mine) == Status.DRAFT
    assert not AssessmentEvent.objects.exists()
    page = logged_in(world.home_affairs).get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "buoc/submit/" not in page


@pytest.mark.parametrize("action", ["return", "reopen"])
def test_return_and_reopen_need_a_reason(action):
    world = make_world(status=Status.SUBMITTED)
    client = logged_in(world.home_affairs)

    response = step(client, world.mine, action, "   ")

    assert status_of(world.mine) == Status.SUBMITTED
    assert "Cần ghi lý do." in client.get(response["Location"]).content.decode()


def test_unknown_action_is_refused():
    world = make_world()

    assert step(logged_in(world.admin), world.mine, "xoa-het").status_code == 403


def test_transition_refuses_get():
    world = make_world()

    assert (
        logged_in(world.unit_user).get(f"/danh-gia/{world.mine.pk}/buoc/submit/").status_code == 405
    )


def test_self_assessment_closes_on_its_date():
    world = make_world()
    set_calendar(world.mine.year, self_days=-1, appraisal_days=10)
    client = logged_in(world.unit_user)

    response = step(client, world.mine, "submit")

    assert status_of(world.mine) == Status.DRAFT
    assert "Đã hết hạn tự đánh giá" in client.get(response["Location"]).content.decode()
    assert (
        client.post(f"/danh-gia/{world.mine.pk}/luu/", {"token": token(world.mine)}).status_code
        == 403
    )


def test_open_is_worked_out_from_dates_when_read():
    world = make_world()
    set_calendar(world.mine.year, self_days=0, appraisal_days=5)
    today = timezone.localdate()

    open_today = sheet_state(world.mine, last_event=None, today=today)
    tomorrow = sheet_state(world.mine, last_event=None, today=today + timedelta(days=1))

    assert open_today.self_open and not tomorrow.self_open


def test_a_returned_sheet_stays_open_to_the_unit_until_appraisal_closes():
    world = make_world(status=Status.SUBMITTED)
    set_calendar(world.mine.year, self_days=-3, appraisal_days=2)
    step(logged_in(world.home_affairs), world.mine, "return", "Giải trình 1.1")
    world.mine.refresh_from_db()

    state = sheet_state(world.mine, last_event=last_event(world.mine))

    assert state.self_open
    assert state.self_closes == timezone.localdate() + timedelta(days=2)


def test_a_reopened_sheet_ignores_the_dates():
    world = make_world(status=Status.PUBLISHED)
    calendar_everywhere(
        world.mine.year,
        self_assessment_closes=date(2000, 1, 1),
        appraisal_closes=date(2000, 2, 1),
    )
    step(logged_in(world.admin), world.mine, "reopen", "Sửa sai sót")
    world.mine.refresh_from_db()

    assert sheet_state(world.mine, last_event=last_event(world.mine)).appraisal_open


def test_the_sheet_offers_only_the_steps_the_user_may_take():
    world = make_world(status=Status.SUBMITTED)

    unit_page = logged_in(world.unit_user).get(f"/danh-gia/{world.mine.pk}/").content.decode()
    home_page = logged_in(world.home_affairs).get(f"/danh-gia/{world.mine.pk}/").content.decode()

    assert "Hoàn tất thẩm định" not in unit_page
    assert "Hoàn tất thẩm định" in home_page
    assert "Trả lại để giải trình" in home_page
    assert 'placeholder="Cần giải trình gì (bắt buộc)"' in home_page
    assert 'placeholder="Lý do mở lại (bắt buộc)"' in home_page
    assert "Gửi thẩm định</button>" not in home_page


def test_a_reason_too_long_is_refused_as_too_long_not_as_missing():
    world = make_world(status=Status.SUBMITTED)
    client = logged_in(world.home_affairs)

    response = step(client, world.mine, "return", "x" * 5001)

    page = client.get(response["Location"]).content.decode()
    assert status_of(world.mine) == Status.SUBMITTED
    assert "tối đa 5000 kí tự" in page and "Cần ghi lý do." not in page


def test_a_sheet_reopened_past_the_appraisal_deadline_can_still_be_appraised_and_published():
    world = make_world(status=Status.SUBMITTED)
    appraise_every_leaf(world.mine)
    set_calendar(world.mine.year, self_days=-20, appraisal_days=-1)
    home_affairs = logged_in(world.home_affairs)
    refused = step(home_affairs, world.mine, "appraise")
    assert "Đã hết hạn thẩm định." in home_affairs.get(refused["Location"]).content.decode()

    step(home_affairs, world.mine, "reopen", "Đơn vị nộp muộn, được chấp thuận")
    step(logged_in(world.unit_user), world.mine, "submit")  # the unit sends it again
    step(home_affairs, world.mine, "appraise")
    step(home_affairs, world.mine, "publish")

    assert status_of(world.mine) == Status.PUBLISHED
    actions = list(AssessmentEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["reopen", "submit", "appraise", "publish"]
