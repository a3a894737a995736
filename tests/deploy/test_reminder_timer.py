"""The reminder timer sample: systemd reads it cleanly, and its command runs as on a server."""

import configparser
import shlex
import shutil
import subprocess

import pytest

from tests.deploy.servers import BASE_DIR, DEPLOY

pytestmark = pytest.mark.deploy
UNITS = ("cchc-reminders.service", "cchc-reminders.timer")


def read_unit(name: str) -> configparser.ConfigParser:
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read(DEPLOY / name, encoding="utf-8")
    return unit


def test_the_timer_runs_send_reminders_hourly_as_the_apps_user():
    service, timer = read_unit(UNITS[0])["Service"], read_unit(UNITS[1])["Timer"]

    assert (service["Type"], service["User"]) == ("oneshot", "cchc")
    assert shlex.split(service["ExecStart"]) == ["/opt/cchc/deploy/cchc-manage", "send_reminders"]
    assert (timer["OnCalendar"], timer["Persistent"]) == ("hourly", "true")


def test_systemd_finds_nothing_wrong_with_the_timer(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    for name in UNITS:
        text = (DEPLOY / name).read_text().replace("/opt/cchc", str(BASE_DIR))
        (tmp_path / name).write_text(text)

    result = subprocess.run(
        ["systemd-analyze", "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
    )

    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_timers_command_runs_with_the_servers_settings(deployment):
    command = shlex.split(read_unit(UNITS[0])["Service"]["ExecStart"])

    result = deployment.manage(*command[1:])

    assert result.stdout.startswith("Nhắc việc ngày ")
    assert "0 nhắc hạn tự đánh giá, 0 nhắc hạn thẩm định, 0 nhắc nhiệm vụ quá hạn" in result.stdout
