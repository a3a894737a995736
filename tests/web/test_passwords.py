"""Passwords of new accounts and forgotten ones: the one-time password that must be
replaced at first login, the one-time link, and the reset by e-mail."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.test import Client

from scoring.accounts.services import AccountData, accounts_create, one_time_password_hash
from scoring.models import Role
from tests.web.sheet_setup import make_world

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "mua-thu-Ha-Tinh-2024"
SITE = "https://cchc.example.vn"


@pytest.fixture
def world(settings):
    settings.SITE_URL = SITE
    return make_world()


@pytest.fixture
def new_account(world):
    [new] = accounts_create(
        by=world.home_affairs,
        rows=[AccountData(unit=world.mine.unit, full_name="Nguyễn Văn An", email="an@example.vn")],
    )
    return new


def log_in(client: Client, username: str, password: str):
    return client.post("/dang-nhap/", {"username": username, "password": password})


def set_password(client: Client, url: str, password: str = NEW_PASSWORD):
    return client.post(url, {"new_password1": password, "new_password2": password})


def mailed_path(message) -> str:
    link = re.search(r"https?://\S+", message.body).group()
    assert link.startswith(f"{SITE}/dat-lai-mat-khau/")
    return link.removeprefix(SITE)


def test_a_new_account_logs_in_sets_its_own_password_then_reaches_its_dashboard(new_account):
    client = Client()

    logged = log_in(client, "an@example.vn", new_account.password)
    sent_back = [client.get(url) for url in ("/", "/xep-hang/", "/tai-khoan/", "/admin/")]
    form = client.get("/dat-mat-khau/").content.decode()
    weak = set_password(client, "/dat-mat-khau/", "12345678")
    done = set_password(client, "/dat-mat-khau/")
    home = client.get("/")

    assert logged.status_code == 302
    assert {(r.status_code, r["Location"]) for r in sent_back} == {(302, "/dat-mat-khau/")}
    assert "Tài khoản của bạn đang dùng mật khẩu một lần." in form
    weak_text = weak.content.decode()
    assert "Mật khẩu này quá ngắn: cần ít nhất 10 ký tự." in weak_text
    assert "Mật khẩu này hoàn toàn là số." in weak_text
    assert done.status_code == 302 and done["Location"] == "/"
    assert home.status_code == 200 and "Xã Của Tôi" in home.content.decode()
    assert "Đã đặt mật khẩu mới." in home.content.decode()
    user = User.objects.get(username="an@example.vn")
    assert not user.membership.must_set_password
    assert user.check_password(NEW_PASSWORD) and not user.check_password(new_account.password)


def test_logging_out_stays_possible_before_the_password_is_set(new_account):
    client = Client()
    log_in(client, "an@example.vn", new_account.password)

    response = client.post("/dang-xuat/")

    assert response.status_code == 302 and response["Location"] == "/dang-nhap/"
    assert "_auth_user_id" not in client.session


def test_an_account_that_needs_no_new_password_is_not_sent_to_the_page(world):
    client = Client()
    client.force_login(world.unit_user)

    assert client.get("/dat-mat-khau/")["Location"] == "/"
    assert client.get("/").status_code == 200


def test_the_one_time_link_sets_the_password_once(new_account):
    path = mailed_path(mail.outbox[0])
    client = Client()

    opened = client.get(path, follow=True)
    done = set_password(client, opened.redirect_chain[-1][0])
    again = Client().get(path, follow=True).content.decode()
    logged = log_in(Client(), "an@example.vn", NEW_PASSWORD)

    assert "Đặt mật khẩu mới" in opened.content.decode()
    assert done.status_code == 302 and done["Location"] == "/dat-lai-mat-khau/xong/"
    assert "Đường dẫn này không còn dùng được" in again
    assert logged.status_code == 302
    user = User.objects.get(username="an@example.vn")
    assert not user.membership.must_set_password  # no forced page after this login


def test_the_welcome_mail_names_the_person_and_says_how_long_the_link_lasts(new_account):
    [message] = mail.outbox

    assert message.subject == "Tài khoản Chỉ số CCHC của bạn"
    assert message.body.startswith("Kính gửi Nguyễn Văn An,")
    assert "trong 3 ngày" in message.body
    assert f"Sau đó đăng nhập tại {SITE}/dang-nhap/" in message.body


def test_a_forgotten_password_is_reset_by_an_e_mailed_link(world):
    world.unit_user.email = "xa@example.vn"
    world.unit_user.save()
    client = Client()

    login_page = client.get("/dang-nhap/").content.decode()
    asked = client.post("/quen-mat-khau/", {"email": "XA@example.vn"})
    [message] = mail.outbox
    opened = client.get(mailed_path(message), follow=True)
    set_password(client, opened.redirect_chain[-1][0])
    logged = log_in(Client(), "xa.cuatoi", NEW_PASSWORD)

    assert '<a href="/quen-mat-khau/">Quên mật khẩu?</a>' in login_page
    assert asked.status_code == 302 and asked["Location"] == "/quen-mat-khau/da-gui/"
    assert message.subject == "Đặt lại mật khẩu Chỉ số CCHC"
    assert "tài khoản «xa.cuatoi»" in message.body
    assert logged.status_code == 302


def test_the_reset_page_never_says_whether_an_address_has_an_account(world):
    world.unit_user.email = "xa@example.vn"
    world.unit_user.is_active = False
    world.unit_user.save()
    client = Client()

    unknown = client.post("/quen-mat-khau/", {"email": "khong-co@example.vn"}, follow=True)
    disabled = client.post("/quen-mat-khau/", {"email": "xa@example.vn"}, follow=True)

    assert unknown.content == disabled.content
    assert "Nếu địa chỉ e-mail vừa nhập là của một tài khoản đang dùng" in unknown.content.decode()
    assert mail.outbox == []


def test_a_reset_unlocks_an_account_locked_by_guessing(world):
    world.unit_user.email = "xa@example.vn"
    world.unit_user.save()
    for n in range(10):
        log_in(Client(), "xa.cuatoi", f"sai-{n}")
    locked = log_in(Client(), "xa.cuatoi", "secret-pass-123")
    client = Client()

    client.post("/quen-mat-khau/", {"email": "xa@example.vn"})
    opened = client.get(mailed_path(mail.outbox[0]), follow=True)
    set_password(client, opened.redirect_chain[-1][0])
    logged = log_in(Client(), "xa.cuatoi", NEW_PASSWORD)

    assert locked.status_code == 429
    assert logged.status_code == 302


def test_one_time_passwords_are_hashed_with_fewer_pbkdf2_rounds_and_still_check(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

    stored = one_time_password_hash("abcd-efgh-jkmn-pqrs")

    assert stored.startswith("pbkdf2_sha256$10000$")
    assert check_password("abcd-efgh-jkmn-pqrs", stored)
    assert not check_password("abcd-efgh-jkmn-pqrt", stored)


def test_an_account_created_by_an_administrator_for_home_affairs_is_forced_too(world):
    [new] = accounts_create(
        by=world.admin,
        rows=[
            AccountData(
                unit=world.district,
                full_name="Trần Văn Nội",
                username="noivu.moi",
                role=Role.HOME_AFFAIRS,
            )
        ],
    )
    client = Client()
    log_in(client, "noivu.moi", new.password)

    assert client.get("/ke-hoach/")["Location"] == "/dat-mat-khau/"
    assert new.emailed is False and mail.outbox == []
