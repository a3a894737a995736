"""Did the plan work, in headless Chromium: the plan page's section for the unit head
and Nội vụ's view across the district, on a phone and on a desktop."""

from pathlib import Path

import pytest

from scoring.models import AssessmentStatus, Role
from tests.browser.conftest import browser, log_in  # noqa: F401 - the fixture
from tests.factories import user_with_role
from tests.remediation.effectiveness_setup import commune_plan, district, editions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-pass-123"
SHOTS = Path("/tmp/shots")
WIDTHS = [390, 1280]


@pytest.fixture
def world():
    parent, frameworks = district(), editions()
    plan = commune_plan(parent, frameworks)
    commune_plan(parent, frameworks, code="H1-X2", next_status=AssessmentStatus.SUBMITTED)
    head = user_with_role(Role.UNIT, unit=plan.unit, username="xa.thu")
    officer = user_with_role(Role.HOME_AFFAIRS, unit=parent, username="noivu.thu")
    SHOTS.mkdir(exist_ok=True)
    return plan, head, officer


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_unit_head_reads_what_the_plan_won_back(
    browser,  # noqa: F811
    live_server,
    world,
    width,
):
    plan, head, _ = world
    page = log_in(browser, live_server, head.username, PASSWORD, width=width)

    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/#hieu-qua")

    section = page.locator("#hieu-qua")
    assert section.is_visible()
    text = " ".join(section.inner_text().split())
    assert "Kết quả khắc phục so với năm 2024" in text
    assert "đã khắc phục 1/3,5 điểm" in text
    assert "bị trừ thêm 0,5 điểm" in text
    assert page.locator("#hieu-qua .badge.overdue").count() == 2
    assert page.locator("#hieu-qua .badge.overdue").first.is_visible()
    assert fits_the_screen(page)
    section.screenshot(path=str(SHOTS / f"effectiveness-plan-{width}.png"))
    page.screenshot(path=str(SHOTS / f"effectiveness-plan-page-{width}.png"), full_page=True)
    # The unit head has no jurisdiction view, nor its link.
    assert page.locator("nav a", has_text="Hiệu quả khắc phục").count() == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_home_affairs_compares_the_plans_of_the_district(
    browser,  # noqa: F811
    live_server,
    world,
    width,
):
    plan, _, officer = world
    page = log_in(browser, live_server, officer.username, PASSWORD, width=width)

    page.locator("a", has_text="Hiệu quả khắc phục").first.click()
    page.select_option("#id_nam", "2023")
    page.locator("form.filters button[type=submit]").click()

    rows = page.locator("#ke-hoach tbody tr")
    assert rows.count() == 3  # two plans and the total
    first = " ".join(rows.nth(0).inner_text().split())
    assert "Xã H1-X1" in first and "đã khắc phục 1/3,5 điểm" in first
    assert "(hiện: đã gửi thẩm định)" in rows.nth(1).inner_text()
    by_status = " ".join(page.locator("#theo-trang-thai").inner_text().split())
    assert "Đã hoàn thành" in by_status and "đã khắc phục 2/3 điểm" in by_status
    assert fits_the_screen(page)
    page.screenshot(path=str(SHOTS / f"effectiveness-overview-{width}.png"), full_page=True)

    page.locator("#ke-hoach a", has_text="Xã H1-X1").click()
    page.wait_for_url(f"**/ke-hoach/{plan.pk}/#hieu-qua")
    assert "đã khắc phục 1/3,5 điểm" in page.locator("#hieu-qua").inner_text()
