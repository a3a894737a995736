"""Issuing from the plan page in headless Chromium (skipped where Chromium is missing)."""

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from remediation.models import PlanStatus
from scoring.models import Role
from tests.browser.conftest import browser, log_in  # noqa: F401 - the fixture
from tests.factories import user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.signing import install_fake_renderers, sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOTS")  # a folder to keep the pages in, to look at them


@pytest.mark.parametrize("width", [1366, 390])
def test_unit_user_confirms_issuing_then_uploads_the_signed_pdf(
    browser,  # noqa: F811
    live_server,
    monkeypatch,
    tmp_path,
    width,
):
    install_fake_renderers(monkeypatch)
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 2)
    user_with_role(Role.UNIT, commune, username="xa.thumot")
    page = log_in(browser, live_server, "xa.thumot", "secret-pass-123", width=width)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.fill("#id_so", "05/KH-UBND")
    page.fill("#id_ngay", "05/01/2024")
    if SHOTS:
        page.locator("#ban-hanh").screenshot(path=f"{SHOTS}/draft-{width}.png")
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.click("text=Ban hành kế hoạch")
    page.wait_for_selector("text=Đã ban hành kế hoạch")
    assert questions and questions[0].startswith("Ban hành kế hoạch?")
    plan.refresh_from_db()
    assert (plan.status, plan.number) == (PlanStatus.ISSUED, "05/KH-UBND")

    with plan.issued_pdf.open("rb") as file, ThreadPoolExecutor(1) as thread:
        # pyHanko runs its own event loop: not in this thread, which has Playwright's.
        signed = tmp_path / "ke-hoach-da-ky.pdf"
        signed.write_bytes(thread.submit(sign, file.read(), "Nguyễn Văn Chủ Tịch").result())
    page.set_input_files("#id_tep", str(signed))
    page.click("text=Tải lên bản đã ký")
    page.wait_for_selector("text=Đã lưu bản đã ký: 1 chữ ký số.")
    panel = page.locator("#ban-hanh").inner_text()
    assert "Ký bởi Nguyễn Văn Chủ Tịch, lúc" in panel
    assert "tài liệu không bị sửa sau khi ký" in panel
    # The issuing part fits the phone (the page's field table is the editing page's part).
    box = page.locator("#ban-hanh").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate(
        "(e => e.scrollWidth <= e.clientWidth)(document.querySelector('#ban-hanh'))"
    )
    if SHOTS:
        page.locator("#ban-hanh").screenshot(path=f"{SHOTS}/issuing-{width}.png")
