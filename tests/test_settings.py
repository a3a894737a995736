import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _django_check(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _django_check(DEBUG="0")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_starts_without_secret_key_in_debug():
    result = _django_check(DEBUG="1")

    assert result.returncode == 0, result.stderr


def test_database_url_selects_postgresql(monkeypatch):
    import dj_database_url

    config = dj_database_url.parse("postgres://u:p@db.example:5432/cchc")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "cchc"


def test_defaults_are_vietnamese(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


@pytest.mark.django_db
def test_pages_are_vietnamese_whatever_the_browser_asks_for(client):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Đăng nhập" in page.content.decode()
