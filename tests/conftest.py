import pytest
from django.conf import settings


def pytest_configure(config) -> None:
    """Tests run with DEBUG off but without `collectstatic`: static files come from the
    source folders under their own names (the deploy tests run collectstatic themselves).
    Set for the whole run, since the live server's handler is made once."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # Hashing a password the production way takes a third of a second; the login
    # tests hash hundreds of them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
