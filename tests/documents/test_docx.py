"""The Word renderer read back with python-docx: the page, fonts, header, rules, page
numbers, tables, signoff, appendix section and core properties of seed 004's plan."""

import io
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from docx import Document as open_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from cchc.documents.docx import document_docx
from cchc.documents.model import Heading, Paragraph, Table
from tests.documents.docx_samples import FIELDS, plan

MM = 36000  # EMU


@pytest.fixture(scope="module")
def word():
    return open_docx(io.BytesIO(document_docx(plan())))


def mm(length) -> float:
    return round(length / MM, 1)


def texts(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs if paragraph.text]


def borders(element, tag: str) -> dict[str, str]:
    found = element.find(f".//{qn(tag)}")
    return {child.tag.split("}")[1]: child.get(qn("w:val")) for child in found}


def ruled(paragraph) -> bool:
    return paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None


def test_the_page_is_a4_with_the_margins_of_nghi_dinh_30(word):
    section = word.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert 20 <= mm(section.top_margin) <= 25
    assert 20 <= mm(section.bottom_margin) <= 25
    assert 30 <= mm(section.left_margin) <= 35
    assert 15 <= mm(section.right_margin) <= 20


def test_times_new_roman_14_pt_justified_for_every_script(word):
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    defaults = word.styles.element.find(qn("w:docDefaults"))
    for rpr in (normal.element.rPr, defaults.find(f".//{qn('w:rPr')}")):
        fonts = rpr.find(qn("w:rFonts"))
        # No theme font left: a theme attribute would win over the named font.
        assert dict(fonts.attrib) == {
            qn(f"w:{script}"): "Times New Roman" for script in ("ascii", "hAnsi", "eastAsia", "cs")
        }
        assert rpr.find(qn("w:lang")).get(qn("w:val")) == "vi-VN"
    fmt = normal.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert fmt.first_line_indent == Cm(1.27)
    assert fmt.space_after == Pt(6)
    assert fmt.line_spacing_rule == WD_LINE_SPACING.SINGLE
    for level in (1, 2, 3):
        heading = word.styles[f"Heading {level}"]
        assert heading.font.element.rPr.find(qn("w:rFonts")).get(qn("w:ascii")) == (
            "Times New Roman"
        )
        assert (heading.font.size, heading.font.bold) == (Pt(14), True)
        assert heading.font.italic is (level == 3)
        assert str(heading.font.color.rgb) == "000000"
    sizes = {
        (run.font.size or normal.font.size).pt
        for table in word.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
        for run in paragraph.runs
        if run.text
    }
    assert sizes <= {11, 12, 13, 14}


def test_the_header_is_a_borderless_table_of_the_issuer_and_the_nation(word):
    header = word.tables[0]
    assert set(borders(header._tbl, "w:tblBorders").values()) == {"none"}
    assert set(borders(header._tbl, "w:tblBorders")) == {
        "top", "left", "bottom", "right", "insideH", "insideV"
    }  # fmt: skip
    (issuer, nation), (number, dated) = (row.cells for row in header.rows)
    assert round(issuer.width / (issuer.width + nation.width), 2) == 0.38
    assert texts(issuer) == ["ỦY BAN NHÂN DÂN", "XÃ CẨM SƠN"]
    assert texts(nation) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert texts(number) == ["Số: 05/KH-UBND"]
    pieces = number._tc.iter(qn("w:t"))
    assert {piece.get(qn("xml:space")) for piece in pieces} == {"preserve"}
    assert texts(dated) == ["Cẩm Sơn, ngày 05 tháng 01 năm 2024"]
    issuer_run = issuer.paragraphs[0].runs[0]
    assert (issuer_run.font.size, issuer_run.bold) == (Pt(13), True)
    nation_run, motto_run = (paragraph.runs[0] for paragraph in nation.paragraphs[:2])
    assert (nation_run.font.size, nation_run.bold) == (Pt(13), True)
    assert (motto_run.font.size, motto_run.bold) == (Pt(14), True)
    assert dated.paragraphs[0].runs[0].italic is True
    assert number.paragraphs[0].runs[0].font.size == Pt(13)
    for cell in (issuer, nation, number, dated):
        for paragraph in cell.paragraphs:
            if ruled(paragraph):  # a rule is centred by its indents
                continue
            assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
            assert paragraph.paragraph_format.first_line_indent == 0
    kind, summary = word.paragraphs[:2]
    assert (kind.text, kind.runs[0].bold, kind.alignment) == (
        "KẾ HOẠCH",
        True,
        WD_ALIGN_PARAGRAPH.CENTER,
    )
    assert summary.text == plan().header.summary
    assert summary.runs[0].bold and summary.alignment == WD_ALIGN_PARAGRAPH.CENTER


