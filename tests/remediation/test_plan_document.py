"""Done means (issue 11): Cẩm Sơn 2023 and An Lão 2021, drafted from the fixtures and not
edited, print as seeds 004 and 002 word them: each field's lost criteria with their points,
the fields numbered as their table, no dotted gaps, no transcription remark, a district's
wording for An Lão; the appendix only when it says something."""

import re
from datetime import date

import pytest
from django.db import transaction

from cchc.documents.model import Heading, Paragraph, Table
from remediation.documents import plan_document_model, plan_pdf
from remediation.services import plan_draft, plan_update, task_update
from scoring.demo import CAM_SON
from scoring.models import Unit
from tests.factories import load_demo_data
from tests.remediation.pdfs import all_text, read

pytestmark = pytest.mark.django_db
ON = date(2024, 3, 1)
AN_LAO = "BD-AL"
REMARKS = ("Tài liệu", "tài liệu ghi", "tài liệu không", "Theo bảng", "«", "Các tiêu chí còn lại")
DOTS = re.compile(r"…{2,}|\.{3,}")


def text_of(doc) -> str:
    """Every word of the document model, one block a line."""
    lines = [*doc.header.issuer_lines, doc.header.summary]
    for block in doc.body + tuple(b for a in doc.appendices for b in a.blocks):
        if isinstance(block, Table):
            lines += [" ".join(row.cells) for row in block.rows]
        else:
            lines.append(block.text)
    return "\n".join(lines + list(doc.signoff.recipients))


