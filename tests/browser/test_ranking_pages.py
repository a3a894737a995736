"""The ranking of a large khối in headless Chromium at a phone's width: its pages, the
search and the user's own unit pinned, with nothing spilling past the screen.

Screenshots go to /tmp/shots/ for a person to look at.
"""

from pathlib import Path

import pytest

from scoring.models import Unit
from tests.browser.conftest import log_in
from tests.web.dashboard_data import build_group

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = Path("/tmp/shots")


@pytest.mark.parametrize("width", [1366, 390])
def test_a_unit_pages_through_the_ranking_and_searches_it(browser, live_server, width):
    data = build_group(120)
    Unit.objects.filter(code="D-0063").update(name="Xã Cẩm Sơn")
    SHOTS.mkdir(exist_ok=True)
    page = log_in(browser, live_server, data["unit_user"].username, "secret-pass-123", width=width)

    page.goto(f"{live_server.url}/xep-hang/?khoi={data['group'].pk}")
    assert page.locator("#ranking > tbody > tr:not(.pinned)").count() == 50
    page.locator(".page-links a", has_text="Sau").click()
    assert page.locator("#page-range").inner_text().startswith("Trang 2/3")
    pinned = page.locator("#ranking tr.pinned")
    assert pinned.get_attribute("data-unit") == "D-0000"
    assert "Đơn vị của bạn" in pinned.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") == width
    page.screenshot(path=str(SHOTS / f"ranking-page-2-{width}.png"), full_page=True)

    page.fill("#id_q", "cam son")
    page.click(".ranking-search button")
    row = page.locator('#ranking > tbody > tr:not(.pinned)[data-unit="D-0063"]')
    assert row.locator('[data-col="rank"]').inner_text().startswith("91")
    assert page.evaluate("document.documentElement.scrollWidth") == width