def rule_length(paragraph, room) -> float:
    fmt = paragraph.paragraph_format
    return mm(room - fmt.left_indent - fmt.right_indent)


def test_rules_under_the_issuer_the_motto_and_the_summary(word):
    (issuer, nation) = word.tables[0].rows[0].cells
    under_issuer = [paragraph for paragraph in issuer.paragraphs if ruled(paragraph)]
    under_motto = [paragraph for paragraph in nation.paragraphs if ruled(paragraph)]
    assert len(under_issuer) == len(under_motto) == 1
    assert under_issuer[0].text == under_motto[0].text == ""
    # "ỦY BAN NHÂN DÂN" at 13 pt bold is 43 mm: the rule a third to a half of it.
    assert 43 / 3 <= rule_length(under_issuer[0], issuer.width) <= 43 / 2
    # The motto at 14 pt bold is 60,5 mm: its rule as long.
    assert rule_length(under_motto[0], nation.width) == pytest.approx(60.5, abs=0.5)
    after_summary = word.paragraphs[2]
    assert ruled(after_summary) and after_summary.text == ""
    width = word.sections[0].page_width - word.sections[0].left_margin
    width -= word.sections[0].right_margin
    # The summary's one line at 14 pt bold is 153 mm.
    assert 153 / 3 <= rule_length(after_summary, width) <= 153 / 2
    bottom = after_summary._p.find(f".//{qn('w:bottom')}")
    assert (bottom.get(qn("w:val")), bottom.get(qn("w:sz"))) == ("single", "6")


def test_a_supervising_agency_is_printed_above_the_issuer_only_when_there_is_one():
    doc = plan()
    doc = replace(doc, header=replace(doc.header, supervising_agency="Ủy ban nhân dân tỉnh X"))
    word = open_docx(io.BytesIO(document_docx(doc)))
    issuer = word.tables[0].rows[0].cells[0]
    assert texts(issuer) == ["ỦY BAN NHÂN DÂN TỈNH X", "ỦY BAN NHÂN DÂN", "XÃ CẨM SƠN"]
    agency = issuer.paragraphs[0].runs[0]
    assert (agency.font.size, agency.bold) == (Pt(13), None)


def test_page_numbers_are_centred_at_the_top_from_page_two(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer is True
    header = section.header
    fields = [field.get(qn("w:instr")) for field in header._element.iter(qn("w:fldSimple"))]
    assert [field.strip() for field in fields] == ["PAGE"]
    assert header.paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert [paragraph.text for paragraph in first.paragraphs] == [""]
    assert not list(first._element.iter(qn("w:fldSimple")))


def test_the_appendix_is_its_own_landscape_section_and_keeps_the_numbers(word):
    assert len(word.sections) == 2
    appendix = word.sections[1]
    assert appendix.start_type == WD_SECTION.NEW_PAGE
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(appendix.page_width), mm(appendix.page_height)) == (297, 210)
    assert [mm(appendix.top_margin), mm(appendix.bottom_margin)] == [20, 20]
    assert [mm(appendix.left_margin), mm(appendix.right_margin)] == [20, 15]
    assert appendix.different_first_page_header_footer is False
    assert appendix.header.is_linked_to_previous  # its first page is numbered too
    # The section break closes the body: the appendix title opens the new section.
    paragraphs = word.paragraphs
    (breaking,) = [p for p in paragraphs if p._p.find(f".//{qn('w:sectPr')}") is not None]
    following = paragraphs[paragraphs.index(breaking) + 1 :]
    assert [p.text for p in following[:3]] == [
        "PHỤ LỤC",
        "NHIỆM VỤ KHẮC PHỤC TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CCHC NĂM 2023",
        "(Kèm theo Kế hoạch số 05/KH-UBND ngày 05/01/2024 của UBND xã Cẩm Sơn)",
    ]
    assert following[2].runs[0].italic is True
    # The appendix's matrix spans the landscape text width: 297 - 20 - 15 mm.
    matrix = word.tables[-1]
    assert mm(sum(column.width for column in matrix.columns)) == pytest.approx(262, abs=0.2)


