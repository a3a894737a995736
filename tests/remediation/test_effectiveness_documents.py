"""The progress report's part "Kết quả khắc phục so với năm 2024": the same figures as
the plan page, in the document model, the PDF and the .docx."""

import io
from datetime import date

import pytest
from django.urls import reverse

from cchc.documents.model import Heading, Paragraph, Table
from remediation.documents.progress import progress_document_model
from scoring.models import AssessmentStatus, Role
from tests.factories import user_with_role
from tests.remediation.effectiveness_setup import commune_plan, district, editions
from tests.remediation.pdfs import all_text, read

pytestmark = pytest.mark.django_db
ON = date(2025, 1, 10)
SUMMARY = (
    "Các tiêu chí của kế hoạch bị trừ 3,5 điểm năm 2023 và 2,5 điểm năm 2024: "
    "đã khắc phục 1/3,5 điểm."
)


@pytest.fixture
def plan():
    return commune_plan(district(), editions())


def docx_text(data: bytes) -> str:
    from docx import Document

    word = Document(io.BytesIO(data))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return " ".join([p.text for p in word.paragraphs] + cells)


def test_the_report_has_the_table_of_each_field_and_task(plan):
    body = progress_document_model(plan, ON).body

    headings = [block.text for block in body if isinstance(block, Heading)]
    assert headings[-1] == "III. KẾT QUẢ KHẮC PHỤC SO VỚI NĂM 2024"  # nothing overdue
    part = body[[getattr(b, "text", "") for b in body].index(headings[-1]) :]
    assert part[1] == Paragraph(SUMMARY)
    table = part[2]
    assert isinstance(table, Table)
    assert [column.title for column in table.columns][3:5] == ["Bị trừ năm 2023", "Bị trừ năm 2024"]
    kinds = ["total", "body", "body", "body", "total", "body", "body", "total"]
    assert [row.kind for row in table.rows] == kinds
    assert [row.cells for row in table.rows] == [
        ("1", "Tiêu chí 1", "", "1,5", "1", "đã khắc phục 0,5/1,5 điểm"),
        (
            "1",
            "Rà soát, ban hành văn bản chỉ đạo",
            "1.1; 1.2",
            "1,5",
            "0,5",
            "đã khắc phục 1/1,5 điểm",
        ),
        ("2", "Khắc phục tồn tại năm trước", "1.3", "0", "0,5", "bị trừ thêm 0,5 điểm"),
        (
            "3",
            "Kiểm tra công tác CCHC",
            "1.2; 1.4 (không có tiêu chí tương ứng năm 2024)",
            "1",
            "0,5",
            "đã khắc phục 0,5/1 điểm",
        ),
        ("2", "Tiêu chí 2", "", "2", "1,5", "đã khắc phục 0,5/2 điểm"),
        ("4", "Nâng cao chất lượng văn bản", "2.1", "1,5", "0,5", "đã khắc phục 1/1,5 điểm"),
        (
            "5",
            "Theo dõi thi hành pháp luật",
            "2.1.2; 2.2 → 2.3",
            "1,5",
            "1,5",
            "đã khắc phục 0/1,5 điểm",
        ),
        ("", "Cả kế hoạch", "", "3,5", "2,5", "đã khắc phục 1/3,5 điểm"),
    ]
    assert [block.text for block in part[3:]] == [
        "Năm 2024, tiêu chí 1.3 «Kết quả khắc phục tồn tại, hạn chế do cấp trên chỉ ra năm "
        "trước» đạt 0,5/1 điểm.",
        "Không tính vào tổng: tiêu chí 1.4 (không có tiêu chí tương ứng năm 2024).",
        "Đã hoàn thành nhưng vẫn bị trừ điểm năm 2024, cần xem lại giải pháp:",
        "Rà soát, ban hành văn bản chỉ đạo (bị trừ 0,5 điểm);",
        "Nâng cao chất lượng văn bản (bị trừ 0,5 điểm);",
    ]


@pytest.mark.parametrize("status", [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED])
def test_before_2024_is_appraised_the_report_has_no_such_part(status):
    plan = commune_plan(district(), editions(), next_status=status)

    body = progress_document_model(plan, ON).body

    assert not any("KẾT QUẢ KHẮC PHỤC" in getattr(block, "text", "") for block in body)


@pytest.fixture
def unit_client(client, plan):
    client.force_login(user_with_role(Role.UNIT, plan.unit))
    return client


@pytest.mark.pdf
def test_the_pdf_prints_the_figures(unit_client, plan):
    response = unit_client.get(
        reverse("remediation:report_pdf", args=[plan.pk]), {"ngay": "10/01/2025"}
    )

    text = all_text(read(response.content))
    assert "III. KẾT QUẢ KHẮC PHỤC SO VỚI NĂM 2024" in text
    assert "đã khắc phục 1/3,5 điểm" in text
    assert "bị trừ thêm 0,5 điểm" in text
    assert "Không tính vào tổng: tiêu chí 1.4 (không có tiêu chí tương ứng năm 2024)." in text
    assert "Nâng cao chất lượng văn bản (bị trừ 0,5 điểm);" in text


def test_the_docx_carries_the_same_words(unit_client, plan):
    response = unit_client.get(
        reverse("remediation:report_docx", args=[plan.pk]), {"ngay": "10/01/2025"}
    )

    text = docx_text(response.content)
    assert "III. KẾT QUẢ KHẮC PHỤC SO VỚI NĂM 2024" in text
    assert SUMMARY in text
    for figure in ("đã khắc phục 0,5/1,5 điểm", "bị trừ thêm 0,5 điểm", "2.1.2; 2.2 → 2.3"):
        assert figure in text
    assert "Đã hoàn thành nhưng vẫn bị trừ điểm năm 2024, cần xem lại giải pháp:" in text


def test_a_report_dated_before_the_tasks_were_done_flags_none(plan):
    body = progress_document_model(plan, date(2024, 3, 1)).body  # updates are of 30/06/2024

    texts = [getattr(block, "text", "") for block in body]
    assert "Kế hoạch có 5 nhiệm vụ: hoàn thành 0; đang thực hiện 0; chưa thực hiện 5." in " ".join(
        texts
    )
    assert not any(text.startswith("Đã hoàn thành nhưng vẫn bị trừ điểm") for text in texts)
    assert SUMMARY in texts  # the figures themselves do not depend on the date
