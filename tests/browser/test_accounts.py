"""Nội vụ makes an account from a file in the browser; its owner logs in with the
one-time password and sets their own; every page keeps to the CSP."""

import pytest
from django.contrib.auth import get_user_model

from scoring.models import Role
from tests.browser.conftest import log_in, watch_csp
from tests.factories import write_xlsx
from tests.web.sheet_setup import make_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_an_account_from_a_file_logs_in_and_sets_its_password(browser, live_server, tmp_path):
    world = make_world()
    code = world.other.unit.code
    upload = write_xlsx(
        tmp_path / "tai-khoan.xlsx",
        [["Mã đơn vị", "Họ và tên", "E-mail"], [code, "Đỗ Văn Mới", ""]],
    )
    page = log_in(browser, live_server, "noivu.thu", "secret-pass-123")

    page.click("text=Tài khoản")
    page.click("text=Nhập từ tệp")
    page.set_input_files("#id_file", str(upload))
    page.click("button:has-text('Nhập')")
    assert "Cần e-mail hoặc tên đăng nhập" in page.locator(".import-errors").inner_text()
    header = ["Mã đơn vị", "Họ và tên", "E-mail", "Tên đăng nhập"]
    write_xlsx(upload, [header, [code, "Đỗ Văn Mới", "", "xa.moi"]])
    page.set_input_files("#id_file", str(upload))
    page.click("button:has-text('Nhập')")
    password = page.locator("table.created-accounts code").inner_text()

    page.goto(f"{live_server.url}/tai-khoan/?q=xa.moi")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Khóa')")
    assert "Đã khóa tài khoản «xa.moi»." in page.locator(".messages").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button:has-text('Mở lại')")

    owner = browser.new_page(locale="vi-VN")
    watch_csp(owner)
    owner.goto(f"{live_server.url}/dang-nhap/")
    owner.fill("#id_username", "xa.moi")
    owner.fill("#id_password", password)
    owner.click("button[type=submit]")
    owner.wait_for_url(f"{live_server.url}/dat-mat-khau/")
    owner.fill("#id_new_password1", "mua-thu-Ha-Tinh-2024")
    owner.fill("#id_new_password2", "mua-thu-Ha-Tinh-2024")
    owner.click("main button[type=submit]")
    owner.wait_for_url(f"{live_server.url}/")
    assert owner.locator("h1").inner_text() == "Xã Bên Cạnh"
    assert get_user_model().objects.get(username="xa.moi").membership.role == Role.UNIT


def test_the_forgotten_password_pages_keep_to_the_csp(browser, live_server):
    page = browser.new_page(locale="vi-VN")
    watch_csp(page)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.click("text=Quên mật khẩu?")
    page.fill("#id_email", "khong-co@example.vn")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/quen-mat-khau/da-gui/")
    assert page.locator("h1").inner_text() == "Hãy xem hộp thư"