def has(row, tag: str) -> bool:
    return row._tr.trPr is not None and row._tr.trPr.find(qn(tag)) is not None


def test_table_headers_repeat_on_every_page_and_rows_never_split(word):
    results, matrix = word.tables[1], word.tables[-1]
    for table in (results, matrix):
        assert has(table.rows[0], "w:tblHeader")
        assert not any(has(row, "w:tblHeader") for row in table.rows[1:])
        assert all(has(row, "w:cantSplit") for row in table.rows)
        assert set(borders(table._tbl, "w:tblBorders").values()) == {"single"}
    width = sum(column.width for column in results.columns)
    shares = [round(100 * column.width / width) for column in results.columns]
    assert shares == [7, 51, 13, 16, 13]
    assert [cell.text for cell in results.rows[0].cells] == [
        "TT", "Nội dung", "Điểm tối đa", "Điểm thẩm định", "Điểm bị trừ"
    ]  # fmt: skip
    assert [cell.text for cell in results.rows[1].cells] == list(FIELDS[0])
    total = results.rows[-1]
    assert [cell.text for cell in total.cells] == ["", "Tổng điểm", "100", "85,08", "14,92"]
    assert all(run.bold for cell in total.cells for p in cell.paragraphs for run in p.runs)
    assert results.rows[1].cells[2].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    # The fields' table is kept on one page: each row keeps with the next.
    kept = {
        paragraph.paragraph_format.keep_with_next
        for row in results.rows[:-1]
        for cell in row.cells
        for paragraph in cell.paragraphs
    }
    assert kept == {True}
    assert results.rows[1].cells[1].paragraphs[0].runs[0].font.size == Pt(13)
    assert matrix.rows[1].cells[1].paragraphs[0].runs[0].font.size == Pt(11)


def grid_cells(row) -> list[str]:
    """A row's cells as Word holds them (a merged cell once), each its non-empty
    paragraphs one a line."""
    return [
        "\n".join(filter(None, (DocxParagraph(p, None).text for p in tc.p_lst)))
        for tc in row._tr.tc_lst
    ]


def test_a_group_row_is_its_number_then_one_merged_bold_cell(word):
    matrix = word.tables[-1]
    group = matrix.rows[1]
    assert grid_cells(group) == ["I", "CHỈ ĐẠO ĐIỀU HÀNH"]
    assert group._tr.tc_lst[1].grid_span == 8
    assert all(run.bold for p in group.cells[1].paragraphs for run in p.runs)
    assert group.cells[1].paragraphs[0].paragraph_format.keep_with_next
    task = matrix.rows[2]
    assert grid_cells(task)[3] == "Rà soát\nTrình ký"
    assert task.cells[3].paragraphs[0].runs[0]._r.find(qn("w:br")) is not None
    assert task.cells[8].paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    total = matrix.rows[-1]
    assert grid_cells(total) == ["", "Tổng kinh phí (triệu đồng)", "20"]
    assert [tc.grid_span for tc in total._tr.tc_lst] == [1, 7, 1]
    last_task = matrix.rows[-2]
    assert last_task.cells[0].paragraphs[0].paragraph_format.keep_with_next  # not left alone
    assert not task.cells[0].paragraphs[0].paragraph_format.keep_with_next


def expected_text(block) -> str:
    if isinstance(block, Paragraph):
        return {"item": "- ", "subitem": "+ "}.get(block.style, "") + block.text
    return block.text


