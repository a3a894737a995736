"""Nội vụ opens a cycle in headless Chromium, typing its dates as dd/mm/yyyy."""

import pytest

from scoring.models import Assessment, ScoringCalendar
from tests.browser.conftest import log_in
from tests.browser.worlds import PASSWORD, shoot
from tests.cycles.world import home_affairs_of, make_province

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_home_affairs_opens_its_provinces_cycle_from_the_navigation(browser, live_server):
    world = make_province()
    noivu = home_affairs_of(world.province, "noivu.tinh")
    page = log_in(browser, live_server, noivu.username, PASSWORD)

    page.get_by_role("link", name="Kỳ đánh giá").click()
    assert page.get_by_label("Đơn vị mở kỳ đánh giá").input_value() == str(world.province.pk)
    page.get_by_label("Năm đánh giá").fill("2025")
    page.get_by_label("Hạn tự đánh giá").fill("30/06/2025")
    page.get_by_label("Hạn thẩm định").fill("31/07/2025")
    page.get_by_label("Số vòng thẩm định").select_option("2")
    page.click("text=Mở kỳ / cập nhật lịch")

    calendar = ScoringCalendar.objects.get()
    page.wait_for_url(f"{live_server.url}/ky-danh-gia/{calendar.pk}/")
    assert "Đã mở 6 phiếu mới, 0 đơn vị đã mở từ trước, 3 đơn vị chưa mở được." in (
        page.locator(".messages").inner_text()
    )
    assert "Xã Chưa Có Khối" in page.locator("#not-opened").inner_text()
    assert calendar.appraisal_rounds == 2
    assert Assessment.objects.count() == 6
    shoot(page, "cycle-opened-1366")

    page.click("text=Dời ngày")
    assert page.get_by_label("Hạn tự đánh giá").input_value() == "30/06/2025"
    shoot(page, "cycles-move-dates-1366")
