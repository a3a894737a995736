import json
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


def test_postgresql_connections_turn_the_jit_compiler_off_unless_told_not_to():
    server = {"SECRET_KEY": "x", "DATABASE_URL": "postgres://u:p@db.example:5432/cchc"}

    default = _settings_seen("DATABASES", **server)["DATABASES"]["default"]
    kept = _settings_seen("DATABASES", **server, DB_JIT="1")["DATABASES"]["default"]
    sqlite = _settings_seen("DATABASES", SECRET_KEY="x", DATABASE_URL="sqlite:///x.db")

    assert default["OPTIONS"] == {"options": "-c jit=off"}
    assert "options" not in kept.get("OPTIONS", {})
    assert not sqlite["DATABASES"]["default"].get("OPTIONS")


def test_defaults_are_vietnamese(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"


@pytest.mark.django_db
def test_pages_are_vietnamese_whatever_the_browser_asks_for(client):
    page = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "Đăng nhập" in page.content.decode()


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Jd9-vQx2Lm8Rt5Zp0Wc7Ny4Hb6Gf1Sa9Ue3Io5Yr2Tw8Eq7P",  # 50 characters
    "SITE_URL": "https://cchc.example.vn",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**keep, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def _settings_seen(*names: str, **env: str) -> dict:
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    )
    result = _manage("shell", "-c", script, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_deploy_check_passes_with_the_public_address_set():
    assert len(PRODUCTION["SECRET_KEY"]) == 50

    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_check_fails_on_plain_http():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "SITE_URL": ""}
    )

    assert result.returncode != 0
    assert "security.W008" in result.stderr  # SECURE_SSL_REDIRECT


def test_the_public_address_sets_hosts_origins_and_https():
    seen = _settings_seen(
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        **PRODUCTION,
    )

    assert seen == {
        "ALLOWED_HOSTS": ["cchc.example.vn", "127.0.0.1", "localhost"],
        "CSRF_TRUSTED_ORIGINS": ["https://cchc.example.vn"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_hosts_and_origins_can_still_be_set_apart():
    seen = _settings_seen(
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        ALLOWED_HOSTS="cchc.example.vn,10.0.0.5",
        CSRF_TRUSTED_ORIGINS="https://cchc.example.vn,https://cchc.tinh.gov.vn",
        **PRODUCTION,
    )

    assert seen["ALLOWED_HOSTS"] == ["cchc.example.vn", "10.0.0.5"]
    assert seen["CSRF_TRUSTED_ORIGINS"] == ["https://cchc.example.vn", "https://cchc.tinh.gov.vn"]


def test_without_https_nothing_trusts_the_proxy_or_forces_https():
    seen = _settings_seen(
        "SESSION_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
        **{**PRODUCTION, "SITE_URL": "http://cchc.noibo"},
    )

    assert seen == {
        "SESSION_COOKIE_SECURE": False,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_a_malformed_public_address_stops_the_app():
    result = _manage("check", **{**PRODUCTION, "SITE_URL": "cchc.example.vn"})

    assert result.returncode != 0
    assert "SITE_URL must look like https://cchc.example.vn" in result.stderr


def test_uploads_go_to_object_storage_when_a_bucket_is_set():
    seen = _settings_seen(
        "STORAGES", S3_BUCKET="cchc-tep", S3_ENDPOINT_URL="https://s3.vn", **PRODUCTION
    )

    default = seen["STORAGES"]["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "cchc-tep"
    assert default["OPTIONS"]["endpoint_url"] == "https://s3.vn"
    assert default["OPTIONS"]["default_acl"] == "private"


def test_error_mail_goes_to_the_admins_from_the_environment():
    seen = _settings_seen(
        "ADMINS", ADMINS="Tổ CNTT <cntt@example.vn>, tro.giup@example.vn", **PRODUCTION
    )

    assert seen["ADMINS"] == [["Tổ CNTT", "cntt@example.vn"], ["", "tro.giup@example.vn"]]
