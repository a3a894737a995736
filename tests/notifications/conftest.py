import pytest

from tests.notifications.setup import SITE


@pytest.fixture(autouse=True)
def _public_address(settings):
    """E-mails carry links made absolute with the site's public address."""
    settings.SITE_URL = SITE
