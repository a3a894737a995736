"""The work queue and the sheet in headless Chromium: Tab reaches every note and
comment box, saving lands back on the edited row, and "Đơn vị tiếp theo" walks the
queue in its order with its filters."""

import re

import pytest

from scoring.models import AssessmentStatus, Score
from tests.browser.conftest import log_in
from tests.browser.worlds import PASSWORD, sheet_world, shoot
from tests.factories import score_assessment
from tests.web.sheet_setup import leaf_ids

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

LEAVES = ["1.1", "1.2", "2.1", "2.2"]


def focused_label(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label') || ''")


def tab_through(page, presses: int = 40) -> list[str]:
    """The aria-labels Tab passes over, one press at a time."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(focused_label(page))
    return seen


def test_tab_from_each_score_box_reaches_its_note_box(browser, live_server):
    world = sheet_world(AssessmentStatus.DRAFT)
    page = log_in(browser, live_server, world.unit_user.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")

    page.locator("input.js-self").first.focus()
    assert focused_label(page) == "Điểm tự chấm 1.1"
    page.keyboard.press("Tab")
    assert focused_label(page) == "Ghi chú 1.1"
    seen = tab_through(page)

    assert [f"Ghi chú {code}" in seen for code in LEAVES[1:]] == [True, True, True]
    assert seen.index("Điểm tự chấm 1.2") < seen.index("Ghi chú 1.2")
    page.locator("input.js-self").first.focus()
    page.keyboard.press("Enter")  # Enter still goes down the column
    assert focused_label(page) == "Điểm tự chấm 1.2"


def test_the_appraiser_tabs_to_every_comment_box_and_saving_lands_on_the_row(browser, live_server):
    world = sheet_world(AssessmentStatus.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "1,5", "2.1": "1,5", "2.2": "1"})
    score_assessment(world.other, {"1.1": "1", "1.2": "2", "2.1": "1,5", "2.2": "1"})
    ids = leaf_ids(world.mine)
    page = log_in(browser, live_server, world.home_affairs.username, PASSWORD)

    # The queue, filtered to the sheets waiting for appraisal, sorted by self total.
    page.goto(f"{live_server.url}/?trang_thai=submitted&sort=-tu-cham")
    rows = page.locator("#queue tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("[data-col=unit] a").first.inner_text() == "Xã Bên Cạnh"
    assert rows.nth(1).locator("[data-col=self]").inner_text() == "5"
    shoot(page, "queue-1366")
    page.click("#queue a:text-is('Xã Của Tôi')")
    page.wait_for_url(re.compile(r".*/danh-gia/\d+/\?nam=\d+&trang_thai=submitted&sort=-tu-cham$"))

    seen = tab_through(page, presses=80)
    assert [f"Nhận xét thẩm định {code}" in seen for code in LEAVES] == [True] * 4
    row = page.locator(f"#leaf-{ids['2.1']}")
    row.locator("input.js-appraised").fill("1")
    row.locator("textarea[name^='comment-']").fill("Tỷ lệ đúng hạn chưa đạt")
    page.set_viewport_size({"width": 1366, "height": 300})  # the row must be scrolled to
    page.click("text=Lưu phiếu chấm")
    page.wait_for_url(re.compile(rf".*sort=-tu-cham#leaf-{ids['2.1']}$"))

    assert focused_label(page) == "Điểm thẩm định 2.1"
    row_top = page.evaluate(
        f"document.getElementById('leaf-{ids['2.1']}').getBoundingClientRect().top"
    )
    heads_bottom = page.evaluate(
        "document.querySelector('table.sheet thead th').getBoundingClientRect().bottom"
    )
    assert heads_bottom <= row_top < page.viewport_size["height"]  # not under the sticky heads
    page.set_viewport_size({"width": 1366, "height": 768})
    assert Score.objects.get(assessment=world.mine, criterion__code="2.1").appraisal_comment == (
        "Tỷ lệ đúng hạn chưa đạt"
    )
    shoot(page, "sheet-back-at-row-1366")

    # Xã Bên Cạnh (5,5) came first, so from Xã Của Tôi (5) the queue has ended; back up.
    assert "Đây là đơn vị cuối danh sách." in page.locator(".queue-nav").inner_text()
    page.click("#previous-unit")
    page.wait_for_url(re.compile(rf".*/danh-gia/{world.other.pk}/\?.*trang_thai=submitted.*"))
    assert "Xã Bên Cạnh" in page.locator("h1").inner_text()
    assert "Xã Của Tôi" in page.locator("#next-unit").inner_text()
