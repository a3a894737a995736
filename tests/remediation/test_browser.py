"""The plan page driven in headless Chromium (skipped where Chromium is missing)."""

import pytest

from remediation.models import Task
from scoring.models import Role
from tests.browser.conftest import browser, log_in  # noqa: F401 - the fixture
from tests.factories import user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_user_types_a_deadline_and_sees_when_the_task_becomes_overdue(
    browser,  # noqa: F811
    live_server,
):
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 2)
    task = plan.tasks.order_by("pk").first()
    user_with_role(Role.UNIT, commune, username="xa.thumot")
    page = log_in(browser, live_server, "xa.thumot", "secret-pass-123")

    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.click(f"#nhiem-vu-{task.pk} summary")
    page.fill(f"#id_t{task.pk}-deadline", "Quý II, III/2024")
    page.fill(f"#id_t{task.pk}-budget", "27 triệu đồng/đơn vị")
    page.click(f"#nhiem-vu-{task.pk} >> text=Lưu nhiệm vụ")

    page.wait_for_selector("text=Đã lưu nhiệm vụ.")
    assert "hạn 30/09/2024" in page.locator(f"#nhiem-vu-{task.pk} summary").inner_text()
    assert page.locator(".glance div").nth(4).locator("strong").inner_text() == "27"
    task.refresh_from_db()
    assert task.deadline == "Quý II, III/2024"
    assert Task.objects.filter(plan=plan, budget_amount=27).count() == 1


def test_unit_user_adds_a_task_and_records_progress_with_an_evidence_file(
    browser,  # noqa: F811
    live_server,
    tmp_path,
):
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 1)
    section = plan.sections.get()
    user_with_role(Role.UNIT, commune, username="xa.thumot")
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban")
    page = log_in(browser, live_server, "xa.thumot", "secret-pass-123")

    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.click(f"#them-nhiem-vu-{section.pk} summary")
    page.fill(f"#id_n{section.pk}-name", "Tổ chức đối thoại với người dân")
    page.fill(f"#id_n{section.pk}-deadline", "Tháng 2 đến tháng 7 năm 2024")
    page.click(f"#them-nhiem-vu-{section.pk} >> text=Thêm nhiệm vụ >> nth=-1")
    page.wait_for_selector("text=Đã thêm nhiệm vụ.")
    task = Task.objects.get(plan=plan, name="Tổ chức đối thoại với người dân")
    card = f"#nhiem-vu-{task.pk}"
    # The redirect points at the new task, which opens by itself.
    assert page.locator(card).get_attribute("open") == ""
    assert "hạn 31/07/2024" in page.locator(f"{card} summary").inner_text()

    page.select_option(f"#id_p{task.pk}-status", "in_progress")
    page.fill(f"#id_p{task.pk}-progress", "40")
    page.fill(f"#id_p{task.pk}-note", "Đã tổ chức 01 hội nghị.")
    page.set_input_files(f"#id_p{task.pk}-evidence", str(evidence))
    page.click(f"{card} >> text=Ghi tiến độ")

    page.wait_for_selector("text=Đã cập nhật tiến độ.")
    row = page.locator(f"{card} table.updates tbody tr").inner_text()
    assert "Đang thực hiện" in row and "40%" in row and "bien-ban.pdf" in row
    task.refresh_from_db()
    assert (task.status, task.progress) == ("in_progress", 40)
