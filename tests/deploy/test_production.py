"""gunicorn serving the app as in production (the first "Done means" of issue 8): DEBUG
off, SITE_URL=https://cchc.example.vn, a 50-character SECRET_KEY, collectstatic, the
systemd unit's command line, requests as nginx passes them on."""

import gzip
import re

import brotli
import pytest

from tests.deploy.servers import Client, csrf_token, free_port, log_in

pytestmark = pytest.mark.deploy

PASSWORD = "mat-khau-quan-tri-2024"
LOCKED = "tạm bị khóa trong 15 phút"


def test_the_settings_pass_the_deployment_checks(deployment):
    settings = deployment.settings
    assert (settings["DEBUG"], settings["SITE_URL"], len(settings["SECRET_KEY"])) == (
        "0",
        "https://cchc.example.vn",
        50,
    )

    result = deployment.manage("check", "--deploy", "--fail-level", "WARNING")

    assert "System check identified no issues" in result.stdout


def create_superuser(deployment) -> None:
    """As the README's deploy section does it: no prompt, the password from the environment."""
    deployment.manage(
        "createsuperuser",
        "--noinput",
        "--username",
        "quantri",
        "--email",
        "qt@example.vn",
        extra={"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )


def test_gunicorn_serves_login_static_files_and_https_behind_the_proxy(deployment, static_root):
    create_superuser(deployment)
    port = free_port()
    with deployment.gunicorn(port):
        browser = Client(port, headers={"X-Forwarded-Proto": "https"})

        health = browser.get("/healthz")
        page = browser.get("/dang-nhap/")
        href = re.search(
            r'<link rel="stylesheet" href="(/static/css/app\.[0-9a-f]{12}\.css)"', page.text
        )
        css = browser.get(href.group(1))
        css_gzip = browser.get(href.group(1), **{"Accept-Encoding": "gzip"})
        css_brotli = browser.get(href.group(1), **{"Accept-Encoding": "br, gzip"})
        login = log_in(browser, "quantri", PASSWORD)
        home = browser.get("/")
        plain = Client(port).get("/dang-nhap/?next=/xep-hang/")
        # The README's check on the server itself: no proxy, no https.
        local_health = Client(port, server_name="127.0.0.1").get("/healthz")

    assert (health.status, health.body) == (200, b"ok\n")
    assert page.status == 200
    assert 'name="username"' in page.text and 'name="password"' in page.text
    assert (css.status, css.headers["Content-Type"]) == (200, 'text/css; charset="utf-8"')
    assert css.body == (static_root / href.group(1).removeprefix("/static/")).read_bytes()
    assert b".site-header" in css.body
    assert "immutable" in css.headers["Cache-Control"]
    assert css_gzip.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(css_gzip.body) == css.body
    assert css_brotli.headers["Content-Encoding"] == "br"
    assert brotli.decompress(css_brotli.body) == css.body

    assert (login.status, login.headers["Location"]) == (302, "/")
    session = login.cookie("sessionid")
    assert "Secure" in session and "HttpOnly" in session
    assert "Secure" in login.cookie("csrftoken")
    assert login.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert home.status == 200 and "quantri" in home.text and "Đăng xuất" in home.text

    assert (local_health.status, local_health.body) == (200, b"ok\n")
    assert plain.status == 301
    assert plain.headers["Location"] == "https://cchc.example.vn/dang-nhap/?next=/xep-hang/"


def test_twelve_wrong_passwords_then_the_right_one_do_not_get_in(deployment):
    create_superuser(deployment)
    port = free_port()
    with deployment.gunicorn(port):
        # The address nginx passes on (X-Real-IP) is the one counted.
        guesser = Client(port, headers={"X-Forwarded-Proto": "https", "X-Real-IP": "203.0.113.7"})
        token = csrf_token(guesser.get("/dang-nhap/"))
        attempt = {"csrfmiddlewaretoken": token, "username": "quantri"}
        wrong = [
            guesser.post("/dang-nhap/", {**attempt, "password": f"sai-{n}"}) for n in range(12)
        ]
        right = guesser.post("/dang-nhap/", {**attempt, "password": PASSWORD})
        elsewhere = log_in(
            Client(port, headers={"X-Forwarded-Proto": "https", "X-Real-IP": "203.0.113.8"}),
            "quantri",
            PASSWORD,
        )

    assert [a.status for a in wrong] == [200] * 9 + [429] * 3
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in wrong[0].text
    assert right.status == 429
    assert LOCKED in right.text
    assert "Đã nhập sai mật khẩu 10 lần cho tài khoản «quantri»" in right.text
    assert not any(line.startswith("sessionid=") for line in right.cookies())
    # The account itself is locked, from any address.
    assert elsewhere.status == 429 and LOCKED in elsewhere.text
