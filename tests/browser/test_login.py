import pytest

from scoring.models import Role
from tests.browser.conftest import log_in
from tests.factories import AssessmentFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def test_unit_user_logs_in_and_lands_on_its_dashboard(browser, live_server):
    assessment = AssessmentFactory(unit__name="Xã Trình Duyệt")
    user_with_role(Role.UNIT, assessment.unit, username="xa.trinhduyet")

    page = log_in(browser, live_server, "xa.trinhduyet", "secret-pass-123")

    assert page.locator("h1").inner_text() == "Xã Trình Duyệt"
    assert "Điểm theo lĩnh vực" in page.locator("main").inner_text()
