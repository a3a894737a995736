"""The dashboard and the ranking in headless Chromium, as a unit and as Nội vụ.

Screenshots go to /tmp/shots/ (1366 px and 390 px wide) for a person to look at.
"""

from pathlib import Path

import pytest

from scoring.demo import DEMO_PASSWORD
from tests.browser.conftest import log_in
from tests.factories import load_demo_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = Path("/tmp/shots")


@pytest.fixture
def demo():
    load_demo_data()
    SHOTS.mkdir(exist_ok=True)


def shoot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def assert_reads_at_this_width(page) -> None:
    """Nothing spills past the screen and every chart fits its box, values included."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") == width
    overflowing = page.evaluate(
        """[...document.querySelectorAll('figure.chart-box')]
            .filter(box => box.querySelector('svg').getBoundingClientRect().right
                           > box.getBoundingClientRect().right + 0.5).length"""
    )
    assert overflowing == 0


@pytest.mark.parametrize("width", [1366, 390])
def test_unit_user_sees_its_dashboard_and_the_published_ranking(browser, live_server, demo, width):
    page = log_in(browser, live_server, "xa.camson", DEMO_PASSWORD, width=width)

    assert page.locator("h1").inner_text() == "Xã Cẩm Sơn"
    assert page.locator('[data-kpi="total"]').inner_text() == "85,08"
    assert page.locator('[data-kpi="deducted"]').inner_text() == "14,92"
    assert page.locator('[data-kpi="rank"]').inner_text() == "3/23"
    assert page.locator('[data-kpi="rank-change"]').inner_text().startswith("tăng 20 bậc")
    assert page.locator("svg.chart").count() == 2
    assert_reads_at_this_width(page)
    shoot(page, f"unit-dashboard-{width}")

    page.click("text=Bảng xếp hạng của khối")
    row = page.locator('tr[data-unit="HT-CX-CS"]')
    assert row.locator('[data-col="rank"]').inner_text() == "3"
    assert row.locator('[data-col="total"]').inner_text() == "85,08"
    assert page.locator("main a[href*='/tong-quan/']").count() == 1  # only its own unit
    assert_reads_at_this_width(page)
    if width == 1366:  # the whole ranking, Xếp loại included, fits without scrolling
        assert page.evaluate(
            "document.querySelector('#ranking').scrollWidth"
            " <= document.querySelector('.table-wrap').clientWidth"
        )
    shoot(page, f"unit-ranking-{width}")


@pytest.mark.parametrize("width", [1366, 390])
def test_home_affairs_sees_the_cycle_the_ranking_and_any_unit(browser, live_server, demo, width):
    page = log_in(browser, live_server, "noivu.binhdinh", DEMO_PASSWORD, width=width)

    assert page.locator("h1").inner_text() == "Kỳ đánh giá năm 2021"
    shoot(page, f"noivu-home-{width}")
    page.locator(".group-links a", has_text="xếp hạng").first.click()
    row = page.locator('tr[data-unit="BD-AL"]')
    assert row.locator('[data-col="total"]').inner_text() == "84,31"
    assert row.locator('[data-col="change"]').inner_text().startswith("giảm 2 bậc")
    shoot(page, f"noivu-ranking-{width}")

    row.locator("a").click()
    assert page.locator('[data-kpi="total"]').inner_text() == "84,31"
    assert page.locator('[data-kpi="rank"]').inner_text() == "3/11"
    assert_reads_at_this_width(page)
    shoot(page, f"noivu-dashboard-{width}")
    page.goto(f"{live_server.url}/phan-tich/")
    assert page.locator("#criterion-losses tbody tr").count() > 0
    shoot(page, f"noivu-analysis-{width}")
