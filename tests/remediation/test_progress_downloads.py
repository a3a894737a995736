"""The progress report's PDF and .docx downloads: the chosen date, the same words in
both files, the unit's own plans only."""

import io
from datetime import date

import pytest
from django.urls import reverse

from remediation.models import TaskStatus
from remediation.services import progress_update_create, task_update
from scoring.models import Role
from tests.factories import UnitFactory, user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.pdfs import A4, all_text, read, size

pytestmark = pytest.mark.django_db

DOWNLOADS = ["remediation:report_pdf", "remediation:report_docx"]


@pytest.fixture
def plan():
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 2)
    first, second = plan.tasks.order_by("pk")
    task_update(task=first, data={"name": "Ban hành kế hoạch rà soát TTHC"})
    task_update(task=second, data={"name": "Cập nhật phần mềm", "deadline": "Quý I/2024"})
    progress_update_create(
        task=first, reported_on=date(2024, 3, 20), status=TaskStatus.DONE, progress=100
    )
    return plan


@pytest.fixture
def unit_client(client, plan):
    client.force_login(user_with_role(Role.UNIT, plan.unit))
    return client


def docx_text(data: bytes) -> str:
    from docx import Document

    word = Document(io.BytesIO(data))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return " ".join([p.text for p in word.paragraphs] + cells)


@pytest.mark.pdf
def test_the_pdf_is_the_report_as_of_the_chosen_date(unit_client, plan):
    response = unit_client.get(
        reverse("remediation:report_pdf", args=[plan.pk]), {"ngay": "15/04/2024"}
    )

    assert response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-H1-X1-20240415.pdf"' in response["Content-Disposition"]
    reader = read(response.content)
    assert size(reader.pages[0]) == pytest.approx(A4, abs=0.5)
    text = all_text(reader)
    assert "BÁO CÁO" in text and "/BC-UBND" in text
    assert "tính đến ngày 15/04/2024" in text
    assert "hoàn thành 1; đang thực hiện 0; chưa thực hiện 1" in text
    assert "Cập nhật phần mềm (chủ trì:" not in text  # no lead given: none is named
    assert "Cập nhật phần mềm (thời hạn: Quý I/2024; chưa thực hiện, 0%);" in text
    assert "……" not in text


def test_the_docx_carries_the_same_words(unit_client, plan):
    response = unit_client.get(
        reverse("remediation:report_docx", args=[plan.pk]), {"ngay": "15/04/2024"}
    )

    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert 'filename="bao-cao-H1-X1-20240415.docx"' in response["Content-Disposition"]
    text = docx_text(response.content)
    assert "BÁO CÁO" in text and "/BC-UBND" in text
    assert "tính đến ngày 15/04/2024" in text
    assert "Ban hành kế hoạch rà soát TTHC" in text
    assert "III. NHIỆM VỤ QUÁ HẠN" in text
    assert "Cập nhật phần mềm (thời hạn: Quý I/2024; chưa thực hiện, 0%);" in text


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_date_that_is_not_a_date_is_refused_with_a_message(unit_client, plan, name):
    response = unit_client.get(reverse(name, args=[plan.pk]), {"ngay": "31/02/2024"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("remediation:plan", args=[plan.pk])
    assert (
        "Chưa tạo được báo cáo. Tính đến ngày: Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."
        in response.content.decode()
    )


@pytest.mark.parametrize("name", DOWNLOADS)
def test_another_units_plan_is_refused(client, plan, name):
    client.force_login(user_with_role(Role.UNIT, UnitFactory(code="OTHER"), username="other"))

    response = client.get(reverse(name, args=[plan.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("name", DOWNLOADS)
def test_only_get_is_allowed(unit_client, plan, name):
    assert unit_client.post(reverse(name, args=[plan.pk])).status_code == 405


@pytest.mark.parametrize("tasks", [2, 20])
def test_the_docx_download_reads_in_a_fixed_number_of_queries(
    client, tasks, django_assert_max_num_queries
):
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, tasks)
    client.force_login(user_with_role(Role.UNIT, commune))

    # Session, user and membership (3), the plan and its scope (2), tasks with their
    # criteria and updates (3), the next year's result (1), the session's save (3).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("remediation:report_docx", args=[plan.pk]))

    assert response.status_code == 200
