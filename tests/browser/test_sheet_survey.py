"""A survey leaf in headless Chromium: read-only for the unit, typed by Nội vụ, and the
live totals count it like any other leaf. Screenshots go to /tmp/shots/."""

from decimal import Decimal

import pytest

from scoring.models import AssessmentStatus, Criterion, Score
from tests.browser.conftest import log_in
from tests.browser.worlds import PASSWORD, saved_at, sheet_world, shoot
from tests.factories import make_survey, score_assessment

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def survey_world(status: str):
    world = sheet_world(status)
    make_survey(Criterion.objects.filter(code="2.2"))
    score_assessment(world.mine, {"1.1": "1", "1.2": "1,5", "2.1": "1,5"})
    return world


def test_the_unit_types_its_leaves_and_sees_the_survey_leaf_as_nội_vụ_s(browser, live_server):
    world = survey_world(AssessmentStatus.DRAFT)
    page = log_in(browser, live_server, world.unit_user.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")

    survey_row = page.locator("tr.sheet-leaf").nth(3)
    assert "do Nội vụ nhập từ kết quả điều tra" in survey_row.inner_text()
    assert survey_row.locator("input.js-self").count() == 0
    assert page.locator("input.js-self").count() == 3
    page.locator("input.js-self").first.fill("0,5")
    assert page.locator("#total-achieved").inner_text() == "3,5"  # 0,5 + 1,5 + 1,5 + 0
    shoot(page, "sheet-survey-unit-1366")


def test_home_affairs_types_the_survey_score_and_the_total_follows(browser, live_server):
    world = survey_world(AssessmentStatus.SUBMITTED)
    page = log_in(browser, live_server, world.home_affairs.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    assert page.locator("#total-achieved").inner_text() == "4"

    page.locator("input.js-appraised").nth(3).fill("0,75")
    assert page.locator("#total-achieved").inner_text() == "4,75"
    page.click("text=Lưu phiếu chấm")
    page.wait_for_url(saved_at(live_server, world.mine))
    shoot(page, "sheet-survey-appraisal-1366")

    score = Score.objects.get(criterion__code="2.2")
    assert (score.self_score, score.appraised_score) == (None, Decimal("0.75"))
    assert page.locator("#total-achieved").inner_text() == "4,75"
