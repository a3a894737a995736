"""Issuing a plan: its number and date, its files rendered once and frozen, their downloads,
the signed file and its signatures."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from remediation.models import PlanStatus, TaskStatus
from remediation.services import progress_update_create, task_update
from remediation.services.issuing import plan_issue, plan_signed_upload
from remediation.signatures import pdf_signatures
from scoring.models import Role
from tests.factories import UnitFactory, user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.signing import (
    add_content_after_signing,
    install_fake_renderers,
    sign,
)


@pytest.fixture(autouse=True)
def renders(monkeypatch) -> list[str]:
    return install_fake_renderers(monkeypatch)


@pytest.fixture
def units(db):
    return district_with_commune()


@pytest.fixture
def plan(units):
    return plan_with_tasks(units[1], 2)


@pytest.fixture
def staff(units):
    return user_with_role(Role.UNIT, units[1])


@pytest.fixture
def unit_client(client, staff):
    client.force_login(staff)
    return client


def issued(plan, staff, number="05/KH-UBND", on=date(2024, 1, 5)):
    return plan_issue(plan=plan, user=staff, number=number, issued_on=on, number_left_blank=False)


def stored(field) -> bytes:
    with field.open("rb") as file:
        return file.read()


def rendered_state(field) -> str:
    """What the stand-in renderer wrote of the plan into the PDF it made."""
    return PdfReader(io.BytesIO(stored(field))).metadata["/Subject"]


def test_issuing_sets_number_date_status_and_stores_both_files_rendered_once(plan, staff, renders):
    plan = issued(plan, staff)
    plan.refresh_from_db()
    assert (plan.status, plan.number, plan.issued_on) == (
        PlanStatus.ISSUED,
        "05/KH-UBND",
        date(2024, 1, 5),
    )
    assert plan.issued_by == staff and plan.issued_at is not None
    assert renders == ["pdf signature_field=True", "docx"]
    assert rendered_state(plan.issued_pdf).startswith("05/KH-UBND 2024-01-05 Khắc phục")
    assert stored(plan.issued_docx).startswith(b"PK\x03\x04")


def test_left_blank_the_number_and_date_are_left_for_the_e_office_system(plan, staff):
    plan.number = "07/KH-UBND"
    plan.save()
    plan = plan_issue(plan=plan, user=staff, number="", issued_on=None, number_left_blank=True)
    assert (plan.number, plan.issued_on) == ("/KH-UBND", None)
    assert rendered_state(plan.issued_pdf).startswith("/KH-UBND None ")


@pytest.mark.parametrize(
    "number, on, field, message",
    [
        ("", date(2024, 1, 5), "number", "Nhập số của kế hoạch"),
        ("/KH-UBND", date(2024, 1, 5), "number", "Nhập số của kế hoạch"),
        ("05/KH-UBND", None, "issued_on", "Nhập ngày ban hành"),
        ("05/KH-UBND", date(2022, 12, 31), "issued_on", "trước năm kết quả 2023"),
        ("05/KH-UBND", "tomorrow", "issued_on", "không được sau hôm nay"),
    ],
)
def test_a_number_or_date_refused_writes_nothing(plan, staff, renders, number, on, field, message):
    on = timezone.localdate() + timedelta(days=1) if on == "tomorrow" else on
    with pytest.raises(ValidationError) as refused:
        issued(plan, staff, number=number, on=on)
    assert message in " ".join(refused.value.message_dict[field])
    plan.refresh_from_db()
    assert (plan.status, plan.issued_pdf.name, renders) == (PlanStatus.DRAFT, "", [])


def test_an_issued_plan_is_not_issued_again(plan, staff):
    issued(plan, staff)
    with pytest.raises(ValidationError, match="đã ban hành, không sửa được"):
        issued(plan, staff, number="06/KH-UBND")


def test_later_progress_edits_and_admin_changes_leave_both_files_as_issued(plan, staff, renders):
    plan = issued(plan, staff)
    pdf, docx = stored(plan.issued_pdf), stored(plan.issued_docx)
    task = plan.tasks.first()
    progress_update_create(
        task=task, reported_on=timezone.localdate(), status=TaskStatus.DONE, progress=100
    )
    task_update(task=task, data={"name": "Tên mới sau khi ban hành"})
    plan.summary = "Đổi trong trang quản trị"
    plan.save()
    plan.refresh_from_db()
    assert (stored(plan.issued_pdf), stored(plan.issued_docx)) == (pdf, docx)
    # Rendering now would say something else: the files are frozen, not merely unchanged.
    assert renders == ["pdf signature_field=True", "docx"]
    assert "Tên mới sau khi ban hành" not in rendered_state(plan.issued_pdf)
    # Rendered now, the plan would read otherwise: the files are frozen, not merely alike.
    from remediation.documents.plan import plan_pdf  # the stand-in installed above

    again = PdfReader(io.BytesIO(plan_pdf(plan, timezone.localdate()))).metadata["/Subject"]
    assert "Tên mới sau khi ban hành" in again and "Đổi trong trang quản trị" in again


# The downloads of the stored files


def test_the_stored_files_are_downloaded_under_the_plans_name(unit_client, plan, staff):
    plan = issued(plan, staff)
    pdf = unit_client.get(reverse("remediation:issued_file", args=[plan.pk, "pdf"]))
    docx = unit_client.get(reverse("remediation:issued_file", args=[plan.pk, "docx"]))
    assert b"".join(pdf.streaming_content) == stored(plan.issued_pdf)
    assert pdf["Content-Type"] == "application/pdf"
    assert 'filename="ke-hoach-H1-X1-2023-v1.pdf"' in pdf["Content-Disposition"]
    assert b"".join(docx.streaming_content) == stored(plan.issued_docx)
    assert 'filename="ke-hoach-H1-X1-2023-v1.docx"' in docx["Content-Disposition"]


def test_a_draft_has_no_stored_file_and_a_kind_outside_pdf_docx_is_not_found(unit_client, plan):
    assert (
        unit_client.get(reverse("remediation:issued_file", args=[plan.pk, "pdf"])).status_code
        == 404
    )
    url = reverse("remediation:issued_file", args=[plan.pk, "xlsx"])
    assert unit_client.get(url).status_code == 404


def test_outsiders_cannot_download_the_stored_files(client, plan, staff):
    plan = issued(plan, staff)
    client.force_login(user_with_role(Role.UNIT, UnitFactory(code="OTHER"), username="o"))
    response = client.get(reverse("remediation:issued_file", args=[plan.pk, "pdf"]))
    assert response.status_code == 403


def test_the_download_takes_few_queries_and_refuses_post(
    unit_client, plan, staff, django_assert_max_num_queries
):
    plan = issued(plan, staff)
    url = reverse("remediation:issued_file", args=[plan.pk, "pdf"])
    with django_assert_max_num_queries(8):
        response = unit_client.get(url)
    assert b"".join(response.streaming_content) == stored(plan.issued_pdf)
    assert unit_client.post(url).status_code == 405


# Issuing from the plan page


def issue_data(**values) -> dict:
    return {"so": "05/KH-UBND", "ngay": "05/01/2024", **values}


def test_staff_issue_their_plan_from_its_page(unit_client, plan, django_assert_max_num_queries):
    url = reverse("remediation:issue", args=[plan.pk])
    with django_assert_max_num_queries(25):
        response = unit_client.post(url, issue_data())
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.number, plan.issued_on) == (
        PlanStatus.ISSUED,
        "05/KH-UBND",
        date(2024, 1, 5),
    )
    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()
    assert "Đã ban hành" in page
    assert reverse("remediation:issued_file", args=[plan.pk, "pdf"]) in page
    assert "Tải lên bản đã ký" in page


def test_the_blank_checkbox_issues_without_number_and_date(unit_client, plan):
    url = reverse("remediation:issue", args=[plan.pk])
    unit_client.post(url, issue_data(so="", ngay="", de_trong="on"))
    plan.refresh_from_db()
    assert (plan.status, plan.number, plan.issued_on) == (PlanStatus.ISSUED, "/KH-UBND", None)


def test_a_refused_issue_keeps_what_was_typed_and_writes_nothing(unit_client, plan):
    url = reverse("remediation:issue", args=[plan.pk])
    response = unit_client.post(url, issue_data(ngay="31/12/2022", so="09/KH-UBND"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "trước năm kết quả 2023" in page
    assert 'value="09/KH-UBND"' in page and 'value="31/12/2022"' in page
    plan.refresh_from_db()
    assert (plan.status, plan.issued_pdf.name) == (PlanStatus.DRAFT, "")


def test_home_affairs_above_the_unit_may_issue_and_an_outsider_may_not(client, units, plan):
    client.force_login(user_with_role(Role.UNIT, UnitFactory(code="OTHER"), username="o"))
    url = reverse("remediation:issue", args=[plan.pk])
    assert client.post(url, issue_data()).status_code == 403
    client.force_login(user_with_role(Role.HOME_AFFAIRS, units[0]))
    assert client.post(url, issue_data()).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED


def test_issuing_refuses_get(unit_client, plan):
    assert unit_client.get(reverse("remediation:issue", args=[plan.pk])).status_code == 405


# The signed file


def upload(data: bytes, name: str = "ke-hoach-da-ky.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_the_issued_pdf_signed_with_pyhanko_is_kept_and_its_signer_shown(unit_client, plan, staff):
    plan = issued(plan, staff)
    signed = sign(stored(plan.issued_pdf), "Nguyễn Văn Chủ Tịch")
    url = reverse("remediation:signed_upload", args=[plan.pk])
    assert unit_client.post(url, {"tep": upload(signed)}).status_code == 302
    plan.refresh_from_db()
    assert (plan.signed_name, plan.signed_uploaded_by) == ("ke-hoach-da-ky.pdf", staff)
    assert stored(plan.signed_file) == signed
    assert [s["signer"] for s in plan.signatures] == ["Nguyễn Văn Chủ Tịch"]
    assert plan.signatures[0]["field"] == "ChuKy"
    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()
    assert "Ký bởi Nguyễn Văn Chủ Tịch, lúc " in page
    assert "tài liệu không bị sửa sau khi ký" in page
    assert "chưa kiểm tra chứng thư số có được tin cậy" in page
    # The issued file itself is untouched by the signing.
    assert pdf_signatures(stored(plan.issued_pdf)) == []


def test_a_pdf_changed_after_signing_is_reported_as_changed(unit_client, plan, staff):
    plan = issued(plan, staff)
    changed = add_content_after_signing(sign(stored(plan.issued_pdf)))
    unit_client.post(reverse("remediation:signed_upload", args=[plan.pk]), {"tep": upload(changed)})
    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()
    assert "ĐÃ BỊ SỬA SAU KHI KÝ" in page


def test_a_scan_is_kept_without_a_digital_signature(unit_client, plan, staff):
    plan = issued(plan, staff)
    scan = upload(b"\xff\xd8\xff\xe0 a scan", "ban-quet.jpg")
    unit_client.post(reverse("remediation:signed_upload", args=[plan.pk]), {"tep": scan})
    plan.refresh_from_db()
    assert (plan.signed_name, plan.signatures) == ("ban-quet.jpg", [])
    page = unit_client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()
    assert "ban-quet.jpg" in page and "không có chữ ký số" in page
    download = unit_client.get(reverse("remediation:signed_file", args=[plan.pk]))
    assert b"".join(download.streaming_content) == b"\xff\xd8\xff\xe0 a scan"
    assert 'filename="ban-quet.jpg"' in download["Content-Disposition"]


@pytest.mark.parametrize(
    "name, body, message",
    [
        ("ke-hoach.docx", b"PK\x03\x04", "chỉ nhận PDF (bản ký số) hoặc ảnh"),
        ("ke-hoach.pdf", b"MZ\x90\x00", "chương trình máy tính"),
        ("ke-hoach.pdf", b"not a pdf", "không phải tệp PDF"),
    ],
)
def test_a_signed_file_of_the_wrong_kind_is_refused(unit_client, plan, staff, name, body, message):
    plan = issued(plan, staff)
    url = reverse("remediation:signed_upload", args=[plan.pk])
    response = unit_client.post(url, {"tep": upload(body, name)}, follow=True)
    assert message in response.content.decode()
    plan.refresh_from_db()
    assert (plan.signed_file.name, plan.signed_name) == ("", "")


def test_a_signed_file_over_the_size_limit_is_refused(unit_client, plan, staff, settings):
    settings.EVIDENCE_MAX_MB = 0
    plan = issued(plan, staff)
    url = reverse("remediation:signed_upload", args=[plan.pk])
    response = unit_client.post(url, {"tep": upload(b"%PDF-1.7 x")}, follow=True)
    assert "lớn hơn 0 MB" in response.content.decode()


def test_a_draft_takes_no_signed_file(plan, staff):
    with pytest.raises(ValidationError, match="chưa ban hành"):
        plan_signed_upload(plan=plan, upload=upload(b"%PDF-1.7"), user=staff)


def test_outsiders_cannot_upload_or_download_the_signed_file(client, plan, staff):
    plan = issued(plan, staff)
    plan_signed_upload(plan=plan, upload=upload(sign(stored(plan.issued_pdf))), user=staff)
    client.force_login(user_with_role(Role.UNIT, UnitFactory(code="OTHER"), username="o"))
    post = client.post(
        reverse("remediation:signed_upload", args=[plan.pk]), {"tep": upload(b"%PDF-")}
    )
    assert post.status_code == 403
    assert client.get(reverse("remediation:signed_file", args=[plan.pk])).status_code == 403


def test_signed_upload_refuses_get_and_takes_few_queries(
    unit_client, plan, staff, django_assert_max_num_queries
):
    plan = issued(plan, staff)
    url = reverse("remediation:signed_upload", args=[plan.pk])
    assert unit_client.get(url).status_code == 405
    with django_assert_max_num_queries(16):
        unit_client.post(url, {"tep": upload(sign(stored(plan.issued_pdf)))})
    plan.refresh_from_db()
    assert len(plan.signatures) == 1


# The admin


@pytest.fixture
def admin_client(client, db):
    client.force_login(user_with_role(Role.ADMIN))
    return client


def test_the_admin_changes_a_draft_but_only_shows_an_issued_plan_and_its_tasks(
    admin_client, plan, staff
):
    url = reverse("admin:remediation_plan_change", args=[plan.pk])
    assert 'name="_save"' in admin_client.get(url).content.decode()
    plan = issued(plan, staff)
    page = admin_client.get(url).content.decode()
    assert 'name="_save"' not in page and "05/KH-UBND" in page
    assert admin_client.post(url, {"summary": "Sửa sau khi ban hành"}).status_code == 403
    task = plan.tasks.first()
    task_url = reverse("admin:remediation_task_change", args=[task.pk])
    assert admin_client.post(task_url, {"name": "Sửa"}).status_code == 403
    delete_url = reverse("admin:remediation_plan_delete", args=[plan.pk])
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    plan.refresh_from_db()
    assert (plan.summary, plan.status) == (
        "Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023",
        PlanStatus.ISSUED,
    )


def test_drafting_again_leaves_an_issued_plan_as_it_was(unit_client, plan, staff):
    plan = issued(plan, staff)
    plan.tasks.first().delete()
    response = unit_client.post(reverse("remediation:redraft", args=[plan.pk]), follow=True)
    assert "Kế hoạch đã ban hành, không sửa được nội dung" in response.content.decode()
    assert plan.tasks.count() == 1
