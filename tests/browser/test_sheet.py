"""The scoring sheet in headless Chromium: typing with decimal commas, live totals,
saving, and a unit refused another unit's sheet.

Screenshots go to /tmp/shots/ (1366 px and 390 px wide) for a person to look at.
"""

from decimal import Decimal
from urllib.parse import quote

import pytest
from django.http import QueryDict

from cchc.formatting import format_points
from scoring.forms import read_sheet
from scoring.models import AssessmentStatus, Criterion, Evidence, Score
from scoring.sheet import sheet_read
from tests.browser.conftest import log_in
from tests.browser.worlds import PASSWORD, TITLES, saved_at, sheet_world, shoot
from tests.factories import score_assessment, update_scores

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def world():
    world = sheet_world(AssessmentStatus.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "1,5", "2.1": "1,5", "2.2": "1"})
    return world


@pytest.fixture
def draft_world():
    world = sheet_world(AssessmentStatus.DRAFT)
    Criterion.objects.filter(code="1.1").update(
        rule="tiers: Kịp thời=1; Không kịp thời=0,5; Không ban hành=0"
    )
    Criterion.objects.filter(code="2.1").update(rule="linear: 1,5")
    return world


def test_home_affairs_types_decimal_commas_sees_totals_and_saves(browser, live_server, world):
    page = log_in(browser, live_server, world.home_affairs.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    total = page.locator("#total-achieved")
    assert total.inner_text() == "5"

    first = page.locator("input.js-appraised").first
    first.click()
    first.fill("0,75")
    first.press("Enter")  # moves down the column, like a spreadsheet
    focused = page.evaluate("document.activeElement.name")
    assert focused == page.locator("input.js-appraised").nth(1).get_attribute("name")
    page.keyboard.type("1,25")
    assert total.inner_text() == "4,5"  # 0,75 + 1,25 + 1,5 + 1
    page.locator("input.js-appraised").nth(2).fill("abc")
    assert "invalid-preview" in page.locator("input.js-appraised").nth(2).get_attribute("class")
    page.locator("input.js-appraised").nth(2).fill("")
    shoot(page, "sheet-appraisal-1366")

    page.click("text=Lưu phiếu chấm")
    page.wait_for_url(saved_at(live_server, world.mine))
    page.reload()

    assert page.locator("input.js-appraised").first.input_value() == "0,75"
    assert page.locator("input.js-appraised").nth(1).input_value() == "1,25"
    assert page.locator("#total-achieved").inner_text() == "4,5"
    appraised = dict(Score.objects.values_list("criterion__code", "appraised_score"))
    assert (appraised["1.1"], appraised["1.2"]) == (Decimal("0.75"), Decimal("1.25"))
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "sheet-appraisal-390")


