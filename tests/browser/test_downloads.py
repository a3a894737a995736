"""Downloads say they are being made and run once (static/js/downloads.js), in headless
Chromium (skipped where Chromium is missing)."""

import openpyxl
import pytest

from scoring.models import Role
from tests.browser.conftest import browser, log_in  # noqa: F401 - the fixture
from tests.factories import user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.web.dashboard_data import build_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "secret-pass-123"
BUSY = "Đang tạo tệp…"


def test_a_double_click_downloads_the_ranking_once_and_the_link_says_it_is_working(
    browser,  # noqa: F811
    live_server,
):
    data = build_group(5)
    page = log_in(browser, live_server, data["home_affairs"].username, PASSWORD)
    page.goto(f"{live_server.url}/xep-hang/?khoi={data['group'].pk}&nam=2023")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    held = []
    # The file is held back until the test has seen the link while it is being made.
    page.route("**/xep-hang/?*tai=xlsx*", lambda route: held.append(route))
    link = page.locator("a[data-download][href*='tai=xlsx']")

    link.dblclick()
    page.wait_for_function("document.querySelector('a[data-download]').ariaBusy === 'true'")

    assert link.inner_text() == BUSY
    assert link.get_attribute("aria-disabled") == "true"
    with page.expect_download() as download_info:
        held[0].continue_()
    download = download_info.value
    assert download.suggested_filename == f"xep-hang-2023-khoi-{data['group'].pk}.xlsx"
    with open(download.path(), "rb") as file:  # saved without an extension
        sheet = openpyxl.load_workbook(file).active
    assert sheet["A1"].value.startswith("Xếp hạng Chỉ số cải cách hành chính năm 2023")
    assert len([url for url in requests if "tai=xlsx" in url]) == 1
    page.wait_for_function("document.querySelector('a[data-download]').ariaBusy === 'false'")
    assert link.inner_text() == "Tải Excel"
    assert link.get_attribute("aria-disabled") == "false"

    page.unroute("**/xep-hang/?*tai=xlsx*")
    with page.expect_download() as again:
        link.click()
    assert again.value.suggested_filename == download.suggested_filename
    assert len([url for url in requests if "tai=xlsx" in url]) == 2


def test_a_pdf_the_server_cannot_make_shows_its_reason_and_the_link_works_again(
    browser,  # noqa: F811
    live_server,
    monkeypatch,
):
    monkeypatch.setattr("cchc.pdf.missing_library", lambda: "Pango")
    commune = district_with_commune()[1]
    plan = plan_with_tasks(commune, 1)
    user_with_role(Role.UNIT, commune, username="xa.thumot")
    page = log_in(browser, live_server, "xa.thumot", PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    link = page.locator(f"a[data-download][href$='/{plan.pk}/ke-hoach.pdf']")

    link.click()

    alert = page.locator(".download-error[role=alert]")
    alert.wait_for()
    assert alert.inner_text().startswith("Máy chủ thiếu thư viện Pango nên chưa tạo được PDF")
    assert page.url == f"{live_server.url}/ke-hoach/{plan.pk}/"
    page.wait_for_function("document.querySelector('a[data-download]').ariaBusy === 'false'")
    assert link.inner_text() == "Tải PDF kế hoạch"
    # The Excel beside it still downloads, by the same script.
    with page.expect_download() as download_info:
        page.locator("a[data-download]", has_text="Tải Excel nhiệm vụ").click()
    assert download_info.value.suggested_filename == f"nhiem-vu-{commune.code}-2023.xlsx"


def test_the_report_form_with_a_wrong_date_shows_the_reason_and_keeps_the_date(
    browser,  # noqa: F811
    live_server,
):
    commune = district_with_commune()[1]
    plan = plan_with_tasks(commune, 1)
    user_with_role(Role.UNIT, commune, username="xa.thumot")
    page = log_in(browser, live_server, "xa.thumot", PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    form = page.locator("form[data-download]")

    form.locator("input[name=ngay]").fill("31/02/2024")
    form.get_by_role("button", name="Tải PDF báo cáo").click()

    alert = page.locator("form[data-download] + .download-error[role=alert]")
    alert.wait_for()
    assert alert.inner_text().startswith("Chưa tạo được báo cáo.")
    assert form.locator("input[name=ngay]").input_value() == "31/02/2024"
    assert form.get_by_role("button", name="Tải PDF báo cáo").inner_text() == "Tải PDF báo cáo"
    assert [url for url in requests if "bao-cao.pdf" in url] == [
        f"{live_server.url}/ke-hoach/{plan.pk}/bao-cao.pdf?ngay=31%2F02%2F2024"
    ]
