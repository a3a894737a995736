"""Completing an appraisal in headless Chromium: the refusal listing the empty leaves,
"Chấp nhận điểm tự chấm" behind its confirmation, the publish confirmation page.

Screenshots go to /tmp/shots/ for a person to look at.
"""

import pytest

from scoring.models import AssessmentStatus, Score
from tests.browser.conftest import log_in
from tests.browser.worlds import PASSWORD, shoot
from tests.factories import score_assessment
from tests.web.sheet_setup import make_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_noi_vu_fills_the_empty_leaves_completes_and_publishes(browser, live_server):
    world = make_world(status=AssessmentStatus.SUBMITTED)
    world.home_affairs.set_password(PASSWORD)  # the fast test hasher is not the server's
    world.home_affairs.first_name, world.home_affairs.last_name = "Thị Hoa", "Nguyễn"
    world.home_affairs.save()
    score_assessment(world.mine, {"1.1": "1", "1.2": "1,5", "2.1": "2"})
    page = log_in(browser, live_server, world.home_affairs.username, PASSWORD)
    sheet = f"{live_server.url}/danh-gia/{world.mine.pk}/"
    page.goto(sheet)

    page.click("button:has-text('Hoàn tất thẩm định')")
    refusal = page.locator(".message.error")
    assert "còn 3 tiêu chí chưa có điểm thẩm định" in refusal.inner_text()
    shoot(page, "appraisal-incomplete-1366")
    refusal.locator("a").first.click()
    assert page.url.endswith(f"#leaf-{world.mine.framework.criteria.get(code='1.1').pk}")

    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.click("button:has-text('Chấp nhận điểm tự chấm cho các tiêu chí còn trống (3)')")
    page.wait_for_selector(".message.success")
    assert asked == ["Lấy điểm tự chấm làm điểm thẩm định cho 3 tiêu chí chưa có điểm thẩm định?"]
    assert sorted(Score.objects.values_list("appraised_score", flat=True)) == [1, 1.5, 2]

    page.click("button:has-text('Hoàn tất thẩm định')")
    assert "Hoàn tất thẩm định · Nguyễn Thị Hoa" in page.locator(".sheet-facts").inner_text()
    shoot(page, "appraisal-complete-1366")

    page.click("text=Công bố…")
    assert "4,5" in page.locator(".sheet-facts").inner_text()
    shoot(page, "publish-confirm-1366")
    asked_again = []  # the page is the confirmation: its button asks nothing more
    page.once("dialog", lambda dialog: (asked_again.append(dialog.message), dialog.accept()))
    page.click("button:has-text('Công bố kết quả')")
    page.wait_for_url(sheet)
    assert asked_again == []
    world.mine.refresh_from_db()
    assert world.mine.status == AssessmentStatus.PUBLISHED
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "appraisal-published-390")
