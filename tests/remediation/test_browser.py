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
