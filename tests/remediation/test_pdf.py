import unicodedata
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from remediation.documents import plan_pdf
from remediation.models import Task
from remediation.services import plan_draft, plan_update, section_update, task_update
from scoring.demo import CAM_SON
from scoring.models import Unit
from tests.factories import load_demo_data
from tests.remediation.pdfs import (
    A4,
    MM,
    all_text,
    embedded_font_files,
    page_text,
    read,
    runs,
    size,
)

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]
TODAY = date(2024, 3, 1)


@pytest.fixture(scope="module")
def cam_son_pdf(django_db_setup, django_db_blocker) -> bytes:
    """Rendered once for the module, in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        data = _cam_son_pdf(plan_draft(unit=Unit.objects.get(code=CAM_SON), year=2023))
        transaction.set_rollback(True)
    return data


def _cam_son_pdf(plan) -> bytes:
    plan_update(
        plan=plan,
        data={
            "number": "05/KH-UBND",
            "issued_on": date(2024, 1, 5),
            "signer_name": "Hoàng Văn Hiệp",
        },
    )
    section = plan.sections.get(field__code="1")
    section_update(section=section, data={"lead": "Công chức Văn phòng - Thống kê"})
    task = Task.objects.get(plan=plan, criteria__code="1.3")
    task_update(
        task=task,
        data={
            "name": "Phát động phong trào sáng kiến CCHC",
            "deadline": "Quý II/2024",
            "budget": "30",
            "lead": "Công chức Văn phòng - Thống kê",
        },
    )
    return plan_pdf(plan, TODAY)


def test_plan_pages_are_a4_portrait_with_a_landscape_appendix(cam_son_pdf):
    reader = read(cam_son_pdf)
    sizes = [size(page) for page in reader.pages]

    portrait = [s for s in sizes if s[0] < s[1]]
    landscape = [s for s in sizes if s[0] > s[1]]
    assert portrait and landscape
    assert all(s == pytest.approx(A4, abs=0.5) for s in portrait)
    assert all(s == pytest.approx(A4[::-1], abs=0.5) for s in landscape)
    assert sizes.index(landscape[0]) == len(portrait)  # the appendix comes last
    assert "PHỤ LỤC" in page_text(reader.pages[len(portrait)])


def test_body_text_keeps_the_margins_of_nghi_dinh_30(cam_son_pdf):
    """Left 30-35 mm, top and bottom 20-25 mm; the right one (15-20 mm) follows from the
    page number being centred between the margins (next test)."""
    lefts = []
    for page in read(cam_son_pdf).pages:
        width, height = size(page)
        if width > height:
            continue
        body = [run for run in runs(page) if run.y < height - 20 * MM]  # below the page number
        lefts.append(min(run.x for run in body))
        assert min(run.y for run in body) >= 20 * MM - 5  # baseline of the last line
        assert max(run.y for run in body) <= height - 20 * MM
    assert all(left >= 30 * MM - 1 for left in lefts)
    assert 30 * MM - 1 <= min(lefts) <= 35 * MM + 1


def test_page_numbers_are_centred_at_the_top_from_page_2(cam_son_pdf):
    reader = read(cam_son_pdf)
    first = runs(reader.pages[0])
    assert not any(run.text == "1" and run.y > A4[1] - 20 * MM for run in first)
    second = runs(reader.pages[1])
    # In the top margin: a tagged PDF draws each table cell apart, so the table's "2" is a
    # run of its own too.
    [number] = [run for run in second if run.text == "2" and run.y > A4[1] - 20 * MM]
    assert abs(number.x - (30 * MM + (A4[0] - 45 * MM) / 2)) < 10


def test_the_shipped_font_is_embedded(cam_son_pdf):
    fonts = embedded_font_files(read(cam_son_pdf))

    assert fonts
    assert all(fonts.values()), fonts
    # Named after the @font-face family: the file in static/fonts, not a system font.
    assert all("CCHC-Serif" in name for name in fonts), fonts


def test_header_lines_and_the_unit_name_are_printed(cam_son_pdf):
    first = page_text(read(cam_son_pdf).pages[0])

    for line in (
        "ỦY BAN NHÂN DÂN",
        "XÃ CẨM SƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/KH-UBND",
        "Cẩm Sơn, ngày 05 tháng 01 năm 2024",
        "KẾ HOẠCH",
        "Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023",
        "I. MỤC ĐÍCH, YÊU CẦU",
    ):
        assert line in first, line
    # A UBND's own plan has no supervising-agency line above its name (seeds 003, 004).
    assert "UBND HUYỆN CẨM XUYÊN" not in first


def _run(page_runs, start: str):
    return next(run for run in page_runs if run.text.startswith(start))


def test_header_is_two_columns_in_the_sizes_and_styles_of_nghi_dinh_30(cam_son_pdf):
    first = runs(read(cam_son_pdf).pages[0])
    issuer = _run(first, "ỦY BAN NHÂN DÂN")
    nation, motto = _run(first, "CỘNG HÒA"), _run(first, "Độc lập")
    number, dated = _run(first, "Số: 05/KH-UBND"), _run(first, "Cẩm Sơn, ngày")

    # Agency and nation side by side on one line, number and date on a later one.
    assert issuer.y == pytest.approx(nation.y, abs=2)
    assert number.y == pytest.approx(dated.y, abs=2)
    assert issuer.x < nation.x and number.x < dated.x
    assert issuer.y > number.y
    # (style, size in points) as DOMAIN.md gives them.
    assert (issuer.bold, 12 <= issuer.size <= 13) == (True, True)
    assert (nation.bold, 12 <= nation.size <= 13) == (True, True)
    assert (motto.bold, 13 <= motto.size <= 14) == (True, True)
    assert (number.bold, number.italic, number.size) == (False, False, 13)
    assert (dated.italic, dated.bold, 13 <= dated.size <= 14) == (True, False, True)
    title, summary = _run(first, "KẾ HOẠCH"), _run(first, "Khắc phục tồn tại")
    assert title.bold and summary.bold
    assert _run(first, "Căn cứ kết quả").italic


def test_body_is_14pt_with_a_first_line_indent_of_one_to_1_27_cm(cam_son_pdf):
    first = runs(read(cam_son_pdf).pages[0])
    opening = _run(first, "Để kịp thời khắc phục")
    following = first[first.index(opening) + 1]

    assert (opening.size, opening.bold, opening.italic) == (14, False, False)
    assert 10 * MM - 0.5 <= opening.x - following.x <= 12.7 * MM + 0.5


def test_recipients_and_signature_keep_their_sizes_and_sides(cam_son_pdf):
    reader = read(cam_son_pdf)
    last_portrait = [page for page in reader.pages if size(page)[0] < size(page)[1]][-1]
    closing = runs(last_portrait)
    label, archive = _run(closing, "Nơi nhận:"), _run(closing, "- Lưu: VT.")
    authority, signer = _run(closing, "TM. ỦY BAN NHÂN DÂN"), _run(closing, "Hoàng Văn Hiệp")

    assert (label.bold, label.italic, label.size) == (True, True, 12)
    assert archive.size == 11
    assert authority.bold and signer.bold and authority.size == 14
    assert label.x < A4[0] / 2 < authority.x
    assert authority.y - signer.y > 60  # room for the signature and the seal


def test_the_pdf_is_nfc_even_when_text_was_typed_decomposed(cam_son_plan):
    summary = "Khắc phục tồn tại, hạn chế năm 2023"
    plan_update(plan=cam_son_plan, data={"summary": unicodedata.normalize("NFD", summary)})
    task = Task.objects.get(plan=cam_son_plan, criteria__code="1.3")
    task_update(task=task, data={"name": unicodedata.normalize("NFD", "Tổ chức đối thoại")})

    reader = read(plan_pdf(cam_son_plan, TODAY))

    text = all_text(reader)
    assert unicodedata.is_normalized("NFC", text)
    assert "Tổ chức đối thoại" in text
    # The document title is not shaped by the font, so only normalising keeps it NFC.
    assert reader.metadata.title == f"Kế hoạch {summary[:1].lower()}{summary[1:]} - Xã Cẩm Sơn"


def test_results_table_prints_every_field_and_the_totals(cam_son_pdf):
    text = all_text(read(cam_son_pdf))

    assert "II. KẾT QUẢ ĐẠT ĐƯỢC" in text
    for row in (
        "1 Chỉ đạo điều hành 11 9,13 1,87",
        "2 Cải cách thể chế 7 6,75 0,25",
        "3 Cải cách thủ tục hành chính 14,5 12,99 1,51",
        "4 Cải cách tổ chức bộ máy 6 5,5 0,5",
        "5 Cải cách chế độ công vụ 16,5 14,62 1,88",
        "6 Cải cách tài chính công 13,5 12,86 0,64",
        "Tổng điểm 100 85,08 14,92",
    ):
        assert row in text, row
    assert "14,27 5,73" in text
    assert "8,96 2,54" in text
    assert "xếp thứ 3/23 trong khối xã, thị trấn huyện Cẩm Xuyên; tăng 20 bậc" in text


def test_part_three_lists_each_field_with_its_deducted_criteria(cam_son_pdf):
    text = all_text(read(cam_son_pdf))

    assert "III. NỘI DUNG TRỪ ĐIỂM, NHIỆM VỤ VÀ GIẢI PHÁP KHẮC PHỤC" in text
    assert "1.1. Điểm số bị trừ: 1,87 điểm, trong đó:" in text
    assert (
        "Tiêu chí 1.3. Đổi mới, sáng tạo trong triển khai nhiệm vụ CCHC: đạt 0,5/2 điểm, "
        "bị trừ 1,5 điểm" in text
    )
    assert "1.3. Chủ trì thực hiện: Công chức Văn phòng - Thống kê." in text
    assert "7.1. Điểm số bị trừ: 5,73 điểm, trong đó:" in text
    assert "- Phát động phong trào sáng kiến CCHC" in text


def test_signature_block_and_recipients_close_the_plan(cam_son_pdf):
    text = all_text(read(cam_son_pdf))

    assert "Nơi nhận:" in text
    assert "- Lưu: VT." in text
    assert "TM. ỦY BAN NHÂN DÂN" in text
    assert "CHỦ TỊCH" in text
    assert "Hoàng Văn Hiệp" in text


def test_appendix_prints_the_task_rows_with_the_header_on_every_page(cam_son_pdf):
    reader = read(cam_son_pdf)
    appendix = [page for page in reader.pages if size(page)[0] > size(page)[1]]
    text = " ".join(page_text(page) for page in appendix)

    assert len(appendix) >= 2
    for page in appendix:
        assert "Mục tiêu/Chỉ tiêu" in page_text(page)
        assert "Thời gian hoàn thành" in page_text(page)
    assert "Phát động phong trào sáng kiến CCHC" in text
    assert "Quý II/2024" in text
    assert "CHỈ ĐẠO ĐIỀU HÀNH" in text
    assert "Tổng kinh phí (triệu đồng) 30" in text


def test_a_long_plan_flows_onto_more_pages(cam_son_plan):
    short = read(plan_pdf(cam_son_plan, TODAY))
    for task in Task.objects.filter(plan=cam_son_plan):
        task_update(task=task, data={"activities": "Hoạt động cụ thể. " * 40})

    long = read(plan_pdf(cam_son_plan, TODAY))

    assert len(long.pages) > len(short.pages)
    assert "Hoạt động cụ thể." in page_text(long.pages[-1])


def test_render_plan_command_drafts_when_there_is_no_plan_and_writes_the_file(demo, tmp_path):
    target = tmp_path / "ke-hoach.pdf"
    out = StringIO()

    call_command("render_plan", unit="HT-CX-CS", year=2023, output=str(target), stdout=out)

    assert "Đã ghi" in out.getvalue()
    assert "KẾ HOẠCH" in page_text(read(target.read_bytes()).pages[0])
