import pytest
from django.conf import settings

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "live_server"}


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


@pytest.fixture(autouse=True)
def _stored_tallies_stay_right(request):
    """After every test that wrote to the database, every assessment's stored tallies
    equal the engine's recompute from its scores: whatever path the test wrote through
    kept them (the check `manage.py verify_tallies` makes, on each test's data)."""
    yield
    uses_database = request.node.get_closest_marker("django_db") or (
        DATABASE_FIXTURES & set(request.fixturenames)
    )
    if not uses_database or request.node.get_closest_marker("tallies_left_wrong"):
        return
    from scoring.engine.verify import tally_differences
    from scoring.models import Assessment

    differences = list(tally_differences(Assessment.objects.select_related("unit")))
    assert not differences, f"stored tallies left wrong: {differences[:5]}"
