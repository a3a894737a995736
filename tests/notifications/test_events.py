"""Workflow steps tell the right people, in the bell and by e-mail, after the commit."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.access import user_role
from scoring.models import AssessmentEvent, AssessmentStatus, Notification, Role
from scoring.workflow import assessment_transition
from tests.factories import user_with_role
from tests.notifications.setup import SITE, named, people_world, province_above
from tests.web.sheet_setup import appraise_every_leaf

pytestmark = pytest.mark.django_db
Action = AssessmentEvent.Action


def bell(user) -> list[tuple[str, str, str]]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", "message", "link"))


def step(assessment, user, action, reason="", *, capture) -> None:
    with capture(execute=True):
        assessment_transition(assessment=assessment, user=user, action=action, reason=reason)


def test_a_sheet_sent_tells_its_districts_home_affairs_by_bell_and_mail(
    django_capture_on_commit_callbacks,
):
    world = people_world(AssessmentStatus.DRAFT)
    sheet = world.mine

    step(sheet, world.unit_user, Action.SUBMIT, capture=django_capture_on_commit_callbacks)

    what = "Xã Của Tôi gửi phiếu tự đánh giá năm 2023 để thẩm định"
    assert bell(world.home_affairs) == [
        ("submitted", f"{what}. Người gửi: Lê Văn Xã.", f"/danh-gia/{sheet.pk}/")
    ]
    assert bell(world.unit_user) == bell(world.other_district_home_affairs) == []
    [message] = mail.outbox
    assert message.to == ["hoa@example.vn"]
    assert message.subject == f"[Chỉ số CCHC] {what}"
    assert message.body.startswith("Kính gửi Nguyễn Thị Hoa,\n\n")
    assert f"Người gửi: Lê Văn Xã.\n{SITE}/danh-gia/{sheet.pk}/\n" in message.body
    assert f"Mọi thông báo của bạn: {SITE}/thong-bao/" in message.body
    assert Notification.objects.get().emailed_at is not None


def test_nothing_is_mailed_before_the_step_commits(django_capture_on_commit_callbacks):
    world = people_world(AssessmentStatus.DRAFT)

    with django_capture_on_commit_callbacks() as callbacks:
        assessment_transition(assessment=world.mine, user=world.unit_user, action=Action.SUBMIT)
        assert mail.outbox == []

    assert len(callbacks) == 1 and mail.outbox == []  # sent only when the callbacks run
    assert Notification.objects.get().emailed_at is None


def test_a_refused_step_tells_nobody(django_capture_on_commit_callbacks):
    world = people_world(AssessmentStatus.APPRAISED)

    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        assessment_transition(assessment=world.mine, user=world.unit_user, action=Action.PUBLISH)

    assert Notification.objects.count() == 0 and mail.outbox == []


def test_without_a_district_home_affairs_the_province_is_told(django_capture_on_commit_callbacks):
    world = people_world(AssessmentStatus.DRAFT)
    province_above(world.district)
    world.home_affairs.is_active = False
    world.home_affairs.save(update_fields=["is_active"])

    step(world.mine, world.unit_user, Action.SUBMIT, capture=django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["tinh@example.vn"]]
    assert mail.outbox[0].body.startswith("Kính gửi Phạm Văn Tỉnh,")
    assert bell(world.home_affairs) == []


def test_the_district_is_told_rather_than_the_province_when_it_has_home_affairs(
    django_capture_on_commit_callbacks,
):
    world = people_world(AssessmentStatus.DRAFT)
    _, province_officer = province_above(world.district)

    step(world.mine, world.unit_user, Action.SUBMIT, capture=django_capture_on_commit_callbacks)

    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert bell(province_officer) == []


def test_an_explanation_sent_says_so(django_capture_on_commit_callbacks):
    world = people_world(AssessmentStatus.DRAFT)
    world.mine.appraisal_round = 2
    world.mine.save(update_fields=["appraisal_round"])

    step(world.mine, world.unit_user, Action.SUBMIT, capture=django_capture_on_commit_callbacks)

    [(_, message, _)] = bell(world.home_affairs)
    assert message == (
        "Xã Của Tôi gửi giải trình năm 2023, chờ thẩm định vòng 2. Người gửi: Lê Văn Xã."
    )
    assert mail.outbox[0].subject == (
        "[Chỉ số CCHC] Xã Của Tôi gửi giải trình năm 2023, chờ thẩm định vòng 2"
    )


def test_a_returned_sheet_tells_the_units_active_staff_with_the_reason(
    django_capture_on_commit_callbacks,
):
    world = people_world(AssessmentStatus.SUBMITTED)
    no_address = user_with_role(Role.UNIT, world.mine.unit, username="xa.khongthu")
    gone = named(
        user_with_role(Role.UNIT, world.mine.unit, username="xa.danghi"), "Võ", "Nghỉ", "n@x.vn"
    )
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    step(
        world.mine,
        world.home_affairs,
        Action.RETURN,
        "Thiếu tài liệu kiểm chứng tiêu chí 1.1",
        capture=django_capture_on_commit_callbacks,
    )

    expected = (
        "returned",
        "Phiếu tự đánh giá năm 2023 của Xã Của Tôi được trả lại. Người trả lại: Nguyễn Thị Hoa. "
        "Lý do: Thiếu tài liệu kiểm chứng tiêu chí 1.1",
        f"/danh-gia/{world.mine.pk}/",
    )
    assert bell(world.unit_user) == bell(no_address) == [expected]
    assert bell(gone) == bell(world.home_affairs) == []
    [message] = mail.outbox  # the account without an address has the bell only
    assert message.to == ["xa@example.vn"]
    assert message.subject == "[Chỉ số CCHC] Phiếu tự đánh giá năm 2023 của Xã Của Tôi được trả lại"
    assert message.body.startswith("Kính gửi Lê Văn Xã,")


def test_a_published_result_tells_the_unit_with_a_link_to_its_dashboard(
    django_capture_on_commit_callbacks,
):
    world = people_world(AssessmentStatus.APPRAISED)
    appraise_every_leaf(world.mine)

    step(world.mine, world.home_affairs, Action.PUBLISH, capture=django_capture_on_commit_callbacks)

    unit = world.mine.unit
    link = f"/don-vi/{unit.pk}/tong-quan/?nam=2023"
    assert bell(world.unit_user) == [
        (
            "published",
            "Kết quả Chỉ số CCHC năm 2023 của Xã Của Tôi đã được công bố. "
            "Người công bố: Nguyễn Thị Hoa.",
            link,
        )
    ]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (
            ["xa@example.vn"],
            "[Chỉ số CCHC] Kết quả Chỉ số CCHC năm 2023 của Xã Của Tôi đã được công bố",
        )
    ]
    assert f"{SITE}{link}" in mail.outbox[0].body


def test_telling_a_unit_costs_the_same_queries_for_one_person_or_many(
    django_capture_on_commit_callbacks,
):
    world = people_world(AssessmentStatus.APPRAISED)
    for sheet in (world.mine, world.other):
        appraise_every_leaf(sheet)
    for n in range(6):
        user = user_with_role(Role.UNIT, world.other.unit, username=f"xa.bencanh{n}")
        named(user, "Đỗ", f"Cán Bộ {n}", f"bencanh{n}@example.vn")

    def publish_queries(sheet) -> int:
        with CaptureQueriesContext(connection) as queries:
            step(
                sheet,
                world.home_affairs,
                Action.PUBLISH,
                capture=django_capture_on_commit_callbacks,
            )
        return len(queries)

    user_role(world.home_affairs)  # the officer's role is read once per request
    assert publish_queries(world.mine) == publish_queries(world.other)
    assert Notification.objects.filter(kind="published").count() == len(mail.outbox) == 7