@pytest.fixture(scope="module")
def pdf_texts(django_db_setup, django_db_blocker) -> dict[str, str]:
    """Both plans drafted and printed once, in a transaction rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo_data()
        texts = {
            code: all_text(read(plan_pdf(plan_draft(unit=Unit.objects.get(code=code), year=y), ON)))
            for code, y in ((CAM_SON, 2023), (AN_LAO, 2021))
        }
        transaction.set_rollback(True)
    return texts


def print_appendix(plan, choice: bool | None) -> None:
    """The choice the plan page offers (engineer "editing" writes its form)."""
    plan.print_appendix = choice
    plan.save(update_fields=["print_appendix"])


@pytest.fixture
def an_lao_plan(demo):
    return plan_draft(unit=Unit.objects.get(code=AN_LAO), year=2021)


def test_cam_son_field_1_lists_its_five_lost_criteria_with_their_points(cam_son_plan):
    text = text_of(plan_document_model(cam_son_plan, ON))

    assert "1.1. Điểm số bị trừ: 1,87 điểm, trong đó:" in text
    for code, points in (("1.1", "0,07"), ("1.2", "0,16"), ("1.3", "1,5"), ("1.4", "0,04")):
        assert re.search(rf"^Tiêu chí {code}\. .*bị trừ {points} điểm;$", text, re.M), code
    assert re.search(r"^Tiêu chí 1\.5\. .*: đạt 1,4/1,5 điểm, bị trừ 0,1 điểm\.$", text, re.M)
    assert "Tiêu chí 1.6" not in text  # lost nothing


def test_cam_son_field_7_prints_its_ten_lines_and_the_three_the_document_adds(cam_son_plan):
    text = text_of(plan_document_model(cam_son_plan, ON))
    field_7 = text[text.index("7.1. Điểm số bị trừ: 5,73 điểm") : text.index("7.2. Thời gian")]

    assert len(re.findall(r"^Tiêu chí 7\.(?:[1-9]|10)\. ", field_7, re.M)) == 10
    assert "Tiêu chí 7.4. Tỷ lệ văn bản được thực hiện dưới dạng điện tử, được ký số: đạt " in (
        field_7
    )
    assert "bị trừ 0,73 điểm;" in field_7
    assert "Tiêu chí 7.11. Các nội dung khác của lĩnh vực: đạt 7,74/9,5 điểm, bị trừ 1,76" in (
        field_7
    )
    assert "Nghị định 42/2022/NĐ-CP: bị trừ 1 điểm;" in field_7


def test_cam_son_fields_scored_as_a_whole_print_the_documents_lines(cam_son_plan):
    text = text_of(plan_document_model(cam_son_plan, ON))

    assert (
        "3.1. Điểm số bị trừ: 1,51 điểm, đó là:\n"
        "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận trong năm được giải quyết trước và đúng "
        "hạn: bị trừ 0,01 điểm;\n"
        "Ban hành kế hoạch rà soát, đánh giá TTHC: bị trừ 0,5 điểm.\n"
        "3.2. Thời gian khắc phục: Năm 2024." in text
    )
    assert "Mức độ thu hút đầu tư: bị trừ 2/2 điểm;" in text
    assert "Thực hiện giải ngân vốn đầu tư ngân sách nhà nước: bị trừ 0,14 điểm;" in text


def test_nothing_empty_is_printed_and_sub_numbers_stay_consecutive(cam_son_plan):
    doc = plan_document_model(cam_son_plan, ON)
    text = text_of(doc)

    assert not DOTS.search(text)
    assert "Chủ trì thực hiện" not in text and "Phối hợp:" not in text
    assert "Giải pháp thực hiện" not in text
    section = cam_son_plan.sections.get(field__code="2")
    section.coordinators, section.lead, section.deadline = "Các ban, ngành", "", ""
    section.save()
    text = text_of(plan_document_model(cam_son_plan, ON))
    assert "2.1. Điểm số bị trừ: 0,25 điểm, đó là:" in text
    assert "2.2. Phối hợp: Các ban, ngành." in text
    assert not re.search(r"^2\.3\. ", text, re.M)


def test_the_fields_are_numbered_by_the_frameworks_code_everywhere(an_lao_plan):
    print_appendix(an_lao_plan, True)
    doc = plan_document_model(an_lao_plan, ON)
    table = next(block for block in doc.body if isinstance(block, Table))
    headings = [b.text for b in doc.body if isinstance(b, Heading) and b.level == 2]
    groups = [row.cells[0] for row in doc.appendices[0].blocks[0].rows if row.kind == "group"]

    # Field 2 lost nothing: the table keeps it, part III and the appendix skip its number.
    assert [row.cells[0] for row in table.rows] == ["1", "2", "3", "4", "5", "6", "7", "8", ""]
    assert [h.split(".")[0] for h in headings[2:]] == ["1", "3", "4", "5", "6", "7", "8"]
    assert groups == ["1", "3", "4", "5", "6", "7", "8"]
    assert "3.1. Điểm số bị trừ: 3,01 điểm, trong đó:" in text_of(doc)


def test_an_lao_speaks_as_a_district(an_lao_plan):
    text = text_of(plan_document_model(an_lao_plan, ON))

    assert "UBND huyện xây dựng Kế hoạch khắc phục" in text
    assert "(qua Phòng Nội vụ)" in text
    assert "công chức" not in text.split("IV. TỔ CHỨC THỰC HIỆN")[1]
    assert "Sở Nội vụ tỉnh Bình Định" in text
    assert "của UBND huyện; đề nghị" in text


def test_no_transcription_remark_reaches_either_plan(cam_son_plan, an_lao_plan):
    for plan in (cam_son_plan, an_lao_plan):
        text = text_of(plan_document_model(plan, ON))
        assert not [remark for remark in REMARKS if remark in text], plan.unit.code


def test_the_appendix_is_printed_only_when_a_task_says_more_than_its_criterion(cam_son_plan):
    def has_appendix() -> tuple[bool, bool]:
        doc = plan_document_model(cam_son_plan, ON)
        return bool(doc.appendices), "Phụ lục kèm theo" in text_of(doc)

    assert has_appendix() == (False, False)  # drafted stubs only
    task = cam_son_plan.tasks.get(criteria__code="1.3")
    task_update(task=task, data={"name": "Phát động phong trào sáng kiến CCHC", "budget": "30"})
    assert has_appendix() == (True, True)
    print_appendix(cam_son_plan, False)
    assert has_appendix() == (False, False)
    print_appendix(cam_son_plan, True)
    doc = plan_document_model(cam_son_plan, ON)
    rows = doc.appendices[0].blocks[0].rows
    assert doc.appendices[0].landscape
    assert (rows[0].kind, rows[0].cells) == ("group", ("1", "CHỈ ĐẠO ĐIỀU HÀNH"))
    assert rows[-1].kind == "total" and rows[-1].cells[-1] == "30"
    assert "(tổng kinh phí dự kiến 30 triệu đồng)" in text_of(doc)


def test_metadata_names_the_unit_the_year_and_the_issuing_agency(cam_son_plan):
    plan_update(plan=cam_son_plan, data={"issued_on": date(2024, 1, 5)})
    metadata = plan_document_model(cam_son_plan, ON).metadata

    assert metadata.title == (
        "Kế hoạch khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023 "
        "- Xã Cẩm Sơn"
    )
    assert metadata.author == "Ủy ban nhân dân xã Cẩm Sơn"
    assert metadata.created == date(2024, 1, 5)
    assert metadata.language == "vi"


def test_a_ubnd_plan_has_no_supervising_agency_and_signs_for_the_committee(cam_son_plan):
    doc = plan_document_model(cam_son_plan, ON)

    assert doc.header.supervising_agency == ""
    assert doc.header.issuer_lines == ("ỦY BAN NHÂN DÂN", "XÃ CẨM SƠN")
    assert (doc.signoff.authority, doc.signoff.position) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert doc.signoff.recipients[0] == "UBND huyện Cẩm Xuyên"
    assert doc.signoff.recipients[-1] == "Lưu: VT"
    assert next(p.style for p in doc.body if isinstance(p, Paragraph)) == "basis"


@pytest.mark.pdf
@pytest.mark.parametrize("code", [CAM_SON, AN_LAO])
def test_the_printed_plans_have_no_run_of_dots_and_no_remark(pdf_texts, code):
    text = pdf_texts[code]

    assert not DOTS.search(text)
    assert not [remark for remark in REMARKS if remark in text]


@pytest.mark.pdf
def test_the_printed_cam_son_plan_gives_what_each_field_lost(pdf_texts):
    text = pdf_texts[CAM_SON]

    for line in (
        "1 Chỉ đạo điều hành 11 9,13 1,87",
        "Tổng điểm 100 85,08 14,92",
        "1.1. Điểm số bị trừ: 1,87 điểm, trong đó:",
        "Tiêu chí 1.1. Thực hiện Kế hoạch CCHC: đạt 1,43/1,5 điểm, bị trừ 0,07 điểm;",
        "Ban hành kế hoạch rà soát, đánh giá TTHC: bị trừ 0,5 điểm.",
        "7.1. Điểm số bị trừ: 5,73 điểm, trong đó:",
        "8.2. Thời gian khắc phục: Năm 2024.",
        "TM. ỦY BAN NHÂN DÂN",
    ):
        assert line in text, line
    assert "PHỤ LỤC" not in text


@pytest.mark.pdf
def test_the_printed_an_lao_plan_is_numbered_as_its_table_and_worded_for_a_district(pdf_texts):
    text = pdf_texts[AN_LAO]

    assert "3 Cải cách thủ tục hành chính 10 6,99 3,01" in text
    assert "3.1. Điểm số bị trừ: 3,01 điểm, trong đó:" in text
    assert "2.1. Điểm số bị trừ" not in text
    assert "(qua Phòng Nội vụ)" in text
    assert "qua công chức" not in text
