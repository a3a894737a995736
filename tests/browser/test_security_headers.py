"""The Content-Security-Policy, as Chromium applies it to the app's pages."""

import pytest
from playwright.sync_api import Error as PlaywrightError

from scoring.models import Role
from tests.browser.conftest import log_in
from tests.factories import AssessmentFactory, user_with_role

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
