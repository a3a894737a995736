"""Không áp dụng and Gia hạn in headless Chromium: the live max and index follow the box.

Screenshots go to /tmp/shots/ for a person to look at.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from scoring.models import AssessmentStatus, Score
from tests.browser.conftest import log_in
from tests.browser.worlds import PASSWORD, saved_at, sheet_world, shoot
from tests.factories import calendar_everywhere, score_assessment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
REASON = "Xã không có kế hoạch riêng năm này"


def test_ticking_not_applicable_moves_the_live_max_and_index(browser, live_server):
    world = sheet_world(AssessmentStatus.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "1,5", "2.1": "1,5", "2.2": "1"})
    page = log_in(browser, live_server, world.home_affairs.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    total = page.locator("tr.sheet-total")
    field = page.locator("tr.sheet-node[data-node]").first
    assert total.locator(".js-max").inner_text() == "5,5"
    assert total.locator(".js-index").inner_text() == "90,91"

    page.get_by_role("checkbox", name="Không áp dụng tiêu chí 1.2").check()
    assert total.locator(".js-max").inner_text() == "3,5"
    assert total.locator(".js-index").inner_text() == "100"
    assert field.locator(".js-max").inner_text() == "1"
    assert page.locator("#live-total").inner_text() == "3,5"
    page.click("text=Lưu phiếu chấm")
    assert "Cần ghi lý do không áp dụng." in page.locator(".cell-error:visible").first.inner_text()
    assert page.get_by_role("checkbox", name="Không áp dụng tiêu chí 1.2").is_checked()
    assert total.locator(".js-max").inner_text() == "3,5"
    page.get_by_label("Lý do không áp dụng tiêu chí 1.2").fill(REASON)
    page.click("text=Lưu phiếu chấm")
    page.wait_for_url(saved_at(live_server, world.mine))
    shoot(page, "sheet-not-applicable-1366")

    score = Score.objects.get(assessment=world.mine, criterion__code="1.2")
    assert (score.not_applicable, score.not_applicable_reason) == (True, REASON)
    assert page.locator("tr.sheet-total .js-max").inner_text() == "3,5"
    page.get_by_role("checkbox", name="Không áp dụng tiêu chí 1.2").uncheck()
    assert page.locator("tr.sheet-total .js-max").inner_text() == "5,5"

    unit = log_in(browser, live_server, world.unit_user.username, PASSWORD)
    unit.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    assert f"Không áp dụng: {REASON}" in unit.locator("#sheet").inner_text()
    shoot(unit, "sheet-not-applicable-unit-1366")


def test_home_affairs_extends_a_late_units_deadline(browser, live_server):
    world = sheet_world(AssessmentStatus.DRAFT)
    today = timezone.localdate()
    calendar_everywhere(
        world.mine.year,
        self_assessment_closes=today - timedelta(days=2),
        appraisal_closes=today + timedelta(days=10),
    )
    page = log_in(browser, live_server, world.home_affairs.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    until = today + timedelta(days=3)

    page.get_by_label("Gia hạn đến").fill(f"{until:%d/%m/%Y}")  # as a person types it
    page.get_by_label("Lý do gia hạn").fill("Cán bộ phụ trách nghỉ ốm")
    shoot(page, "sheet-extension-form-1366")
    page.click("button:text-is('Gia hạn')")
    page.wait_for_url(f"{live_server.url}/danh-gia/{world.mine.pk}/")

    facts = page.locator(".sheet-facts").inner_text()
    assert f"đang mở, gia hạn đến {until:%d/%m/%Y} (Cán bộ phụ trách nghỉ ốm)" in facts
    shoot(page, "sheet-extension-1366")
