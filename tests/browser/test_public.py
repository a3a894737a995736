"""The open results in headless Chromium: reached from the login page with no account,
and from the menu as Nội vụ and as a unit head; the same page for all three, at a
phone's width and a desktop's, inside the Content-Security-Policy.

Screenshots go to /tmp/shots/public/ for a person to look at.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from scoring.demo import DEMO_PASSWORD
from scoring.models import PublicationDecision, RankingGroup
from tests.browser.conftest import log_in, watch_csp
from tests.factories import load_demo_data
from tests.web.dashboard_data import CAM_XUYEN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = Path("/tmp/shots/public")


@pytest.fixture
def demo():
    load_demo_data()
    PublicationDecision.objects.create(
        group=RankingGroup.objects.get(name=CAM_XUYEN),
        year=2023,
        number="9471/QĐ-UBND",
        signed_on=datetime.date(2023, 12, 26),
        issuer="UBND huyện Cẩm Xuyên",
        recorded_by=get_user_model().objects.get(username="noivu.camxuyen"),
    )
    SHOTS.mkdir(parents=True, exist_ok=True)


def assert_fits(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") == width


def open_cam_xuyen_2023(page) -> None:
    """From the list of published results to Cẩm Xuyên's communes of 2023."""
    assert page.locator("h1").inner_text() == "Kết quả Chỉ số cải cách hành chính đã công bố"
    row = page.locator("#published-rankings tr", has_text=CAM_XUYEN).filter(has_text="2023")
    assert "Quyết định số 9471/QĐ-UBND ngày 26/12/2023" in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector("#ranking")


def cam_son_row(page) -> dict[str, str]:
    row = page.locator('#ranking tr[data-unit="HT-CX-CS"]')
    cols = ("rank", "total", "index", "change", "classification")
    return {col: row.locator(f'[data-col="{col}"]').inner_text() for col in cols}


@pytest.mark.parametrize("width", [1280, 390])
def test_anyone_reads_the_published_ranking_without_an_account(browser, live_server, demo, width):
    page = browser.new_page(viewport={"width": width, "height": 800}, locale="vi-VN")
    watch_csp(page)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.click("text=Xem kết quả Chỉ số CCHC đã công bố")
    page.screenshot(path=str(SHOTS / f"anonymous-list-{width}.png"), full_page=True)
    assert_fits(page)
    open_cam_xuyen_2023(page)

    cam_son = cam_son_row(page)
    assert cam_son["rank"] == "3"
    assert (cam_son["total"], cam_son["index"]) == ("85,08", "85,08%")
    assert cam_son["change"].startswith("tăng 20 bậc")
    assert page.locator("#ranking tbody tr").count() == 23
    assert_fits(page)
    page.screenshot(path=str(SHOTS / f"anonymous-ranking-{width}.png"), full_page=True)

    page.fill("#id_q", "cam son")
    page.click(".ranking-search button")
    assert page.locator("#ranking tbody tr").count() == 1
    assert cam_son_row(page)["rank"] == "3"

    page.click("text=API dữ liệu mở")
    page.screenshot(path=str(SHOTS / f"anonymous-api-{width}.png"), full_page=True)
    assert_fits(page)
    page.click("#openapi-link")
    schema = json.loads(page.locator("body").inner_text())
    assert "/api/v1/units/{unit_code}/{year}" in schema["paths"]


@pytest.mark.parametrize("username", ["noivu.camxuyen", "xa.camson"])
@pytest.mark.parametrize("width", [1280, 390])
def test_staff_reach_the_same_public_page_from_the_menu(
    browser, live_server, demo, username, width
):
    page = log_in(browser, live_server, username, DEMO_PASSWORD, width=width)
    page.screenshot(path=str(SHOTS / f"{username}-home-{width}.png"))
    page.click(".site-nav >> text=Kết quả công khai")
    open_cam_xuyen_2023(page)

    # What anyone sees: no account in the header, the published values only.
    assert page.locator(".account").count() == 0
    assert cam_son_row(page)["total"] == "85,08"
    assert_fits(page)
    page.screenshot(path=str(SHOTS / f"{username}-ranking-{width}.png"), full_page=True)
