import io
from datetime import date, timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from remediation.models import Agency, Plan, ProgressUpdate, Task, TaskStatus
from scoring.models import Assessment, AssessmentStatus, Role
from tests import sample_files
from tests.factories import UnitFactory, user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.editing import new_rows, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return district_with_commune()


@pytest.fixture
def plan(units):
    return plan_with_tasks(units[1], 3)


@pytest.fixture
def unit_client(client, units):
    client.force_login(user_with_role(Role.UNIT, units[1]))
    return client


@pytest.fixture
def outsider(client):
    client.force_login(user_with_role(Role.UNIT, UnitFactory(code="OTHER"), username="other"))
    return client


def save_task(client, task: Task, **values):
    """The plan page saved with one task's fields changed."""
    data = page_data(client, task.plan)
    data.update({f"t{task.pk}-{key}": value for key, value in values.items()})
    return client.post(reverse("remediation:save", args=[task.plan_id]), data)


def test_unit_user_sees_the_plan_with_its_deductions_and_tasks(unit_client, plan):
    response = unit_client.get(reverse("remediation:plan", args=[plan.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Tiêu chí 1.2: đạt 0,5/1 điểm, bị trừ 0,5 điểm" in body
    assert body.count('class="task"') == 3
    assert "hạn 31/12/2024" in body


def test_unit_user_edits_a_task_and_the_page_shows_the_worked_out_due_date(unit_client, plan):
    task = plan.tasks.first()

    response = save_task(
        unit_client,
        task,
        deadline="Quý II, III/2024",
        budget="27 triệu đồng/đơn vị",
        lead="Văn phòng",
    )

    task.refresh_from_db()
    assert response.status_code == 302
    assert task.due_date == date(2024, 9, 30)
    assert task.budget_amount == 27
    assert {"deadline", "budget", "lead"} <= set(task.edited_fields)
    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()
    assert "hạn 30/09/2024" in page
    assert '<option value="Văn phòng">' in page  # offered again in the jurisdiction


def test_a_typed_due_date_corrects_the_worked_out_one(unit_client, plan):
    task = plan.tasks.first()

    save_task(unit_client, task, deadline="Quý II/2024", due_date="2024-07-15")

    task.refresh_from_db()
    assert task.due_date == date(2024, 7, 15)


def progress_data(task: Task, **values) -> dict:
    fields = {"reported_on": "2024-03-31", "status": TaskStatus.IN_PROGRESS, "progress": "40"}
    fields.update(values)
    return {f"p{task.pk}-{key}": value for key, value in fields.items()}


def pdf_upload(name: str = "kh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_files.PDF, content_type="application/pdf")


def test_progress_updates_set_the_task_status_and_keep_the_evidence(unit_client, plan):
    task = plan.tasks.first()

    unit_client.post(
        reverse("remediation:progress_add", args=[task.pk]),
        progress_data(
            task, status=TaskStatus.DONE, note="Đã ban hành kế hoạch.", evidence=pdf_upload()
        ),
    )

    task.refresh_from_db()
    update = ProgressUpdate.objects.get(task=task)
    assert (task.status, task.progress) == (TaskStatus.DONE, 100)
    # Stored under a random name; the name it was sent with is kept for the download.
    assert update.evidence.name.startswith(f"remediation/{plan.pk}/{task.pk}/")
    assert "kh" not in update.evidence.name and len(update.evidence.name.rsplit("/")[-1]) == 32
    assert update.evidence_name == "kh.pdf"
    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()
    link = reverse("remediation:evidence", args=[update.pk])
    assert f'<a href="{link}">kh.pdf</a>' in page
    assert "<td>31/03/2024</td><td>Hoàn thành</td>" in page
    download = unit_client.get(link)
    assert b"".join(download.streaming_content) == sample_files.PDF
    assert 'filename="kh.pdf"' in download["Content-Disposition"]


def test_outsiders_cannot_download_a_plans_evidence(unit_client, plan):
    task = plan.tasks.first()
    url = reverse("remediation:progress_add", args=[task.pk])
    unit_client.post(url, progress_data(task, evidence=pdf_upload()))
    update = ProgressUpdate.objects.get(task=task)
    unit_client.force_login(user_with_role(Role.UNIT, UnitFactory(code="OTHER"), username="o"))

    response = unit_client.get(reverse("remediation:evidence", args=[update.pk]))

    assert response.status_code == 403


def test_refused_progress_keeps_what_was_typed_and_writes_nothing(unit_client, plan):
    task = plan.tasks.first()

    response = unit_client.post(
        reverse("remediation:progress_add", args=[task.pk]),
        progress_data(task, progress="150", note="Đã gõ ghi chú này"),
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert not ProgressUpdate.objects.exists()
    assert "Chưa lưu. Tiến độ (%): Đảm bảo giá trị này là nhỏ hơn hoặc bằng với 100" in body
    assert "Đã gõ ghi chú này</textarea>" in body
    assert 'value="150"' in body
    assert f'id="nhiem-vu-{task.pk}" open>' in body


def test_progress_cannot_be_reported_for_a_day_still_to_come(unit_client, plan):
    task = plan.tasks.first()
    tomorrow = date.today() + timedelta(days=1)

    response = unit_client.post(
        reverse("remediation:progress_add", args=[task.pk]),
        progress_data(task, reported_on=tomorrow.isoformat()),
    )

    assert response.status_code == 400
    assert "Ngày báo cáo: Ngày báo cáo không được sau hôm nay." in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_evidence_of_a_type_the_sheet_refuses_is_refused_here_too(unit_client, plan):
    task = plan.tasks.first()
    script = SimpleUploadedFile("kh.exe", b"MZ", content_type="application/octet-stream")

    response = unit_client.post(
        reverse("remediation:progress_add", args=[task.pk]), progress_data(task, evidence=script)
    )

    assert response.status_code == 400
    assert "Không nhận tệp «kh.exe»: chỉ nhận PDF, Word" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (sample_files.EXECUTABLE, "Tệp «kh.pdf» là một chương trình máy tính, không nhận."),
        (sample_files.image("png"), "Tệp «kh.pdf» không phải tệp PDF: nội dung không khớp"),
    ],
)
def test_evidence_whose_content_is_not_a_pdf_is_refused_though_named_so(
    unit_client, plan, settings, body, message
):
    task = plan.tasks.first()
    disguised = SimpleUploadedFile("kh.pdf", body, content_type="application/pdf")

    response = unit_client.post(
        reverse("remediation:progress_add", args=[task.pk]), progress_data(task, evidence=disguised)
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_evidence_over_the_size_limit_is_refused(unit_client, plan, settings):
    settings.EVIDENCE_MAX_MB = 0
    task = plan.tasks.first()

    response = unit_client.post(
        reverse("remediation:progress_add", args=[task.pk]),
        progress_data(task, evidence=pdf_upload()),
    )

    assert response.status_code == 400
    assert "Tệp lớn hơn 0 MB, không nhận được: «kh.pdf»." in response.content.decode()


def test_a_refused_task_edit_keeps_the_typed_deadline_and_changes_nothing(unit_client, plan):
    task = plan.tasks.first()

    response = save_task(
        unit_client, task, deadline="Quý II, III/2024", due_date="2024-02-31", budget="30"
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Hạn tính quá hạn: Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy." in body
    assert f'id="nhiem-vu-{task.pk}" open>' in body
    assert 'value="Quý II, III/2024"' in body
    task.refresh_from_db()
    assert (task.deadline, task.budget, task.due_date) == ("Năm 2024", "", date(2024, 12, 31))


def test_a_refused_plan_header_keeps_every_typed_field(unit_client, plan):
    data = page_data(unit_client, plan)
    data.update({"number": "05/KH-UBND", "summary": "", "issuing_agency": "UBND XÃ THỬ MỘT"})
    response = unit_client.post(reverse("remediation:save", args=[plan.pk]), data)

    body = response.content.decode()
    assert response.status_code == 400
    assert "Trích yếu: Trường này là bắt buộc." in body
    assert 'value="05/KH-UBND"' in body
    plan.refresh_from_db()
    assert plan.number == "/KH-UBND"
    assert plan.edited_fields == []


def test_unit_user_adds_a_task_to_a_field(unit_client, plan):
    section = plan.sections.get()
    data = {
        "name": "Tổ chức hội nghị đối thoại",
        "lead": "Công chức Văn phòng - Thống kê",
        "deadline": "Tháng 2 đến tháng 7 năm 2024",
        "budget": "27 triệu đồng/đơn vị",
    }

    page = page_data(unit_client, plan)
    unit_client.post(reverse("remediation:save", args=[plan.pk]), new_rows(page, section, [data]))

    task = plan.tasks.get(name="Tổ chức hội nghị đối thoại")
    assert (task.section, task.order, task.due_date) == (section, 4, date(2024, 7, 31))
    assert task.budget_amount == 27
    assert {"name", "lead", "deadline", "budget"} <= set(task.edited_fields)


def test_a_refused_new_task_keeps_what_was_typed(unit_client, plan):
    section = plan.sections.get()
    row = {"name": "Nhiệm vụ mới đã gõ", "due_date": "ngày mai"}
    data = new_rows(page_data(unit_client, plan), section, [row])

    response = unit_client.post(reverse("remediation:save", args=[plan.pk]), data)

    body = response.content.decode()
    assert response.status_code == 400
    assert "Nhiệm vụ mới đã gõ</textarea>" in body
    assert f'id="moi-n{section.pk}-0"' in body
    assert plan.tasks.count() == 3


def test_overdue_is_worked_out_when_read(unit_client, plan):
    task = plan.tasks.first()
    plan.tasks.update(due_date=date.today() + timedelta(days=1))
    Task.objects.filter(pk=task.pk).update(due_date=date.today() - timedelta(days=1))

    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()

    assert page.count("badge overdue") == 1


def test_home_affairs_sees_every_plan_of_its_jurisdiction_with_overdue_counts(client, units, plan):
    district = units[0]
    other = plan_with_tasks(UnitFactory(code="H1-X2", name="Xã Thử Hai", parent=district), 2)
    Task.objects.filter(plan=other).update(due_date=date(2020, 1, 1))
    plan.tasks.update(due_date=date.today() + timedelta(days=1))
    outside = plan_with_tasks(UnitFactory(code="H9-X1", name="Xã Ngoài"), 1)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, district))

    response = client.get(reverse("remediation:plans"))

    plans = {p.unit.code: p for p in response.context["plans"]}
    assert set(plans) == {"H1-X1", "H1-X2"}
    assert plans["H1-X2"].overdue_count == 2
    assert plans["H1-X1"].overdue_count == 0
    assert outside.pk not in {p.pk for p in response.context["plans"]}


def test_unit_user_drafts_a_plan_with_one_button(unit_client, units):
    plan = plan_with_tasks(units[1], 2)
    assessment = plan.unit.assessments.get()
    plan.delete()

    response = unit_client.post(reverse("remediation:draft"), {"assessment": assessment.pk})

    created = Plan.objects.get(unit=units[1])
    assert response.url == reverse("remediation:plan", args=[created.pk])
    assert created.tasks.count() == 2


def test_redrafting_from_the_page_keeps_edits(unit_client, plan):
    task = plan.tasks.first()
    save_task(unit_client, task, name="Nhiệm vụ đã sửa")

    unit_client.post(reverse("remediation:redraft", args=[plan.pk]))

    task.refresh_from_db()
    assert task.name == "Nhiệm vụ đã sửa"


def test_the_page_says_which_budgets_count_in_the_total(unit_client, plan):
    first, second = plan.tasks.all()[:2]
    data = page_data(unit_client, plan)
    data.update({f"t{first.pk}-budget": "27 triệu đồng/đơn vị"})
    data.update({f"t{second.pk}-budget": "Khoảng 30 triệu"})
    unit_client.post(reverse("remediation:save", args=[plan.pk]), data)

    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()

    assert "Kinh phí «27 triệu đồng/đơn vị»: tính 27 triệu đồng vào tổng." in page
    assert (
        "Kinh phí «Khoảng 30 triệu»: không phải số tiền (triệu đồng), không tính vào tổng." in page
    )
    assert "<strong>27</strong>triệu đồng kinh phí" in page


def test_leads_are_offered_from_the_unit_and_the_units_above_never_from_peers(
    unit_client, plan, units
):
    district, commune = units
    peer = UnitFactory(code="H1-X2", name="Xã Thử Hai", parent=district)
    Agency.objects.bulk_create(
        [
            Agency(unit=district, name="Phòng Nội vụ huyện"),
            Agency(unit=commune, name="Công chức Văn phòng - Thống kê"),
            Agency(unit=peer, name="Công chức xã Thử Hai"),
        ]
    )

    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()

    assert '<option value="Phòng Nội vụ huyện">' in page
    assert '<option value="Công chức Văn phòng - Thống kê">' in page
    assert "Công chức xã Thử Hai" not in page


def test_excel_download_lists_the_tasks(unit_client, plan):
    task = plan.tasks.first()
    save_task(unit_client, task, budget="30")

    response = unit_client.get(reverse("remediation:xlsx", args=[plan.pk]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    title, *rows = list(sheet.values)
    assert title[0].startswith("Nhiệm vụ của kế hoạch khắc phục năm")
    assert rows[0][:5] == (
        "TT",
        "Lĩnh vực",
        "Tiêu chí bị trừ điểm",
        "Mục tiêu/Chỉ tiêu",
        "Nhiệm vụ",
    )
    assert len(rows) == 1 + 3 + 1
    assert rows[1][10].date() == date(2024, 12, 31)
    assert rows[-1][12] == 30


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("remediation:plan", "get"),
        ("remediation:xlsx", "get"),
        ("remediation:pdf", "get"),
        ("remediation:report_pdf", "get"),
        ("remediation:save", "post"),
        ("remediation:redraft", "post"),
    ],
)
def test_outsiders_are_refused_the_plan(outsider, plan, name, method):
    response = getattr(outsider, method)(reverse(name, args=[plan.pk]))

    assert response.status_code == 403


def test_outsiders_cannot_report_progress(outsider, plan):
    task = plan.tasks.first()

    response = outsider.post(
        reverse("remediation:progress_add", args=[task.pk]), progress_data(task)
    )

    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_outsiders_cannot_draft_other_units(outsider, plan):
    assessment = plan.unit.assessments.get()

    response = outsider.post(reverse("remediation:draft"), {"assessment": assessment.pk})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("remediation:save", "plan"),
        ("remediation:redraft", "plan"),
        ("remediation:progress_add", "task"),
    ],
)
def test_changes_refuse_get(unit_client, plan, name, target):
    pk = {"plan": plan, "task": plan.tasks.first()}[target].pk

    assert unit_client.get(reverse(name, args=[pk])).status_code == 405
    assert ProgressUpdate.objects.count() == 0 and plan.tasks.count() == 3


def test_evidence_download_refuses_post(unit_client, plan):
    task = plan.tasks.first()
    unit_client.post(
        reverse("remediation:progress_add", args=[task.pk]),
        progress_data(task, evidence=pdf_upload()),
    )
    update = ProgressUpdate.objects.get()

    assert unit_client.post(reverse("remediation:evidence", args=[update.pk])).status_code == 405


def test_anonymous_users_are_sent_to_log_in(client, plan):
    response = client.get(reverse("remediation:plan", args=[plan.pk]))

    assert response.status_code == 302
    assert "/dang-nhap/" in response.url


def test_plan_page_queries_do_not_grow_with_the_tasks(client, units):
    district, commune = units
    small = plan_with_tasks(commune, 5)
    large = plan_with_tasks(UnitFactory(code="H1-X3", name="Xã Ba", parent=district), 50)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, district))

    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("remediation:plan", args=[plan.pk])).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert counts[1] <= 21  # 20, and 1 for the next year's result (effectiveness section)


