"""Issue 10's year, as the people who run it click through it in Chromium: Nội vụ
opens the cycle and makes a commune's account from a file; the commune logs in with
its one-time password, sets its own, scores and submits; Nội vụ hears of it in the
bell, appraises both communes from the queue with "Đơn vị tiếp theo" and publishes the
khối under its decision."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from scoring.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    Notification,
    PublicationDecision,
    Role,
    UnitLevel,
)
from tests.browser.conftest import log_in, watch_csp
from tests.browser.worlds import FRAMEWORK, PASSWORD, TITLES, shoot
from tests.factories import (
    RankingGroupFactory,
    UnitFactory,
    build_framework,
    score_assessment,
    user_with_role,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
OWN_PASSWORD = "mua-thu-Cam-Xuyen-2026"


def district_with_two_communes(year: int):
    group = RankingGroupFactory(name="Khối xã, thị trấn")
    district = UnitFactory(
        code="H-THU", name="Huyện Thử", level=UnitLevel.DISTRICT, ranking_group=None
    )
    for code, name in [("X-MOT", "Xã Một"), ("X-HAI", "Xã Hai")]:
        UnitFactory(code=code, name=name, parent=district, ranking_group=group)
    build_framework(FRAMEWORK, level=UnitLevel.COMMUNE, year_from=year)
    for code, title in TITLES.items():
        Criterion.objects.filter(code=code).update(title=title)
    noivu = user_with_role(
        Role.HOME_AFFAIRS, district, username="noivu.thu", full_name="Nguyễn Thị Hoa"
    )
    noivu.email = "hoa@noivu.vn"
    noivu.save(update_fields=["email"])
    return group, noivu


def typed(day) -> str:
    return f"{day:%d/%m/%Y}"


def open_the_cycle(page, year: int, today) -> None:
    page.get_by_role("link", name="Kỳ đánh giá").click()
    page.get_by_label("Năm đánh giá").fill(str(year))
    page.get_by_label("Hạn tự đánh giá").fill(typed(today + timedelta(days=10)))
    page.get_by_label("Hạn thẩm định").fill(typed(today + timedelta(days=20)))
    page.click("text=Mở kỳ / cập nhật lịch")
    assert "Đã mở 2 phiếu mới" in page.locator(".messages").inner_text()


def account_from_a_file(page, upload) -> str:
    """The one-time password the import page shows once."""
    write_xlsx(upload, [["Mã đơn vị", "Họ và tên", "E-mail"], ["X-MOT", "Lê Văn Một", "mot@xa.vn"]])
    page.get_by_role("link", name="Tài khoản").click()
    page.click("text=Nhập từ tệp")
    page.set_input_files("#id_file", str(upload))
    page.click("button:has-text('Nhập')")
    return page.locator("table.created-accounts code").inner_text()


def the_commune_scores_and_submits(browser, live_server, password: str) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    watch_csp(page)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", "mot@xa.vn")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dat-mat-khau/")
    page.fill("#id_new_password1", OWN_PASSWORD)
    page.fill("#id_new_password2", OWN_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Xã Một"

    page.click("text=Phiếu chấm năm")
    for box, points in zip(
        page.locator("input.js-self").all(), ["1", "1,5", "1,5", "1"], strict=True
    ):
        box.fill(points)
    page.click("text=Lưu phiếu chấm")
    page.wait_for_url(re.compile(r".*/danh-gia/\d+/#leaf-\d+$"))
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Gửi thẩm định").click()
    assert questions == [
        "«Gửi thẩm định»? Sau khi gửi, đơn vị không sửa được phiếu nữa, trừ khi Nội vụ trả lại."
    ]
    assert "Đã gửi thẩm định" in page.locator("main").inner_text()
    page.close()


def appraise_accepting_self_scores(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=re.compile("Chấp nhận điểm tự chấm")).click()
    page.get_by_role("button", name="Hoàn tất thẩm định").click()
    assert "Đã thẩm định" in page.locator("main").inner_text()


def test_a_year_run_by_nội_vụ_from_opening_to_publication(browser, live_server, tmp_path):
    today = timezone.localdate()
    year = today.year
    group, noivu = district_with_two_communes(year)
    page = log_in(browser, live_server, noivu.username, PASSWORD)

    open_the_cycle(page, year, today)
    # Xã Hai's staff sent their sheet meanwhile.
    other = Assessment.objects.get(unit__code="X-HAI", year=year)
    score_assessment(other, {"1.1": "1", "1.2": "2", "2.1": "1", "2.2": "1"})
    Assessment.objects.filter(pk=other.pk).update(status=AssessmentStatus.SUBMITTED)
    password = account_from_a_file(page, tmp_path / "tai-khoan.xlsx")
    welcome = mail.outbox[-1]
    assert welcome.to == ["mot@xa.vn"] and password not in welcome.body

    the_commune_scores_and_submits(browser, live_server, password)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Thông báo, 1 chưa đọc").click()
    heard = "Xã Một gửi phiếu tự đánh giá năm"
    assert heard in page.locator("main").inner_text()
    told = [message for message in mail.outbox if message.to == ["hoa@noivu.vn"]]
    assert [heard in message.subject for message in told] == [True]

    page.goto(f"{live_server.url}/?trang_thai=submitted")
    assert page.locator("#queue tbody tr").count() == 2
    shoot(page, "year-cycle-queue")
    page.click("#queue a:text-is('Xã Hai')")
    appraise_accepting_self_scores(page)
    page.click("#next-unit")
    assert page.locator("h1").inner_text() == f"Xã Một · năm {year}"
    appraise_accepting_self_scores(page)

    page.get_by_role("link", name="Xếp hạng").click()
    page.click("text=Công bố cả khối")
    page.get_by_label("Số quyết định").fill("15/QĐ-UBND")
    page.get_by_label("Ngày ký").fill(typed(today))
    page.get_by_label("Người ký").fill("Trần Văn Bình")
    shoot(page, "year-cycle-publish")
    page.click("button:has-text('Công bố 2 đơn vị')")

    assert "Đã công bố kết quả 2 đơn vị" in page.locator(".messages").inner_text()
    assert set(Assessment.objects.values_list("status", flat=True)) == {"published"}
    decision = PublicationDecision.objects.get(group=group, year=year)
    assert (decision.number, decision.signed_on, decision.signer_name) == (
        "15/QĐ-UBND",
        today,
        "Trần Văn Bình",
    )
    told = Notification.objects.filter(recipient__username="mot@xa.vn", kind="published")
    assert told.count() == 1
