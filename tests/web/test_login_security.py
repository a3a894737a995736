"""Password guessing is throttled (django-axes), on the site's login and the admin's."""

import pytest
from django.core.management import call_command

from scoring.models import Role
from tests.factories import AssessmentFactory, user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests.factories.user_with_role
LOCKED = "tạm bị khóa trong 15 phút"


@pytest.fixture
def unit_user():
    return user_with_role(Role.UNIT, AssessmentFactory().unit, username="xa.khoa")


def log_in(client, username: str, password: str, *, path: str = "/dang-nhap/", **headers):
    return client.post(path, {"username": username, "password": password}, **headers)


def test_twelve_wrong_passwords_then_the_right_one_do_not_get_in(client, unit_user):
    answers = [log_in(client, "xa.khoa", f"wrong-{n}") for n in range(12)]
    right = log_in(client, "xa.khoa", PASSWORD)

    assert [a.status_code for a in answers[:9]] == [200] * 9
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in answers[0].content.decode()
    assert {a.status_code for a in answers[9:]} == {429}
    assert right.status_code == 429
    text = right.content.decode()
    assert LOCKED in text
    assert "Đã nhập sai mật khẩu 10 lần cho tài khoản «xa.khoa»" in text
    assert "_auth_user_id" not in client.session


def test_one_address_guessing_many_accounts_is_locked_out_too(client, unit_user):
    for n in range(10):
        log_in(client, f"khong-co-{n}", "wrong-password")

    answer = log_in(client, "xa.khoa", PASSWORD)

    assert answer.status_code == 429
    text = answer.content.decode()
    assert "Từ địa chỉ mạng của bạn đã có 10 lần đăng nhập sai" in text
    assert "tạm bị khóa trong 15 phút" in text
    assert "xa.khoa" not in text  # the account never failed: it is the address


def test_behind_the_proxy_each_client_address_is_counted_apart(client, settings, unit_user):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR")
    for n in range(10):
        log_in(client, f"khong-co-{n}", "wrong-password", HTTP_X_REAL_IP="203.0.113.7")

    other_client = log_in(client, "xa.khoa", PASSWORD, HTTP_X_REAL_IP="203.0.113.8")

    assert other_client.status_code == 302
    assert client.session["_auth_user_id"] == str(unit_user.pk)


def test_the_admin_login_is_covered(client):
    user_with_role(Role.ADMIN, username="quantri.khoa")
    for n in range(10):
        log_in(client, "quantri.khoa", f"wrong-{n}", path="/admin/login/")

    answer = log_in(client, "quantri.khoa", PASSWORD, path="/admin/login/")

    assert answer.status_code == 429
    assert LOCKED in answer.content.decode()


def test_an_administrator_unlocks_an_account(client, unit_user):
    for n in range(10):
        log_in(client, "xa.khoa", f"wrong-{n}")

    call_command("axes_reset_username", "xa.khoa")
    answer = log_in(client, "xa.khoa", PASSWORD)

    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(unit_user.pk)


def test_the_admin_lists_the_attempts_for_unlocking(client):
    admin = user_with_role(Role.ADMIN, username="quantri.mokhoa")
    log_in(client, "xa.khoa", "wrong-password")
    client.force_login(admin)

    page = client.get("/admin/axes/accessattempt/")

    assert page.status_code == 200
    assert "xa.khoa" in page.content.decode()


def test_a_successful_login_clears_the_earlier_failures(client, unit_user):
    for n in range(9):
        log_in(client, "xa.khoa", f"wrong-{n}")
    log_in(client, "xa.khoa", PASSWORD)
    client.logout()
    for n in range(9):
        log_in(client, "xa.khoa", f"wrong-again-{n}")

    answer = log_in(client, "xa.khoa", PASSWORD)

    assert answer.status_code == 302


def test_sessions_end_after_a_working_day_without_a_request(settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


@pytest.mark.parametrize(
    ("password", "refusal"),
    [
        ("ngan-qua", "Mật khẩu này quá ngắn"),
        ("xa.khoa.2024", "quá giống"),
        ("password123", "quá phổ biến"),
        ("1234567890123", "hoàn toàn là số"),
    ],
)
def test_password_validators_refuse_weak_passwords(unit_user, password, refusal):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        validate_password(password, unit_user)

    assert any(refusal in message for message in refused.value.messages)