def test_a_bad_value_is_marked_at_its_cell_after_saving(browser, live_server, world):
    page = log_in(browser, live_server, world.home_affairs.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")

    page.locator("input.js-appraised").first.fill("1,5")
    page.click("text=Lưu phiếu chấm")

    assert page.locator(".cell-error").first.inner_text() == "Điểm phải từ 0 đến 1."
    assert page.locator("input.js-appraised").first.input_value() == "1,5"
    shoot(page, "sheet-error-1366")


@pytest.mark.parametrize("width", [1366, 390])
def test_unit_user_sees_its_sheet_but_not_another_units(browser, live_server, world, width):
    page = log_in(browser, live_server, world.unit_user.username, PASSWORD, width=width)

    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    assert "Xã Của Tôi" in page.locator("h1").inner_text()
    shoot(page, f"sheet-unit-{width}")
    response = page.goto(f"{live_server.url}/danh-gia/{world.other.pk}/")

    assert response.status == 403
    assert "Xã Bên Cạnh" not in page.content()


def test_unit_declares_facts_and_sees_points_messages_and_the_total_while_typing(
    browser, live_server, draft_world
):
    world = draft_world
    page = log_in(browser, live_server, world.unit_user.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    live_total = page.locator("#live-total")
    row = {code: page.locator(f"tr.sheet-leaf:has(td.code:text-is('{code}'))") for code in TITLES}

    row["1.1"].locator("select").select_option("Không kịp thời")
    row["1.2"].locator("input.js-self").click()
    page.keyboard.press("Enter")  # down the self column, onto the declared ratio of 2.1
    page.keyboard.type("18")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Điểm tự chấm 2.2"
    )
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Mức đạt 1.1"
    assert row["2.1"].locator(".rule-points").inner_text() == "= 0,27 điểm"  # 18% of 1,5
    row["1.2"].locator("input.js-self").fill("2,5")
    message = row["1.2"].locator(".cell-error")
    assert message.inner_text() == "Điểm phải từ 0 đến 2."
    assert live_total.inner_text() == "0,77"  # the refused 2,5 counts for nothing
    row["1.2"].locator("input.js-self").fill("1.5")
    assert not message.is_visible()
    assert live_total.inner_text() == "2,27"
    assert live_total.is_visible()  # the save bar keeps the total in view
    field = page.locator("tr.sheet-node:has(td.code:text-is('2')) .js-achieved")
    assert field.inner_text() == "0,27"  # the field's subtotal follows its leaves
    shoot(page, "sheet-unit-typing-1366")

    page.click("button.primary")
    page.wait_for_url(saved_at(live_server, world.mine))
    page.reload()

    assert row["1.1"].locator("select").input_value() == "Không kịp thời"
    assert row["2.1"].locator("input.js-ratio").input_value() == "18"
    assert page.locator("#total-achieved").inner_text() == "2,27"
    self_scores = dict(Score.objects.values_list("criterion__code", "self_score"))
    assert self_scores == {"1.1": Decimal("0.5"), "1.2": Decimal("1.5"), "2.1": Decimal("0.27")}


def test_after_a_refused_save_the_first_bad_cell_has_the_focus(browser, live_server, draft_world):
    page = log_in(browser, live_server, draft_world.unit_user.username, PASSWORD, width=390)
    page.goto(f"{live_server.url}/danh-gia/{draft_world.mine.pk}/")

    page.locator("input.js-self").nth(1).fill("bốn")
    page.click("button.primary")

    assert "Chưa lưu: 1 ô (tiêu chí 2.2)" in page.locator(".messages").inner_text()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Điểm tự chấm 2.2"
    )
    assert page.locator("input.js-self").nth(1).input_value() == "bốn"
    shoot(page, "sheet-unit-error-390")


# Texts people type, some good, some not: the page must read each as the server does.
TYPED = ["9,13", "9.13", " 1,5 ", "+1", "9,", "1.234", "1.234,5", "0,5000", "0,1234", "1e3", ",5"]


