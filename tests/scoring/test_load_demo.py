"""`load_demo` on a server: refused with DEBUG off; --allow-production uses random passwords."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import MinimumLengthValidator, validate_password
from django.core.management import call_command
from django.core.management.base import CommandError

from scoring.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from scoring.models import ClassificationBand, Membership
from tests.factories import load_demo_data, row_counts

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
USERNAMES = {account[0] for account in DEMO_ACCOUNTS}
REFUSAL = (
    "Không nạp dữ liệu mẫu: DEBUG đang tắt, tức là đây là máy chủ thật. Dữ liệu mẫu "
    "tạo các tài khoản mẫu, trong đó có tài khoản quản trị quantri, với mật khẩu in "
    "trong README. Trên máy phát triển, chạy với DEBUG=1 (như make run); nếu cố ý dựng "
    "một bản trình diễn trên máy chủ thử nghiệm, thêm --allow-production (mỗi tài khoản "
    "mẫu sẽ nhận một mật khẩu ngẫu nhiên, in ra một lần)."
)
DEMO_SCORES = 23 * 46 + 21 * 22


@pytest.fixture
def server(settings) -> None:
    settings.DEBUG = False


def everything() -> dict[str, int]:
    return {
        **row_counts(),
        "User": get_user_model().objects.count(),
        "Membership": Membership.objects.count(),
        "ClassificationBand": ClassificationBand.objects.count(),
    }


def load_on_server(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\S+) +(\S+)$", output, re.MULTILINE))


def test_readme_password_passes_the_validators_for_every_demo_account():
    User = get_user_model()

    for username, full_name, _, _ in DEMO_ACCOUNTS:
        user = User(username=username, first_name=full_name)
        assert validate_password(DEMO_PASSWORD, user) is None
    assert f"`{DEMO_PASSWORD}`" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_refuses_with_debug_off_and_creates_nothing(server):
    with pytest.raises(CommandError) as refused:
        load_on_server()

    assert str(refused.value) == REFUSAL
    assert set(everything().values()) == {0}


def test_refusal_comes_before_completing_a_partial_demo(server):
    load_demo_data()
    get_user_model().objects.filter(username="xa.camson").delete()
    Membership.objects.filter(user__username="huyen.anlao").delete()
    before = everything()

    with pytest.raises(CommandError, match="DEBUG đang tắt"):
        load_on_server()

    assert everything() == before
    assert before["Score"] == DEMO_SCORES
    assert not get_user_model().objects.filter(username="xa.camson").exists()


def test_refusal_exits_non_zero_from_the_shell(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env |= {"DEBUG": "0", "SECRET_KEY": "k" * 50, "DATABASE_URL": f"sqlite:///{tmp_path}/db"}

    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert result.stderr.strip() == f"CommandError: {REFUSAL}"
    assert result.stdout == ""


def test_allow_production_gives_each_account_a_random_password_that_logs_in(server, client):
    output = load_on_server("--allow-production")
    passwords = printed_passwords(output)
    User = get_user_model()

    assert set(passwords) == USERNAMES
    assert len(set(passwords.values())) == len(USERNAMES)
    assert "chỉ in lần này" in output
    assert row_counts()["Score"] == DEMO_SCORES
    for username, password in passwords.items():
        user = User.objects.get(username=username)
        assert len(password) == 16
        assert password != DEMO_PASSWORD
        assert validate_password(password, user) is None
        assert not user.check_password(DEMO_PASSWORD)
        answer = client.post("/dang-nhap/", {"username": username, "password": password})
        assert answer.status_code == 302, username
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()
    assert Membership.objects.filter(user__username__in=USERNAMES).count() == len(USERNAMES)


def test_allow_production_replaces_the_readme_password_and_keeps_one_already_changed(server):
    load_demo_data()
    cam_son = get_user_model().objects.get(username="xa.camson")
    cam_son.set_password("mat-khau-rieng-cua-xa")
    cam_son.save()
    before = everything()

    output = load_on_server("--allow-production")
    passwords = printed_passwords(output)

    assert set(passwords) == USERNAMES - {"xa.camson"}
    assert everything() == before
    assert "Dữ liệu mẫu đã có đủ, không tạo thêm gì." in output
    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["xa.camson"].check_password("mat-khau-rieng-cua-xa")
    for username in USERNAMES:
        assert not users[username].check_password(DEMO_PASSWORD)


def test_allow_production_prints_no_password_when_every_account_has_its_own(server):
    load_on_server("--allow-production")
    before = everything()

    output = load_on_server("--allow-production")

    assert everything() == before
    assert printed_passwords(output) == {}
    assert "Không đặt mật khẩu mới: các tài khoản mẫu đã có mật khẩu riêng." in output


def test_allow_production_refuses_when_the_validators_refuse_its_passwords(server, settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {
            "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
            "OPTIONS": {"min_length": 20},
        }
    ]

    with pytest.raises(CommandError) as refused:
        load_on_server("--allow-production")

    too_short = MinimumLengthValidator(20).get_error_message()  # Django's own words
    assert str(refused.value) == (
        "Không nạp dữ liệu mẫu: mật khẩu tài khoản mẫu không qua kiểm tra mật khẩu "
        f"(AUTH_PASSWORD_VALIDATORS): {too_short}"
    )
    assert set(everything().values()) == {0}