def expected_lines(blocks) -> list[str]:
    """A paragraph's text; a table's rows, each its non-empty cells joined by " | "."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            rows = [tuple(column.title for column in block.columns), *(r.cells for r in block.rows)]
            lines += [" | ".join(cell for cell in cells if cell) for cells in rows]
        else:
            lines.append(expected_text(block))
    return lines


def test_every_paragraph_and_table_row_of_the_document_in_order(word):
    doc = plan()
    appendix = doc.appendices[0]
    printed = []
    for item in word.iter_inner_content():
        if isinstance(item, DocxTable):
            printed += [" | ".join(filter(None, grid_cells(row))) for row in item.rows]
        elif item.text:
            printed.append(item.text)
    assert printed == [
        "ỦY BAN NHÂN DÂN\nXÃ CẨM SƠN"
        " | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "Số: 05/KH-UBND | Cẩm Sơn, ngày 05 tháng 01 năm 2024",
        "KẾ HOẠCH",
        doc.header.summary,
        *expected_lines(doc.body),
        "Nơi nhận:\n- UBND huyện Cẩm Xuyên;\n- Phòng Nội vụ huyện;\n- Lưu: VT."
        " | TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nHoàng Văn Hiệp",
        "PHỤ LỤC",
        appendix.summary,
        appendix.note,
        *expected_lines(appendix.blocks),
    ]
    assert "Người đứng đầu cơ quan phải xác định vai trò, trách nhiệm.\nDòng hai." in printed


def paragraph_with(word, text: str):
    return next(paragraph for paragraph in word.paragraphs if paragraph.text == text)


def test_each_style_of_paragraph_and_heading(word):
    basis = paragraph_with(word, expected_text(plan().body[0]))
    assert basis.runs[0].italic is True
    item = paragraph_with(word, "- Kịp thời chấn chỉnh, khắc phục tồn tại, hạn chế;")
    assert item.paragraph_format.left_indent is None
    subitem = paragraph_with(word, "+ Chưa ban hành kế hoạch rà soát kịp thời")
    assert subitem.paragraph_format.left_indent > 0
    closing = paragraph_with(word, expected_text(plan().body[-1]))
    assert closing.paragraph_format.space_before == Pt(6)
    levels = {block.text: block.level for block in plan().body if isinstance(block, Heading)}
    for text, level in levels.items():
        assert paragraph_with(word, text).style.name == f"Heading {level}"


def test_nơi_nhận_and_the_signature_block(word):
    signoff = word.tables[-2]
    assert set(borders(signoff._tbl, "w:tblBorders").values()) == {"none"}
    assert has(signoff.rows[0], "w:cantSplit")
    recipients, signature = signoff.rows[0].cells
    assert texts(recipients) == [
        "Nơi nhận:",
        "- UBND huyện Cẩm Xuyên;",
        "- Phòng Nội vụ huyện;",
        "- Lưu: VT.",
    ]
    label = recipients.paragraphs[0].runs[0]
    assert (label.font.size, label.bold, label.italic) == (Pt(12), True, True)
    assert {p.runs[0].font.size for p in recipients.paragraphs[1:]} == {Pt(11)}
    assert texts(signature) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Văn Hiệp"]
    assert all(p.runs[0].bold for p in signature.paragraphs)
    assert {p.alignment for p in signature.paragraphs} == {WD_ALIGN_PARAGRAPH.CENTER}
    assert signature.paragraphs[-1].paragraph_format.space_before >= Pt(60)  # room to sign


def test_core_properties_name_the_document_and_its_agency(word):
    properties = word.core_properties
    assert properties.title == "Kế hoạch khắc phục tồn tại, hạn chế CCHC năm 2023 - Xã Cẩm Sơn"
    assert properties.author == properties.last_modified_by == "Ủy ban nhân dân xã Cẩm Sơn"
    assert properties.subject == plan().metadata.subject
    assert properties.keywords == "CCHC, kế hoạch, 2023"
    assert properties.created == datetime(2024, 1, 5, tzinfo=UTC)
    assert properties.language == "vi-VN"


def test_a_document_without_appendix_or_signer_has_one_section():
    doc = plan()
    doc = replace(doc, appendices=(), signoff=replace(doc.signoff, signer_name="", position=""))
    word = open_docx(io.BytesIO(document_docx(doc)))
    assert len(word.sections) == 1
    signature = word.tables[-1].rows[0].cells[1]
    assert texts(signature) == ["TM. ỦY BAN NHÂN DÂN"]
    assert signature.paragraphs[-1].paragraph_format.space_before >= Pt(60)


def test_a_portrait_appendix_keeps_the_portrait_page():
    doc = plan()
    doc = replace(doc, appendices=(replace(doc.appendices[0], landscape=False),))
    appendix = open_docx(io.BytesIO(document_docx(doc))).sections[1]
    assert appendix.orientation == WD_ORIENT.PORTRAIT
    assert (mm(appendix.page_width), mm(appendix.page_height)) == (210, 297)
