"""The samples in deploy/ checked by the tools that read them: systemd-analyze, nginx -t;
their running is in test_production and test_two_instances."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.servers import (
    BASE_DIR,
    DEPLOY,
    NGINX,
    read_env,
    unit_command,
    unit_file,
)

pytestmark = pytest.mark.deploy

# Read by the tests only.
NOT_FOR_SERVERS = {"TEST_DATABASE_NAME"}


def settings_variables() -> set[str]:
    source = (BASE_DIR / "cchc" / "settings.py").read_text()
    calls = r"(?:env_bool|env_int|env_list|os\.environ\.get|os\.environ\[)\(?\s*\"([A-Z0-9_]+)\""
    return set(re.findall(calls, source)) - NOT_FOR_SERVERS


def test_the_example_environment_lists_every_setting_the_app_reads():
    listed = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (DEPLOY / "cchc.env.example").read_text(), re.M))

    assert {"SECRET_KEY", "DATABASE_URL", "SITE_URL", "MEDIA_ROOT", "S3_BUCKET"} <= listed
    assert settings_variables() - listed == set()


def test_the_example_environment_sets_what_a_server_needs():
    settings = read_env(DEPLOY / "cchc.env.example")

    assert settings["DEBUG"] == "0"
    assert settings["SITE_URL"] == "https://cchc.example.vn"
    assert settings["DATABASE_URL"].startswith("postgres://cchc:")
    assert settings["MEDIA_ROOT"] == "/var/lib/cchc/media"


def test_the_unit_runs_gunicorn_as_its_own_user_with_the_environment_file():
    service = unit_file()["Service"]

    assert service["User"] == "cchc"
    assert service["EnvironmentFile"] == "/etc/cchc/cchc.env"
    assert service["WorkingDirectory"] == "/opt/cchc"
    assert service["Restart"] == "on-failure"
    assert service["ReadWritePaths"] == "/var/lib/cchc"  # MEDIA_ROOT's parent
    command = unit_command(8000)
    assert command[:2] == [command[0], "cchc.wsgi"]
    assert command[0].endswith("/bin/gunicorn")
    assert "--bind" in command and "127.0.0.1:8000" in command


def test_systemd_finds_nothing_wrong_with_the_unit(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    unit = tmp_path / "cchc.service"
    unit.write_text((DEPLOY / "cchc.service").read_text().replace("/opt/cchc", str(BASE_DIR)))

    result = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True
    )

    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_nginx_accepts_the_site_in_debians_own_configuration(tmp_path, certificate):
    stock = Path("/etc/nginx/nginx.conf")
    if not NGINX or not stock.exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    cert, key = certificate
    site = tmp_path / "cchc"
    site.write_text(
        (DEPLOY / "nginx-cchc.conf")
        .read_text()
        .replace("/etc/letsencrypt/live/cchc.example.vn/fullchain.pem", str(cert))
        .replace("/etc/letsencrypt/live/cchc.example.vn/privkey.pem", str(key))
    )
    text = stock.read_text()
    assert "include /etc/nginx/sites-enabled/*;" in text
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        text.replace("include /etc/nginx/sites-enabled/*;", f"include {site};")
        .replace("/var/log/nginx/", f"{tmp_path}/")
        .replace("/run/nginx.pid", f"{tmp_path}/nginx.pid")
    )

    # nginx's own prefix: the stock file loads its modules from there.
    command = [NGINX, "-c", str(conf), "-e", f"{tmp_path}/error.log", "-t"]
    result = subprocess.run(command, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    assert "[warn]" not in result.stderr and "[emerg]" not in result.stderr
