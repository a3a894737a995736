"""Scale-out (issue 8, item 8): two gunicorn instances on one PostgreSQL database behind
nginx. Each instance has its own nginx site (deploy/nginx-cchc.conf, one per port), so
the test chooses which one serves a request; the two share nothing but the database
and MEDIA_ROOT, as two machines would."""

import json
import os
import re
from urllib.parse import quote

import pytest

from tests.deploy.servers import (
    NGINX,
    Client,
    csrf_token,
    free_port,
    log_in,
    nginx_command,
    nginx_main,
    nginx_site,
    on_postgres,
    running,
)

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.skipif(not NGINX, reason="nginx is not installed (apt-get install nginx-light)"),
]

# A district, one of its communes with a draft sheet, and that commune's user.
MAKE_SHEET = """
import json
from scoring.models import AssessmentStatus, Role, UnitLevel
from tests.factories import AssessmentFactory, UnitFactory, build_framework, user_with_role
framework = build_framework([("1", None, "3"), ("1.1", "1", "1"), ("1.2", "1", "2")])
district = UnitFactory(level=UnitLevel.DISTRICT, name="Huyện Thử")
commune = UnitFactory(name="Xã Thử", parent=district)
sheet = AssessmentFactory(unit=commune, framework=framework, status=AssessmentStatus.DRAFT)
user_with_role(Role.UNIT, commune, username="xa.thu")
leaf = framework.criteria.get(code="1.1").pk
print(json.dumps({"sheet": sheet.pk, "leaf": leaf}))
"""
PASSWORD = "secret-pass-123"  # tests.factories.user_with_role
FILE_NAME = "Biên bản kiểm tra CCHC.pdf"
# Larger than nginx's in-memory body buffer: it goes through a temporary file too.
FILE_BODY = b"%PDF-1.4\n" + os.urandom(300_000)


@pytest.mark.skipif(
    not on_postgres(), reason="two app servers share a PostgreSQL database (DATABASE_URL)"
)
def test_login_on_one_instance_save_and_files_through_the_other(deployment, certificate, tmp_path):
    made = json.loads(deployment.manage("shell", "-c", MAKE_SHEET).stdout.strip().splitlines()[-1])
    sheet, leaf = made["sheet"], made["leaf"]
    app = {"a": free_port(), "b": free_port()}
    http = {"a": free_port(), "b": free_port()}
    https = {"a": free_port(), "b": free_port()}
    cert, key = certificate
    web = tmp_path / "nginx"
    web.mkdir()
    sites = []
    for name in app:
        site = web / f"site-{name}.conf"
        site.write_text(
            nginx_site(
                name=name,
                app_port=app[name],
                http_port=http[name],
                https_port=https[name],
                cert=cert,
                key=key,
            )
        )
        sites.append(site)
    conf = nginx_main(web, sites)

    with (
        deployment.gunicorn(app["a"], "gunicorn-a") as server_a,
        deployment.gunicorn(app["b"], "gunicorn-b") as server_b,
        running("nginx", nginx_command(conf), port=https["b"], env={}, logs=web),
    ):
        via_a = Client(https["a"], tls=True)
        via_b = via_a.at(https["b"])  # the same browser, its cookies and all

        health = Client(http["a"]).get("/healthz")
        redirected = Client(http["b"]).get("/dang-nhap/")
        login = log_in(via_a, "xa.thu", PASSWORD)

        page = via_b.get(f"/danh-gia/{sheet}/")
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        saved = via_b.post(
            f"/danh-gia/{sheet}/luu/",
            {"csrfmiddlewaretoken": csrf_token(page), "token": token, f"self-{leaf}": "0,75"},
        )
        seen_by_a = via_a.get(f"/danh-gia/{sheet}/")

        files = f"/danh-gia/{sheet}/tieu-chi/{leaf}/tai-lieu/"
        uploaded = via_a.post(
            f"{files}tai-len/",
            {"csrfmiddlewaretoken": csrf_token(via_a.get(files))},
            files={"file": (FILE_NAME, FILE_BODY, "application/pdf")},
        )
        listed = via_b.get(files)
        evidence = re.search(r'href="/tai-lieu/(\d+)/"', listed.text).group(1)
        download = via_b.get(f"/tai-lieu/{evidence}/")

    assert (health.status, health.body) == (200, b"ok\n")
    assert (redirected.status, redirected.headers["Location"]) == (
        301,
        "https://cchc.example.vn/dang-nhap/",
    )
    assert (login.status, login.headers["Location"]) == (302, "/")
    assert "Secure" in login.cookie("sessionid")
    assert page.status == 200 and "Xã Thử" in page.text
    assert (saved.status, saved.headers["Location"]) == (302, f"/danh-gia/{sheet}/")
    assert 'value="0,75"' in seen_by_a.text
    assert "Đã lưu phiếu chấm (1 tiêu chí thay đổi)" in seen_by_a.text
    assert (uploaded.status, uploaded.headers["Location"]) == (302, files)
    assert FILE_NAME in listed.text
    assert download.status == 200
    assert download.body == FILE_BODY
    assert f"filename*=utf-8''{quote(FILE_NAME)}" in download.headers["Content-Disposition"]
    # Each request was served where the test sent it (gunicorn's access logs).
    log_a, log_b = server_a.output(), server_b.output()
    assert '"POST /dang-nhap/ ' in log_a and '"POST /dang-nhap/ ' not in log_b
    assert f'"POST /danh-gia/{sheet}/luu/ ' in log_b and "/luu/ " not in log_a
    assert f'"POST {files}tai-len/ ' in log_a and "tai-len/ " not in log_b
    assert f'"GET /tai-lieu/{evidence}/ ' in log_b and f"/tai-lieu/{evidence}/ " not in log_a


def test_nginx_answers_no_other_name(deployment, certificate, tmp_path):
    """A scan by IP address or another name never reaches the app (no DisallowedHost
    errors mailed to the administrators)."""
    app, http, https = free_port(), free_port(), free_port()
    cert, key = certificate
    site = tmp_path / "site.conf"
    site.write_text(
        nginx_site(name="a", app_port=app, http_port=http, https_port=https, cert=cert, key=key)
    )
    conf = nginx_main(tmp_path, [site])

    with (
        deployment.gunicorn(app) as server,
        running("nginx", nginx_command(conf), port=https, env={}, logs=tmp_path),
    ):
        with pytest.raises(ConnectionError):
            Client(http, server_name="203.0.113.1").get("/")
        with pytest.raises(OSError, match="UNRECOGNIZED_NAME"):
            Client(https, tls=True, server_name="autre.example").get("/")
        named = Client(https, tls=True).get("/healthz")

    assert (named.status, named.body) == (200, b"ok\n")
    assert re.findall(r'"([A-Z]+ \S+) HTTP', server.output()) == ["GET /healthz"]
