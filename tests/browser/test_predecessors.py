"""A merged commune's dashboard, comparison and ranking in headless Chromium, as its head
and as Nội vụ, 1280 and 390 px wide. Screenshots go to SHOTS for a person to look at."""

import os
from pathlib import Path

import pytest

from tests.browser.conftest import log_in
from tests.browser.test_dashboard import assert_reads_at_this_width
from tests.web.predecessors_setup import build_merger

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = Path(os.environ.get("PREDECESSOR_SHOTS", "/tmp/shots/predecessors"))
PASSWORD = "secret-pass-123"  # user_with_role's
LABEL = "đơn vị mới hợp nhất từ Xã An, Xã Bình, Xã Châu (từ năm 2025)"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("who", ["xa.hopnhat", "noivu.tinh"])
def test_the_merged_units_pages_in_chromium(browser, live_server, tmp_path, width, who):
    world = build_merger(tmp_path)
    page = log_in(browser, live_server, who, PASSWORD, width=width)
    merged = world["merged"]

    page.goto(f"{live_server.url}/don-vi/{merged.pk}/tong-quan/?nam=2025")
    assert page.locator("h1").inner_text() == "Xã Hợp Nhất"
    assert page.locator('[data-kpi="rank"]').inner_text() == "2/4"
    assert page.locator('[data-kpi="rank-change"]').inner_text().startswith(LABEL)
    rows = page.locator("#predecessors tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("td").nth(5).inner_text() == "2/6"
    assert page.locator("#trend-note").is_visible()
    assert_reads_at_this_width(page)
    shoot(page, f"dashboard-{who}-{width}")

    page.click("text=So sánh với năm khác")
    assert (
        page.locator("#predecessor-note").inner_text().startswith("Năm 2024 là kết quả của Xã An")
    )
    page.select_option("#id_voi", "2024-C")
    page.click("form.inline-form button[type=submit]")
    assert "Xã Châu" in page.locator("#predecessor-note").inner_text()
    assert_reads_at_this_width(page)
    shoot(page, f"comparison-{who}-{width}")

    page.goto(f"{live_server.url}/xep-hang/?khoi={world['new'].pk}&nam=2025")
    cell = page.locator('tr[data-unit="HN"] [data-col="change"]')
    assert cell.inner_text() == LABEL
    assert (
        page.locator('tr[data-unit="P3"] [data-col="change"]').inner_text().startswith("tăng 4 bậc")
    )
    if width == 1280:
        assert_reads_at_this_width(page)
    shoot(page, f"ranking-{who}-{width}")
