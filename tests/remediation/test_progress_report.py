from datetime import date

import pytest
from django.urls import reverse

from remediation.models import TaskStatus
from remediation.pdf import progress_report_pdf
from remediation.selectors import plan_document, progress_report
from remediation.services import progress_update_create, task_update
from scoring.models import Role
from tests.factories import user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.pdfs import A4, all_text, read, size

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 3)
    first, second, third = plan.tasks.order_by("pk")
    task_update(task=first, data={"name": "Ban hành kế hoạch rà soát TTHC"})
    task_update(task=second, data={"name": "Cập nhật phần mềm", "deadline": "Quý I/2024"})
    task_update(task=third, data={"name": "Tuyên truyền", "deadline": "Thường xuyên"})
    progress_update_create(
        task=first, reported_on=date(2024, 3, 20), status=TaskStatus.IN_PROGRESS, progress=50
    )
    progress_update_create(
        task=first, reported_on=date(2024, 6, 30), status=TaskStatus.DONE, progress=100
    )
    return plan


def test_progress_as_of_a_date_takes_the_latest_update_before_it(plan):
    report = progress_report(plan_document(plan, date(2024, 4, 15)), date(2024, 4, 15))

    first, second, third = report.rows
    assert (first.status, first.progress, first.overdue) == (TaskStatus.IN_PROGRESS, 50, False)
    assert (second.status, second.overdue) == (TaskStatus.NOT_STARTED, True)  # due 31/03/2024
    assert third.overdue is False  # "Thường xuyên" is never overdue
    assert (report.done, report.in_progress, report.overdue) == (0, 1, 1)


@pytest.mark.pdf
def test_progress_report_pdf_prints_each_task_with_status_and_overdue_state(plan):
    on = date(2024, 7, 1)

    reader = read(progress_report_pdf(plan_document(plan, on), on))

    text = all_text(reader)
    assert size(reader.pages[0]) == pytest.approx(A4, abs=0.5)
    assert "BÁO CÁO" in text
    assert "/BC-UBND" in text
    assert "tính đến ngày 01/07/2024" in text
    assert "Ban hành kế hoạch rà soát TTHC" in text
    assert "Hoàn thành 100%" in text
    assert "Cập nhật phần mềm" in text
    assert "Quá hạn" in text
    assert "hoàn thành 1; đang thực hiện 0; chưa thực hiện 2" in text


@pytest.mark.pdf
def test_progress_report_download_takes_the_chosen_date(client, plan):
    client.force_login(user_with_role(Role.UNIT, plan.unit))

    response = client.get(reverse("remediation:report_pdf", args=[plan.pk]), {"ngay": "2024-04-15"})

    assert response["Content-Type"] == "application/pdf"
    assert "20240415" in response["Content-Disposition"]
    assert "tính đến ngày 15/04/2024" in all_text(read(response.content))


def test_a_report_typed_in_late_for_an_earlier_date_leaves_the_task_as_the_latest_says(plan):
    first = plan.tasks.order_by("pk").first()  # done on 30/06/2024 (the fixture)

    progress_update_create(
        task=first, reported_on=date(2024, 4, 30), status=TaskStatus.IN_PROGRESS, progress=70
    )

    first.refresh_from_db()
    assert (first.status, first.progress) == (TaskStatus.DONE, 100)
    rows = progress_report(plan_document(plan, date(2024, 5, 1)), date(2024, 5, 1)).rows
    assert (rows[0].status, rows[0].progress) == (TaskStatus.IN_PROGRESS, 70)


def test_a_report_date_that_is_not_a_date_is_refused_with_a_message(client, plan):
    client.force_login(user_with_role(Role.UNIT, plan.unit))

    response = client.get(
        reverse("remediation:report_pdf", args=[plan.pk]), {"ngay": "31/02/2024"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("remediation:plan", args=[plan.pk])
    assert (
        "Chưa tạo được báo cáo. Tính đến ngày: Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."
        in (response.content.decode())
    )
