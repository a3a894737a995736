"""The progress report (ký hiệu BC) as a document: each task as a date found it, the
overdue ones named, no dotted gap to fill in."""

from datetime import date

import pytest

from cchc.documents.model import Heading, Paragraph, Table
from remediation.documents.progress import progress_document_model
from remediation.models import TaskStatus
from remediation.selectors import progress_report
from remediation.services import progress_update_create, task_update
from tests.remediation.builders import district_with_commune, plan_with_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 3)
    first, second, third = plan.tasks.order_by("pk")
    task_update(task=first, data={"name": "Ban hành kế hoạch rà soát TTHC"})
    task_update(
        task=second,
        data={"name": "Cập nhật phần mềm", "deadline": "Quý I/2024", "lead": "Văn phòng"},
    )
    task_update(task=third, data={"name": "Tuyên truyền", "deadline": "Thường xuyên"})
    progress_update_create(
        task=first, reported_on=date(2024, 3, 20), status=TaskStatus.IN_PROGRESS, progress=50
    )
    progress_update_create(
        task=first,
        reported_on=date(2024, 6, 30),
        status=TaskStatus.DONE,
        progress=100,
        note="Đã ban hành Kế hoạch số 12/KH-UBND",
    )
    return plan


def texts_of(document) -> list[str]:
    return [block.text for block in document.body if isinstance(block, Heading | Paragraph)]


def test_progress_as_of_a_date_takes_the_latest_update_before_it(plan):
    report = progress_report(plan, date(2024, 4, 15))

    first, second, third = report.rows
    assert (first.status, first.progress, first.overdue) == (TaskStatus.IN_PROGRESS, 50, False)
    assert (second.status, second.overdue) == (TaskStatus.NOT_STARTED, True)  # due 31/03/2024
    assert third.overdue is False  # "Thường xuyên" is never overdue
    assert (report.done, report.in_progress, len(report.overdue_rows)) == (0, 1, 1)


def test_the_report_heads_as_a_bc_of_the_unit_dated_as_of_the_day(plan):
    document = progress_document_model(plan, date(2024, 7, 1))

    header = document.header
    assert header.kind == "BÁO CÁO"
    assert header.issuer_lines == ("ỦY BAN NHÂN DÂN", "XÃ THỬ MỘT")
    assert header.supervising_agency == ""  # a UBND's own report (Nghị định 30)
    assert header.number_line.endswith("/BC-UBND")
    assert header.summary.endswith("năm 2023 (tính đến ngày 01/07/2024)")
    assert header.dated_line.endswith("năm 2024")
    assert document.metadata.title.endswith("(tính đến ngày 01/07/2024) - Xã Thử Một")
    assert document.metadata.author == "Ủy ban nhân dân xã Thử Một"
    assert document.metadata.created == date(2024, 7, 1)
    assert document.filename == "bao-cao-H1-X1-20240701"
    assert document.signoff.recipients[-1] == "Lưu: VT"
    assert document.signoff.authority == "TM. ỦY BAN NHÂN DÂN"


def test_the_report_counts_and_lists_each_task_under_its_field(plan):
    document = progress_document_model(plan, date(2024, 7, 1))

    assert (
        "hoàn thành 1; đang thực hiện 0; chưa thực hiện 2. Số nhiệm vụ quá hạn: 1."
        in (texts_of(document)[2])
    )
    (table,) = [block for block in document.body if isinstance(block, Table)]
    assert [column.title for column in table.columns] == [
        "TT",
        "Nhiệm vụ",
        "Chủ trì",
        "Thời gian hoàn thành",
        "Trạng thái",
        "Tiến độ",
        "Quá hạn",
    ]
    group, first, second, third = table.rows
    assert (group.kind, group.cells) == ("group", ("1", "Tiêu chí 1"))
    assert first.cells == (
        "1",
        "Ban hành kế hoạch rà soát TTHC\nĐã ban hành Kế hoạch số 12/KH-UBND",
        "",
        "Năm 2024",
        "Hoàn thành",
        "100%",
        "",
    )
    assert second.cells[1:] == (
        "Cập nhật phần mềm",
        "Văn phòng",
        "Quý I/2024",
        "Chưa thực hiện",
        "0%",
        "Quá hạn",
    )
    assert third.cells[-1] == ""


def test_overdue_tasks_are_named_with_their_lead_and_nothing_is_left_dotted(plan):
    document = progress_document_model(plan, date(2024, 7, 1))

    texts = texts_of(document)
    assert texts[-2:] == [
        "Các nhiệm vụ sau đã quá thời hạn hoàn thành, cần tập trung chỉ đạo thực hiện dứt điểm:",
        "Cập nhật phần mềm (chủ trì: Văn phòng; thời hạn: Quý I/2024; chưa thực hiện, 0%);",
    ]
    assert "III. NHIỆM VỤ QUÁ HẠN" in texts
    assert not any("…" in text or "..." in text for text in texts)
    assert "ĐỀ XUẤT, KIẾN NGHỊ" not in " ".join(texts)


def test_without_an_overdue_task_the_report_has_no_third_section(plan):
    document = progress_document_model(plan, date(2024, 3, 1))

    assert [b.text for b in document.body if isinstance(b, Heading)] == [
        "I. KẾT QUẢ CHUNG",
        "II. KẾT QUẢ TỪNG NHIỆM VỤ",
    ]


def test_a_report_typed_in_late_for_an_earlier_date_leaves_the_task_as_the_latest_says(plan):
    first = plan.tasks.order_by("pk").first()  # done on 30/06/2024 (the fixture)

    progress_update_create(
        task=first, reported_on=date(2024, 4, 30), status=TaskStatus.IN_PROGRESS, progress=70
    )

    first.refresh_from_db()
    assert (first.status, first.progress) == (TaskStatus.DONE, 100)
    rows = progress_report(plan, date(2024, 5, 1)).rows
    assert (rows[0].status, rows[0].progress) == (TaskStatus.IN_PROGRESS, 70)


def test_the_report_reads_the_plan_in_a_fixed_number_of_queries(
    plan, django_assert_max_num_queries
):
    # The tasks (3) and the two years' results for "Kết quả khắc phục" (1).
    with django_assert_max_num_queries(4):
        progress_document_model(plan, date(2024, 7, 1))