def test_the_page_reads_typed_numbers_exactly_as_the_server(browser, live_server, draft_world):
    world = draft_world
    page = log_in(browser, live_server, world.unit_user.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    row = page.locator("tr.sheet-leaf:has(td.code:text-is('1.2'))")
    leaf = next(spec for spec in sheet_read(world.mine).leaves if spec.code == "1.2")

    for text in TYPED:
        row.locator("input.js-self").fill(text)
        message = row.locator(".cell-error")
        shown = (
            message.inner_text()
            if message.is_visible()
            else row.locator(".js-achieved").inner_text()
        )
        server = read_sheet(QueryDict(f"self-{leaf.criterion_id}={quote(text)}"), [leaf], {"self"})
        typed = server[leaf.criterion_id]
        expected = typed.errors.get(f"self-{leaf.criterion_id}") or format_points(
            typed.self_score or 0
        )
        assert shown == expected, text


def test_unit_uploads_downloads_and_deletes_evidence_under_its_vietnamese_name(
    browser, live_server, draft_world, tmp_path
):
    files = [tmp_path / "Kế hoạch CCHC năm 2024.pdf", tmp_path / "Báo cáo quý I.pdf"]
    for file in files:
        file.write_bytes(b"%PDF-1.4 kiem chung")
    page = log_in(browser, live_server, draft_world.unit_user.username, PASSWORD, width=390)
    page.goto(f"{live_server.url}/danh-gia/{draft_world.mine.pk}/")
    page.click("tr.sheet-leaf:has(td.code:text-is('1.2')) a:has-text('tệp')")

    page.set_input_files("#id_file", [str(file) for file in files])
    page.click("button:has-text('Tải lên')")
    assert "Đã tải lên 2 tệp." in page.locator(".messages").inner_text()
    with page.expect_download() as download:
        page.click("a:has-text('Báo cáo quý I.pdf')")
    assert download.value.suggested_filename == "Báo cáo quý I.pdf"
    shoot(page, "sheet-evidence-390")
    delete = page.locator("tr:has-text('Báo cáo quý I.pdf') button:has-text('Xóa')")
    page.once("dialog", lambda dialog: dialog.dismiss())  # "Xóa tệp «…»?" answered no
    delete.click()
    assert Evidence.objects.count() == 2
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()

    assert "Đã xóa tệp «Báo cáo quý I.pdf»" in page.locator(".messages").inner_text()
    assert list(Evidence.objects.values_list("original_name", flat=True)) == [
        "Kế hoạch CCHC năm 2024.pdf"
    ]


def test_an_appraiser_overriding_a_rule_is_asked_for_the_reason_while_typing(
    browser, live_server, world
):
    Criterion.objects.filter(code="1.1").update(rule="tiers: Kịp thời=1; Không kịp thời=0,5")
    update_scores(Score.objects.filter(criterion__code="1.1"), declared_tier="Kịp thời")
    page = log_in(browser, live_server, world.home_affairs.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    row = page.locator("tr.sheet-leaf:has(td.code:text-is('1.1'))")
    total = page.locator("#live-total")

    row.locator("input.js-appraised").fill("0,5")
    assert row.locator(".cell-error").first.inner_text() == (
        "Khác điểm tính theo quy tắc (1): hãy ghi lý do ở cột nhận xét."
    )
    assert total.inner_text() == "5"  # the refused override does not count yet
    row.locator("textarea[name^='comment-']").fill("Kế hoạch ban hành chậm 10 ngày")
    assert not row.locator(".cell-error").first.is_visible()
    assert total.inner_text() == "4,5"

    page.click("button.primary")
    page.wait_for_url(saved_at(live_server, world.mine))
    assert Score.objects.get(criterion__code="1.1").appraised_score == Decimal("0.5")


def test_sending_a_sheet_with_unsaved_typing_asks_first(browser, live_server, draft_world):
    world = draft_world
    page = log_in(browser, live_server, world.unit_user.username, PASSWORD)
    page.goto(f"{live_server.url}/danh-gia/{world.mine.pk}/")
    questions, accepting = [], []

    def answer(dialog) -> None:
        questions.append(dialog.message)
        if accepting:
            dialog.accept()
        else:
            dialog.dismiss()

    page.on("dialog", answer)
    page.locator("input.js-self").first.fill("1,5")

    page.click(".workflow button:has-text('Gửi thẩm định')")

    # Called off at the unsaved boxes: the question about sending is not asked then.
    assert questions == ["Các ô vừa nhập chưa được lưu và sẽ mất. Vẫn «Gửi thẩm định»?"]
    assert page.locator("input.js-self").first.input_value() == "1,5"
    page.click("button.primary")
    page.wait_for_url(saved_at(live_server, world.mine))
    page.click(".workflow button:has-text('Gửi thẩm định')")  # asked, and called off
    world.mine.refresh_from_db()
    assert world.mine.status == AssessmentStatus.DRAFT
    accepting.append(True)
    with page.expect_navigation():
        page.click(".workflow button:has-text('Gửi thẩm định')")
    sending = (
        "«Gửi thẩm định»? Sau khi gửi, đơn vị không sửa được phiếu nữa, trừ khi Nội vụ trả lại."
    )
    assert questions[1:] == [sending, sending]
    assert "Gửi thẩm định: đã gửi thẩm định." in page.locator(".messages").inner_text()
    world.mine.refresh_from_db()
    assert world.mine.status == AssessmentStatus.SUBMITTED
    assert Score.objects.get(criterion__code="1.2").self_score == Decimal("1.5")
