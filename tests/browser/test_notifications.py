"""The bell as a unit's staff uses it: read the count, open an item, follow it."""

import pytest

from scoring.models import Notification, Role
from tests.browser.conftest import log_in
from tests.factories import AssessmentFactory, user_with_role

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_bell_shows_the_unread_count_and_opening_one_follows_its_link(browser, live_server):
    assessment = AssessmentFactory(unit__name="Xã Chuông Reo")
    user = user_with_role(Role.UNIT, assessment.unit, username="xa.chuongreo")
    for message, link in [
        ("Phiếu năm 2023 được trả lại", f"/danh-gia/{assessment.pk}/"),
        ("Kết quả năm 2023 đã được công bố", "/ke-hoach/"),
    ]:
        Notification.objects.create(recipient=user, kind="returned", message=message, link=link)

    page = log_in(browser, live_server, "xa.chuongreo", "secret-pass-123")
    page.get_by_role("link", name="Thông báo, 2 chưa đọc").click()
    page.wait_for_url(f"{live_server.url}/thong-bao/")
    assert page.locator("h1").inner_text() == "Thông báo"
    page.get_by_role("button", name="Phiếu năm 2023 được trả lại").click()

    page.wait_for_url(f"{live_server.url}/danh-gia/{assessment.pk}/")
    assert page.get_by_role("link", name="Thông báo, 1 chưa đọc").is_visible()
    page.get_by_role("link", name="Thông báo, 1 chưa đọc").click()
    page.get_by_role("button", name="Đánh dấu đã đọc tất cả").click()
    assert "Đã đánh dấu 1 thông báo là đã đọc." in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Thông báo, 0 chưa đọc").is_visible()
