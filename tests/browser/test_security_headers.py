"""The Content-Security-Policy, as Chromium applies it to the app's pages."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from scoring.models import Role, Score
from tests.browser.conftest import log_in
from tests.factories import AssessmentFactory, build_framework, score_assessment, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pages_satisfy_the_policy_and_an_injected_inline_script_is_refused(browser, live_server):
    assessment = AssessmentFactory(unit__name="Xã Chính Sách")
    user_with_role(Role.HOME_AFFAIRS, assessment.unit, username="noivu.chinhsach")
    page = log_in(browser, live_server, "noivu.chinhsach", "secret-pass-123")

    for path in ("/", f"/danh-gia/{assessment.pk}/", "/xep-hang/", "/ke-hoach/"):
        response = page.goto(f"{live_server.url}{path}")
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert browser.csp_violations == []

    # The check can fail: an inline script put into the page is blocked and reported.
    with pytest.raises(PlaywrightError, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("window.injected === undefined")
    assert any("inline script" in violation for violation in browser.csp_violations)
    browser.csp_violations.clear()


def test_the_admin_satisfies_the_policy(browser, live_server):
    framework = build_framework([("1", None, "2"), ("1.1", "1", "2")])
    score_assessment(AssessmentFactory(framework=framework), {"1.1": "1,5"})
    score = Score.objects.get()
    user_with_role(Role.ADMIN, username="quantri.chinhsach")
    page = log_in(browser, live_server, "quantri.chinhsach", "secret-pass-123")

    for path in (
        "/admin/",
        "/admin/scoring/score/",
        f"/admin/scoring/score/{score.pk}/change/",
        "/admin/scoring/score/import/",
        "/admin/scoring/unit/add/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("#content h1, #content h2").first.is_visible(), path
    assert browser.csp_violations == []