def test_plan_header_is_edited_on_the_page_but_not_its_status(unit_client, plan):
    data = page_data(unit_client, plan)
    data |= {
        "number": "05/KH-UBND",
        "place": "Thử Một",
        "issued_on": "2024-01-05",
        "summary": "Khắc phục tồn tại, hạn chế năm 2023",
        "supervising_agency": "UBND HUYỆN THỬ",
        "issuing_agency": "ỦY BAN NHÂN DÂN XÃ THỬ MỘT",
        "legal_bases": "Căn cứ Quyết định số 9471/QĐ-UBND;",
        "purpose": "",
        "requirements": "",
        "organisation": "",
        "recipients": "Lưu: VT",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_position": "CHỦ TỊCH",
        "signer_name": "Nguyễn Văn A",
        "status": "issued",
    }

    unit_client.post(reverse("remediation:save", args=[plan.pk]), data)

    plan.refresh_from_db()
    # Issuing is its own step (it stores the files): the page's save leaves the status.
    assert (plan.number, plan.issued_on, plan.status) == ("05/KH-UBND", date(2024, 1, 5), "draft")
    assert "number" in plan.edited_fields


def test_plan_list_offers_to_draft_results_that_have_no_plan(unit_client, units, plan):
    other_year = plan_with_tasks(units[1], 1, year=2024)
    other_year.delete()

    response = unit_client.get(reverse("remediation:plans"))

    assert [p.pk for p in response.context["plans"]] == [plan.pk]
    assert [(a.unit_id, a.year) for a in response.context["without_plan"]] == [(units[1].pk, 2024)]
    assert "Lập dự thảo từ điểm bị trừ" in response.content.decode()


def test_the_due_date_field_is_blank_unless_a_person_corrected_it(unit_client, plan):
    task = plan.tasks.order_by("pk").first()
    url = reverse("remediation:plan", args=[plan.pk])

    form = unit_client.get(url).context["task_forms"][task.pk]
    assert form["due_date"].value() is None

    # Saving the form as shown, with a new deadline, moves the due date with it.
    save_task(unit_client, task, deadline="Quý II/2024")
    task.refresh_from_db()
    assert task.due_date == date(2024, 6, 30)


def test_results_not_yet_appraised_are_not_offered_and_cannot_be_drafted(unit_client, units):
    plan = plan_with_tasks(units[1], 1)
    assessment = plan.unit.assessments.get()
    plan.delete()
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)

    listed = unit_client.get(reverse("remediation:plans")).context["without_plan"]
    response = unit_client.post(
        reverse("remediation:draft"), {"assessment": assessment.pk}, follow=True
    )

    assert list(listed) == []
    assert not Plan.objects.exists()
    assert (
        "Kết quả Chỉ số CCHC năm 2023 của Xã Thử Một chưa được thẩm định, chưa lập được kế hoạch."
        in response.content.decode()
    )
