"""`send_reminders`: what is due, to whom, once (each run commits as it goes, as on a
server, so the tests run outside a wrapping transaction)."""

import pytest
from django.core import mail

from remediation.models import Task, TaskStatus
from scoring.models import AssessmentStatus, Notification
from scoring.workflow import assessment_extend_deadline
from tests.notifications.reminder_setup import (
    DONE,
    OPEN,
    days,
    plan_with_tasks,
    run_reminders,
    summary,
)
from tests.notifications.setup import SITE, people_world

pytestmark = pytest.mark.django_db(transaction=True)


def outbox() -> list[tuple[list[str], str]]:
    return [(message.to, message.subject) for message in mail.outbox]


def test_a_draft_near_its_deadline_reminds_the_unit_once():
    world = people_world(AssessmentStatus.DRAFT, self_in=2)

    first, second = run_reminders(), run_reminders()

    assert (first, second) == (summary(1, 0, 0, 1), summary(0, 0, 0, 0))
    assert outbox() == [
        (["xa@example.vn"], "[Chỉ số CCHC] Sắp hết hạn tự đánh giá năm 2023: Xã Của Tôi")
    ]
    body = mail.outbox[0].body
    assert body.startswith("Kính gửi Lê Văn Xã,")
    assert (
        f"Phiếu tự đánh giá năm 2023 của Xã Của Tôi chưa gửi thẩm định; "
        f"hạn gửi là {days(2):%d/%m/%Y} (còn 2 ngày).\n{SITE}/danh-gia/{world.mine.pk}/"
    ) in body
    assert Notification.objects.get().key == f"self-deadline:{world.mine.pk}:{days(2).isoformat()}"


def test_a_deadline_further_than_the_setting_waits(settings):
    people_world(AssessmentStatus.DRAFT, self_in=5)

    assert run_reminders() == summary(0, 0, 0, 0)
    settings.REMINDER_DAYS_BEFORE = 5
    assert run_reminders() == summary(1, 0, 0, 1)


def test_a_sheet_already_sent_gets_no_self_assessment_reminder():
    people_world(AssessmentStatus.SUBMITTED, self_in=1, appraisal_in=30)

    assert run_reminders() == summary(0, 0, 0, 0)
    assert mail.outbox == []


def test_an_extension_is_a_new_deadline_and_a_new_reminder():
    world = people_world(AssessmentStatus.DRAFT, self_in=1, appraisal_in=20)
    run_reminders()
    assessment_extend_deadline(
        assessment=world.mine, user=world.home_affairs, until=days(3), reason="Mất điện"
    )

    assert run_reminders() == summary(1, 0, 0, 1)
    assert run_reminders() == summary(0, 0, 0, 0)
    first, second = (message.body for message in mail.outbox)
    assert f"hạn gửi là {days(1):%d/%m/%Y} (còn 1 ngày)" in first
    assert f"hạn gửi là {days(3):%d/%m/%Y} (còn 3 ngày)" in second


def test_home_affairs_get_one_reminder_listing_the_sheets_waiting_for_appraisal():
    people_world(AssessmentStatus.SUBMITTED, self_in=-10, appraisal_in=3)

    first, second = run_reminders(), run_reminders()

    assert (first, second) == (summary(0, 2, 0, 2), summary(0, 0, 0, 0))
    subject = "[Chỉ số CCHC] Sắp hết hạn thẩm định năm 2023: {} phiếu đang chờ"
    assert sorted(outbox()) == [
        (["hoa@example.vn"], subject.format(2)),
        (["xa.noivu@example.vn"], subject.format(1)),
    ]
    mine = next(m for m in mail.outbox if m.to == ["hoa@example.vn"])
    assert mine.body.startswith("Kính gửi Nguyễn Thị Hoa,")
    assert (
        f"Hạn thẩm định năm 2023 là {days(3):%d/%m/%Y} (còn 3 ngày); 2 phiếu đang chờ thẩm "
        f"định: Xã Bên Cạnh; Xã Của Tôi.\n{SITE}/"
    ) in mine.body
    assert "Xã Huyện Khác" not in mine.body


def test_appraised_sheets_do_not_wait_for_appraisal():
    people_world(AssessmentStatus.APPRAISED, self_in=-10, appraisal_in=1)

    assert run_reminders() == summary(0, 0, 0, 0)


def test_a_task_gone_overdue_reminds_the_unit_and_its_home_affairs_once():
    world = people_world(AssessmentStatus.PUBLISHED)
    plan = plan_with_tasks(
        world.mine,
        {
            "Niêm yết thủ tục hành chính": (-1, OPEN),
            "Số hóa hồ sơ": (-3, TaskStatus.IN_PROGRESS),
            "Đã làm xong": (-1, DONE),
            "Quá hạn từ lâu": (-40, OPEN),
            "Còn hạn": (1, OPEN),
        },
    )

    first, second = run_reminders(), run_reminders()

    # Two tasks for each of two people: four reminders, one e-mail each listing two.
    assert (first, second) == (summary(0, 0, 4, 4), summary(0, 0, 0, 0))
    subject = "[Chỉ số CCHC] Nhiệm vụ khắc phục quá hạn (2)"
    assert sorted(outbox()) == [(["hoa@example.vn"], subject), (["xa@example.vn"], subject)]
    body = mail.outbox[0].body
    assert (
        "Các nhiệm vụ khắc phục sau đã quá hạn mà chưa hoàn thành:\n\n- Kế hoạch khắc phục "
        "kết quả năm 2023 của Xã Của Tôi, quá hạn"
    ) in body
    assert (
        f"- Kế hoạch khắc phục kết quả năm 2023 của Xã Của Tôi, quá hạn {days(-1):%d/%m/%Y} "
        f"mà chưa hoàn thành: Niêm yết thủ tục hành chính\n"
        f"  {SITE}/ke-hoach/{plan.pk}/"
    ) in body
    assert "Số hóa hồ sơ" in body
    assert "Đã làm xong" not in body and "Quá hạn từ lâu" not in body and "Còn hạn" not in body
    assert Notification.objects.filter(recipient=world.home_affairs).count() == 2


def test_a_task_given_a_new_due_date_that_passes_is_a_new_reminder():
    world = people_world(AssessmentStatus.PUBLISHED)
    plan_with_tasks(world.mine, {"Niêm yết thủ tục hành chính": (-1, OPEN)})
    run_reminders()
    Task.objects.update(due_date=days(-2))

    assert run_reminders() == summary(0, 0, 2, 2)
    assert run_reminders() == summary(0, 0, 0, 0)
    assert len(mail.outbox) == 4
