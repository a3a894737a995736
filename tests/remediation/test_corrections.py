"""Corrections: a new draft version replacing (thay thế) or correcting (đính chính) an
issued plan, which stays issued with its files until the new one is issued."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from remediation.models import CorrectionKind, Plan, PlanStatus, TaskStatus
from remediation.services import progress_update_create
from remediation.services.issuing import plan_correct, plan_issue
from scoring.models import Role
from tests.factories import UnitFactory, user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.signing import install_fake_renderers


@pytest.fixture(autouse=True)
def renders(monkeypatch) -> list[str]:
    return install_fake_renderers(monkeypatch)


@pytest.fixture
def units(db):
    return district_with_commune()


@pytest.fixture
def staff(units):
    return user_with_role(Role.UNIT, units[1])


@pytest.fixture
def issued(units, staff) -> Plan:
    plan = plan_with_tasks(units[1], 2)
    section = plan.sections.get()
    section.deductions = "Tiêu chí 1.1: đạt 0,5/1 điểm, bị trừ 0,5 điểm."
    section.lead = "Văn phòng HĐND và UBND"
    section.save()
    plan_issue(
        plan=plan,
        user=staff,
        number="05/KH-UBND",
        issued_on=date(2024, 1, 5),
        number_left_blank=False,
    )
    task = plan.tasks.order_by("order").first()
    progress_update_create(
        task=task, reported_on=timezone.localdate(), status=TaskStatus.IN_PROGRESS, progress=40
    )
    plan.refresh_from_db()
    return plan


def test_a_replacement_copies_the_header_fields_and_tasks_with_their_latest_progress(issued, staff):
    correction = plan_correct(plan=issued, kind=CorrectionKind.REPLACEMENT, user=staff)
    assert (correction.version, correction.replaces, correction.status) == (
        2,
        issued,
        PlanStatus.DRAFT,
    )
    assert (correction.number, correction.issued_on, correction.issued_pdf.name) == (
        "/KH-UBND",
        None,
        "",
    )
    assert (correction.summary, correction.recipients) == (issued.summary, issued.recipients)
    section = correction.sections.get()
    assert section.deductions == "Tiêu chí 1.1: đạt 0,5/1 điểm, bị trừ 0,5 điểm."
    assert section.lead == "Văn phòng HĐND và UBND"
    old_tasks = list(issued.tasks.order_by("order"))
    new_tasks = list(correction.tasks.order_by("order"))
    assert [(t.objective, t.status, t.progress) for t in new_tasks] == [
        (t.objective, t.status, t.progress) for t in old_tasks
    ]
    assert (new_tasks[0].status, new_tasks[0].progress) == (TaskStatus.IN_PROGRESS, 40)
    assert all(t.section == section for t in new_tasks)
    assert [list(t.criteria.values_list("code", flat=True)) for t in new_tasks] == [
        ["1.1"],
        ["1.2"],
    ]
    # The progress reports stay with the tasks they were reported on.
    assert old_tasks[0].updates.count() == 1 and new_tasks[0].updates.count() == 0
    assert correction.organisation.splitlines()[-1] == (
        "Kế hoạch này thay thế Kế hoạch số 05/KH-UBND ngày 05/01/2024 của UBND xã Thử Một."
    )
    assert issued.organisation.splitlines()[-1] != correction.organisation.splitlines()[-1]


def test_an_erratum_says_so_and_a_plan_numbered_by_the_e_office_is_named_by_its_summary(
    units, staff
):
    plan = plan_with_tasks(units[1], 1)
    plan_issue(plan=plan, user=staff, number="", issued_on=None, number_left_blank=True)
    correction = plan_correct(plan=plan, kind=CorrectionKind.ERRATUM, user=staff)
    today = timezone.localdate()
    assert correction.organisation.splitlines()[-1] == (
        "Kế hoạch này đính chính Kế hoạch khắc phục tồn tại, hạn chế trong công tác cải cách "
        f"hành chính năm 2023 ngày {today:%d/%m/%Y} của UBND xã Thử Một."
    )
    assert correction.get_correction_kind_display() == "Đính chính"


def test_the_old_plan_stays_issued_until_the_new_one_is_issued_then_is_superseded(issued, staff):
    pdf = issued.issued_pdf.name
    correction = plan_correct(plan=issued, kind=CorrectionKind.REPLACEMENT, user=staff)
    issued.refresh_from_db()
    assert issued.status == PlanStatus.ISSUED
    plan_issue(
        plan=correction,
        user=staff,
        number="12/KH-UBND",
        issued_on=date(2024, 3, 1),
        number_left_blank=False,
    )
    issued.refresh_from_db()
    assert (issued.status, issued.issued_pdf.name) == (PlanStatus.SUPERSEDED, pdf)
    assert Plan.objects.filter(unit=issued.unit, year=issued.year).first() == correction


def test_only_one_correction_is_open_at_a_time(issued, staff):
    plan_correct(plan=issued, kind=CorrectionKind.REPLACEMENT, user=staff)
    with pytest.raises(ValidationError, match="đang soạn"):
        plan_correct(plan=issued, kind=CorrectionKind.ERRATUM, user=staff)
    assert issued.corrections.count() == 1


def test_a_draft_a_superseded_plan_and_an_unknown_kind_are_not_corrected(units, issued, staff):
    draft = plan_with_tasks(UnitFactory(code="X2", parent=units[0]), 1)
    with pytest.raises(ValidationError, match="đang ban hành"):
        plan_correct(plan=draft, kind=CorrectionKind.REPLACEMENT, user=staff)
    with pytest.raises(ValidationError, match="thay thế hoặc đính chính"):
        plan_correct(plan=issued, kind="other", user=staff)
    correction = plan_correct(plan=issued, kind=CorrectionKind.REPLACEMENT, user=staff)
    plan_issue(plan=correction, user=staff, number="", issued_on=None, number_left_blank=True)
    with pytest.raises(ValidationError, match="đang ban hành"):
        plan_correct(plan=issued, kind=CorrectionKind.ERRATUM, user=staff)


# From the plan page


def test_staff_make_a_correction_and_the_pages_link_the_versions(
    client, issued, staff, django_assert_max_num_queries
):
    client.force_login(staff)
    url = reverse("remediation:correct", args=[issued.pk])
    with django_assert_max_num_queries(40):
        response = client.post(url, {"hinh_thuc": "replacement"})
    correction = issued.corrections.get()
    assert response["Location"] == reverse("remediation:plan", args=[correction.pk])
    new_page = client.get(response["Location"]).content.decode()
    assert "bản thay thế của" in new_page
    assert reverse("remediation:plan", args=[issued.pk]) in new_page
    old_page = client.get(reverse("remediation:plan", args=[issued.pk])).content.decode()
    assert "Đang soạn bản thay thế" in old_page
    assert reverse("remediation:plan", args=[correction.pk]) in old_page
    assert "Lập bản đính chính" not in old_page  # one open correction at a time


def test_a_superseded_plans_files_stay_downloadable(client, issued, staff):
    correction = plan_correct(plan=issued, kind=CorrectionKind.ERRATUM, user=staff)
    plan_issue(
        plan=correction,
        user=staff,
        number="12/KH-UBND",
        issued_on=date(2024, 3, 1),
        number_left_blank=False,
    )
    client.force_login(staff)
    response = client.get(reverse("remediation:issued_file", args=[issued.pk, "pdf"]))
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="ke-hoach-H1-X1-2023-v1.pdf"' in response["Content-Disposition"]
    page = client.get(reverse("remediation:plan", args=[issued.pk])).content.decode()
    assert "Đã được thay thế" in page and "Tải lên bản đã ký" not in page


def test_a_refused_correction_says_why(client, issued, staff):
    client.force_login(staff)
    url = reverse("remediation:correct", args=[issued.pk])
    client.post(url, {"hinh_thuc": "replacement"})
    response = client.post(url, {"hinh_thuc": "erratum"}, follow=True)
    assert "hoàn thành bản đó trước" in response.content.decode()
    assert issued.corrections.count() == 1


def test_an_outsider_cannot_correct_and_get_is_refused(client, issued):
    url = reverse("remediation:correct", args=[issued.pk])
    client.force_login(user_with_role(Role.UNIT, UnitFactory(code="OTHER"), username="o"))
    assert client.post(url, {"hinh_thuc": "replacement"}).status_code == 403
    assert client.get(url).status_code == 405
    assert issued.corrections.count() == 0
