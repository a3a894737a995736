"""A two-round year walked in headless Chromium: submit → appraisal round 1 → back for
explanation → the unit explains → appraisal round 2 → publish.

Screenshots of every stage go to /tmp/shots-rounds/ (1366 px wide) for a person to look at.
"""

from decimal import Decimal
from pathlib import Path

import pytest

from scoring.engine import assessment_breakdown
from scoring.models import Assessment, AssessmentStatus, Score
from tests.browser.conftest import log_in
from tests.browser.worlds import PASSWORD, sheet_world
from tests.browser.worlds import shoot as screenshot
from tests.factories import score_assessment
from tests.web.rounds_setup import two_round_year

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = Path("/tmp/shots-rounds")
# Round 1: every leaf appraised (the completeness check before "Hoàn tất" wants that).
ROUND_ONE = {"1.1": "0,5", "1.2": "1,5", "2.1": "1,5", "2.2": "1"}


@pytest.fixture
def world():
    world = sheet_world(AssessmentStatus.DRAFT)
    two_round_year(world.mine.year)
    score_assessment(world.mine, {"1.1": "1", "1.2": "1,5", "2.1": "1,5", "2.2": "1"})
    return world


def shoot(page, name: str) -> None:
    screenshot(page, name, SHOTS)


def leaf(page, code: str):
    return page.locator(f"tr.sheet-leaf:has(td.code:text-is('{code}'))")


def take_step(page, label: str, reason: str = "") -> str:
    """Press a workflow button (with its reason, if it asks one); the message it leaves."""
    form = page.locator(f".workflow form:has(button:text-is('{label}'))")
    if reason:
        form.locator("input[name=reason]").fill(reason)
    page.once("dialog", lambda dialog: dialog.accept())  # sending asks first
    with page.expect_navigation():
        form.locator("button").click()
    return page.locator(".messages").inner_text()


def save_sheet(page) -> None:
    with page.expect_navigation():
        page.click("button.primary")
    assert "Đã lưu phiếu chấm" in page.locator(".messages").inner_text()


def publish(page) -> str:
    """Publish through the confirmation page: it shows what will be published (total,
    index, rank) and is itself the confirmation; the message left on the sheet."""
    with page.expect_navigation():
        page.click(".workflow a:text-is('Công bố…')")
    facts = page.locator(".sheet-facts").inner_text()
    assert "5/5,5 điểm" in facts and "90,91%" in facts, facts
    shoot(page, "6-publish-confirmation")
    with page.expect_navigation():
        page.click("button:text-is('Công bố kết quả')")
    return page.locator(".messages").inner_text()


def status_text(page) -> str:
    return page.locator(".sheet-facts .status").inner_text()


def test_two_rounds_with_the_units_explanation_walked_to_publication(browser, live_server, world):
    url = f"{live_server.url}/danh-gia/{world.mine.pk}/"
    unit = log_in(browser, live_server, world.unit_user.username, PASSWORD)
    unit.goto(url)
    shoot(unit, "1-unit-self-assessment")
    assert "Gửi thẩm định: đã gửi thẩm định." in take_step(unit, "Gửi thẩm định")

    # Round 1: Nội vụ scores every leaf, with a comment where it takes points off.
    noivu = log_in(browser, live_server, world.home_affairs.username, PASSWORD)
    noivu.goto(url)
    for code, points in ROUND_ONE.items():
        leaf(noivu, code).locator("input.js-appraised").fill(points)
    leaf(noivu, "1.1").locator("textarea[name^='comment-']").fill("Kế hoạch ban hành chậm 10 ngày")
    assert noivu.locator("#live-total").inner_text() == "4,5"
    save_sheet(noivu)
    shoot(noivu, "2-round-one-appraised")
    assert "Hoàn tất thẩm định vòng 1: đã thẩm định vòng 1." in take_step(
        noivu, "Hoàn tất thẩm định vòng 1"
    )
    assert status_text(noivu) == "Đã thẩm định vòng 1"
    assert noivu.locator(".workflow button:text-is('Công bố')").count() == 0  # round 2 first
    take_step(noivu, "Trả lại để giải trình", "Đề nghị giải trình tiêu chí 1.1")
    assert status_text(noivu) == "Đang giải trình"

    # The explanation: the unit disagrees on 1.1 with its reason, agrees with the rest.
    unit.goto(url)
    assert status_text(unit) == "Đang giải trình"
    assert unit.locator("input.js-self").count() == 0  # self scores stay as sent
    row = leaf(unit, "1.1")
    assert "Kế hoạch ban hành chậm 10 ngày" in row.locator("td.round-one").inner_text()
    row.locator("select.js-agrees").select_option("Không đồng ý")
    row.locator("textarea[name^='explanation-']").fill(
        "Kế hoạch ban hành ngày 05/01/2024, đúng hạn (Kế hoạch số 05/KH-UBND)"
    )
    for code in ("1.2", "2.1", "2.2"):
        leaf(unit, code).locator("select.js-agrees").select_option("Đồng ý")
    shoot(unit, "3-unit-explaining")
    save_sheet(unit)
    assert "Gửi giải trình: đã gửi giải trình, chờ thẩm định vòng 2." in take_step(
        unit, "Gửi giải trình"
    )
    shoot(unit, "4-unit-explanation-sent")

    # Round 2: Nội vụ sees self, round 1 and the explanation side by side and changes 1.1.
    noivu.goto(url)
    row = leaf(noivu, "1.1")
    assert row.locator("td.round-one .points").inner_text() == "0,5"
    assert "Không đồng ý" in row.locator("td.explanation").inner_text()
    assert "05/KH-UBND" in row.locator("td.explanation").inner_text()
    row.locator("input.js-appraised").fill("1")
    row.locator("textarea[name^='comment-']").fill("Chấp nhận giải trình: kế hoạch đúng hạn")
    assert noivu.locator("#live-total").inner_text() == "5"
    save_sheet(noivu)
    shoot(noivu, "5-round-two-appraised")
    noivu.set_viewport_size({"width": 390, "height": 844})
    shoot(noivu, "5-round-two-appraised-390")
    noivu.set_viewport_size({"width": 1366, "height": 768})
    assert "Hoàn tất thẩm định vòng 2: đã thẩm định vòng 2." in take_step(
        noivu, "Hoàn tất thẩm định vòng 2"
    )
    assert "Đã công bố kết quả." in publish(noivu)
    shoot(noivu, "6-published")

    assessment = Assessment.objects.get(pk=world.mine.pk)
    assert (assessment.status, assessment.appraisal_round) == (AssessmentStatus.PUBLISHED, 2)
    one = Score.objects.get(assessment=assessment, criterion__code="1.1")
    assert (one.self_score, one.first_round_score, one.appraised_score) == (
        Decimal("1"),
        Decimal("0.5"),
        Decimal("1"),
    )
    assert (one.explanation_agrees, one.first_round_comment) == (
        False,
        "Kế hoạch ban hành chậm 10 ngày",
    )
    assert assessment_breakdown(assessment).total.achieved == Decimal("5")
    unit.goto(url)
    assert "Chấp nhận giải trình: kế hoạch đúng hạn" in leaf(unit, "1.1").inner_text()
    shoot(unit, "7-unit-sees-published")
