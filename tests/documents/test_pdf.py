"""The PDF renderer of the document model, read back with pypdf (and qpdf where present)."""

import shutil
import subprocess
import threading
import unicodedata
from dataclasses import replace

import pytest

from cchc.documents.model import Appendix, Paragraph, Row, Table
from cchc.documents.pdf import SIGNATURE_FIELD, document_html, document_pdf
from cchc.pdf import house_style, html_to_pdf
from tests.documents import samples
from tests.remediation.pdfs import (
    A4,
    MM,
    all_text,
    needs_weasyprint,
    page_text,
    read,
    runs,
    size,
)


@pytest.fixture(autouse=True)
def _weasyprint() -> None:
    needs_weasyprint()


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    """The representative document with 4 tasks a field: 2 portrait pages, a long appendix."""
    return document_pdf(samples.document())


@pytest.fixture(scope="module")
def sample(sample_pdf):
    return read(sample_pdf)


def portrait(reader) -> list:
    return [page for page in reader.pages if size(page)[0] < size(page)[1]]


def landscape(reader) -> list:
    return [page for page in reader.pages if size(page)[0] > size(page)[1]]


def run_starting(page, start: str):
    return next(run for run in runs(page) if run.text.startswith(start))


def test_the_text_comes_in_the_order_of_the_document(sample):
    text = all_text(sample)
    expected = (
        "ỦY BAN NHÂN DÂN XÃ CẨM SƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/KH-UBND",
        "Cẩm Sơn, ngày 05 tháng 01 năm 2024",
        "KẾ HOẠCH",
        "Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023",
        "Thực hiện Quyết định số 9471/QĐ-UBND",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "- Kịp thời chấn chỉnh",
        "II. KẾT QUẢ ĐẠT ĐƯỢC",
        "1 Công tác chỉ đạo, điều hành cải cách hành chính 11 9,13 1,87",
        "Tổng điểm 100 85,08 14,92",
        "III. NỘI DUNG TRỪ ĐIỂM",
        "1.1. Điểm số bị trừ: 1,87 điểm, trong đó:",
        "- Tiêu chí 1.3. Đổi mới",
        "+ Tiêu chí 1.3.1. Có sáng kiến được công nhận",
        "Trên đây là Kế hoạch",
        "Nơi nhận:",
        "- UBND huyện Cẩm Xuyên;",
        "- Lưu: VT.",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",  # the position is printed upper case whatever its case in the model
        "Hoàng Văn Hiệp",
        "PHỤ LỤC",
        "NHIỆM VỤ KHẮC PHỤC TỒN TẠI",
        "(Kèm theo Kế hoạch số 05/KH-UBND ngày 05/01/2024 của UBND xã Cẩm Sơn)",
        "I CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
        "Nhiệm vụ 1.1: rà soát",
        "VIII TÁC ĐỘNG CỦA CẢI CÁCH HÀNH CHÍNH",
        "Nhiệm vụ 8.4: rà soát",
        "Tổng kinh phí (triệu đồng) 160",  # the label spans the empty columns up to the sum
    )
    positions = [text.find(line) for line in expected]
    missing = [line for line, at in zip(expected, positions, strict=True) if at < 0]
    assert not missing
    assert positions == sorted(positions)


def test_pages_are_a4_portrait_and_the_appendix_landscape(sample):
    sizes = [size(page) for page in sample.pages]
    tall, wide = portrait(sample), landscape(sample)

    assert len(tall) == 2 and len(wide) >= 3
    assert all(size(page) == pytest.approx(A4, abs=0.5) for page in tall)
    assert all(size(page) == pytest.approx(A4[::-1], abs=0.5) for page in wide)
    assert sizes[: len(tall)] == [size(page) for page in tall]  # the appendix comes last
    assert page_text(wide[0]).startswith("PHỤ LỤC")


def test_a_portrait_appendix_stays_portrait():
    doc = samples.document(tasks_per_field=1)
    doc = replace(doc, appendices=(replace(doc.appendices[0], landscape=False),))

    reader = read(document_pdf(doc))

    assert all(size(page) == pytest.approx(A4, abs=0.5) for page in reader.pages)
    assert page_text(reader.pages[2]).startswith("PHỤ LỤC")  # on a page of its own


def test_the_body_keeps_the_margins_of_nghi_dinh_30(sample):
    """Left 30 mm, right 15 mm, top and bottom 20 mm on portrait pages."""
    for page in portrait(sample):
        width, height = size(page)
        body = [run for run in runs(page) if run.y < height - 20 * MM]  # below the page number
        assert 30 * MM - 1 <= min(run.x for run in body) <= 30 * MM + 1
        assert max(run.x for run in body) < width - 15 * MM
        assert min(run.y for run in body) >= 20 * MM - 5  # the baseline of the last line
        assert max(run.y for run in body) <= height - 20 * MM
    for page in landscape(sample):  # the appendix: left 20 mm, right 15 mm
        width, height = size(page)
        body = [run for run in runs(page) if run.y < height - 20 * MM]
        # The table starts at the margin; its first column's numbers are centred in it.
        assert 20 * MM - 1 <= min(run.x for run in body) <= 25 * MM
        assert max(run.x for run in body) < width - 15 * MM
        assert max(run.y for run in body) <= height - 20 * MM


def test_page_numbers_are_centred_at_the_top_from_page_2(sample):
    top = A4[1] - 20 * MM
    assert not [run for run in runs(sample.pages[0]) if run.y > top]
    for number, page in enumerate(sample.pages[1:], start=2):
        width, _height = size(page)
        left = 30 * MM if width < A4[1] - 1 else 20 * MM
        numbers = [run for run in runs(page) if run.y > size(page)[1] - 20 * MM]
        assert [run.text for run in numbers] == [str(number)]
        assert abs(numbers[0].x - (left + (width - left - 15 * MM) / 2)) < 10


def test_header_is_two_columns_in_the_styles_of_nghi_dinh_30(sample):
    first = sample.pages[0]
    issuer, nation = run_starting(first, "ỦY BAN NHÂN DÂN"), run_starting(first, "CỘNG HÒA")
    motto = run_starting(first, "Độc lập")
    number, dated = run_starting(first, "Số: 05/KH-UBND"), run_starting(first, "Cẩm Sơn, ngày")
    kind, summary = run_starting(first, "KẾ HOẠCH"), run_starting(first, "Khắc phục tồn tại")

    assert issuer.y == pytest.approx(nation.y, abs=2)
    assert number.y == pytest.approx(dated.y, abs=2)
    assert issuer.x < nation.x and number.x < dated.x and issuer.y > number.y
    assert (issuer.bold, issuer.size) == (True, 13)
    assert (nation.bold, nation.size) == (True, 12.5)
    assert (motto.bold, motto.size) == (True, 13.5)
    assert (number.bold, number.italic, number.size) == (False, False, 13)
    assert (dated.bold, dated.italic, dated.size) == (False, True, 14)
    assert kind.bold and summary.bold and number.y > kind.y > summary.y


def test_the_supervising_agency_is_printed_only_when_there_is_one(sample):
    assert "UBND HUYỆN CẨM XUYÊN" not in page_text(sample.pages[0])

    doc = samples.short_document()
    header = replace(doc.header, supervising_agency="UBND huyện Cẩm Xuyên")
    first = read(document_pdf(replace(doc, header=header))).pages[0]

    agency = run_starting(first, "UBND HUYỆN CẨM XUYÊN")
    issuer = run_starting(first, "XÃ CẨM SƠN")
    assert (agency.bold, agency.size) == (False, 13)  # upper case, not bold (Nghị định 30)
    assert agency.y > issuer.y


def test_a_number_left_blank_for_the_e_office_system_keeps_its_spaces():
    doc = samples.short_document()
    doc = replace(doc, header=replace(doc.header, number_line="Số:        /KH-UBND"))

    first = read(document_pdf(doc)).pages[0]

    assert "Số:        /KH-UBND" in first.extract_text()


def test_paragraph_styles_and_headings_print_as_the_model_says(sample):
    page_one, page_two = sample.pages[0], sample.pages[1]
    basis = run_starting(page_one, "Thực hiện Quyết định")
    body = run_starting(page_one, "Để kịp thời khắc phục")
    level_1, level_2 = run_starting(page_one, "I. MỤC ĐÍCH"), run_starting(page_one, "1. Mục đích")
    level_3 = run_starting(page_two, "1.1. Điểm số bị trừ")
    item = run_starting(page_two, "- Tiêu chí 1.3.")
    subitem = run_starting(page_two, "+ Tiêu chí 1.3.1.")

    assert (basis.italic, basis.bold, basis.size) == (True, False, 14)
    assert (body.italic, body.bold, body.size) == (False, False, 14)
    assert (level_1.bold, level_1.italic) == (True, False)
    assert (level_2.bold, level_2.italic) == (True, False)
    assert (level_3.bold, level_3.italic) == (True, True)
    assert (item.bold, item.italic) == (False, False)
    # First-line indent 1.27 cm; a sub-item one step deeper.
    assert body.x - 30 * MM == pytest.approx(12.7 * MM, abs=0.5)
    assert item.x - 30 * MM == pytest.approx(12.7 * MM, abs=0.5)
    assert subitem.x - 30 * MM == pytest.approx(20 * MM, abs=0.5)


def test_a_line_break_in_a_paragraph_starts_a_new_line():
    doc = samples.short_document()
    doc = replace(doc, body=(Paragraph("Dòng thứ nhất\nDòng thứ hai"),))

    first = read(document_pdf(doc)).pages[0]

    one, two = run_starting(first, "Dòng thứ nhất"), run_starting(first, "Dòng thứ hai")
    assert one.y > two.y and one.x > two.x  # the second line is not indented


def test_text_that_looks_like_markup_prints_as_typed():
    doc = replace(samples.short_document(), body=(Paragraph("Kinh phí <b>5</b> & 2 < 3"),))

    assert "Kinh phí <b>5</b> & 2 < 3" in page_text(read(document_pdf(doc)).pages[0])


def test_tables_print_their_sizes_and_bold_rows(sample):
    first = sample.pages[0]
    row, total = run_starting(first, "Cải cách thể chế"), run_starting(first, "Tổng điểm")
    header = run_starting(first, "Nội dung")
    appendix = landscape(sample)[0]
    group = run_starting(appendix, "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH")
    task = run_starting(appendix, "Nhiệm vụ 1.1:")

    assert (row.bold, row.size) == (False, 13)
    assert (total.bold, total.size) == (True, 13)
    assert (header.bold, header.size) == (True, 13)
    assert (group.bold, group.size) == (True, 11)  # size="small"
    assert (task.bold, task.size) == (False, 11)


def test_a_group_row_spans_every_column_after_its_number(sample):
    """The field's title, longer than any one column, prints on one line."""
    titles = [run.text for page in landscape(sample) for run in runs(page)]
    assert "XÂY DỰNG, PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ" in titles


def test_the_header_row_repeats_on_every_appendix_page(sample):
    pages = landscape(sample)
    assert len(pages) >= 3
    for page in pages:
        text = page_text(page)
        assert "TT Mục tiêu/Chỉ tiêu Nhiệm vụ Hoạt động" in text
        assert "Thời gian hoàn thành Kinh phí (triệu đồng)" in text


def _lowest_text(page) -> float:
    return min(run.y for run in runs(page))


def test_appendix_pages_are_full_while_rows_remain():
    """No page is left mostly empty because a field's rows would not fit whole: every
    appendix page but the last is filled to the bottom margin, less than one row."""
    reader = read(document_pdf(samples.document(tasks_per_field=7)))
    pages = landscape(reader)
    assert len(pages) >= 4

    for page in pages[:-1]:
        height = size(page)[1]
        content = height - 40 * MM
        filled = (height - 20 * MM - _lowest_text(page)) / content
        assert filled > 0.8, (pages.index(page), filled)


def test_a_group_row_never_ends_a_page():
    """A field's heading row is on the page of the field's first task, wherever it falls."""
    doc = samples.document()
    checked = 0
    for shift in range(5):
        appendix = replace(doc.appendices[0], blocks=(_matrix(shift),))
        for page in landscape(read(document_pdf(replace(doc, appendices=(appendix,))))):
            text, titles = page_text(page), {run.text for run in runs(page)}
            for number, (_, title, *_points) in enumerate(samples.FIELDS, start=1):
                if title.upper() in titles and (shift + number) % 5:
                    assert f"Nhiệm vụ {number}.1:" in text, (shift, number)
                    checked += 1
    assert checked >= 5 * 6


def _matrix(shift: int) -> Table:
    """Fields of 0 to 4 tasks, so the group rows fall at different heights."""
    rows: list[Row] = []
    for number, (_, title, *_points) in enumerate(samples.FIELDS, start=1):
        rows.append(Row((samples.ROMAN[number - 1], title.upper()), kind="group"))
        rows += [samples.task_row(number, task) for task in range(1, 1 + (shift + number) % 5)]
    return Table(samples.MATRIX_COLUMNS, tuple(rows), size="small")


def test_a_row_is_never_split_across_pages():
    """Rows of a dozen lines each: every row on a page shows its first and last line."""
    rows = tuple(
        Row((str(n), *[f"Hàng {n}: " + "nội dung dài của ô; " * 10 + f"hết hàng {n}."] * 8))
        for n in range(1, 9)
    )
    table = Table(samples.MATRIX_COLUMNS, rows, size="small")
    appendix = Appendix("PHỤ LỤC", "BẢNG DÀI", blocks=(table,))

    pages = landscape(read(document_pdf(replace(samples.document(), appendices=(appendix,)))))

    assert len(pages) >= 2
    seen = set()
    for page in pages:
        text = page_text(page)
        for n in range(1, 9):
            assert text.count(f"Hàng {n}:") == text.count(f"hết hàng {n}."), (n, text)
            if f"Hàng {n}:" in text:
                seen.add(n)
    assert seen == set(range(1, 9))


def test_a_short_table_marked_keep_together_moves_whole_to_the_next_page():
    # 18 paragraphs leave room on page 1 for the table's first rows, not for all of it.
    filler = tuple(Paragraph(f"Đoạn văn thứ {n} của phần mở đầu.") for n in range(1, 19))
    doc = replace(samples.short_document(), body=(*filler, samples.fields_table()))

    reader = read(document_pdf(doc))

    pages = [page_text(page) for page in reader.pages]
    holding = [n for n, text in enumerate(pages) if "Cải cách thể chế" in text]
    assert holding == [n for n, text in enumerate(pages) if "Tổng điểm" in text] == [1]
    assert "Đoạn văn thứ 18" in pages[0]


def test_recipients_and_signature_keep_their_sizes_and_sides(sample):
    page = portrait(sample)[-1]
    label, archive = run_starting(page, "Nơi nhận:"), run_starting(page, "- Lưu: VT.")
    authority, position = run_starting(page, "TM. ỦY BAN"), run_starting(page, "CHỦ TỊCH")
    signer = run_starting(page, "Hoàng Văn Hiệp")

    assert (label.bold, label.italic, label.size) == (True, True, 12)
    assert (archive.bold, archive.size) == (False, 11)
    assert run_starting(page, "- UBND huyện Cẩm Xuyên;").size == 11
    assert all(run.bold and run.size == 14 for run in (authority, position, signer))
    assert label.x < A4[0] / 2 < authority.x
    assert position.y - signer.y > 60  # room for the signature and the seal


def test_the_pdf_is_tagged_and_names_its_title_author_subject_and_dates(sample):
    catalog = sample.trailer["/Root"]
    metadata = sample.metadata

    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "vi"
    assert metadata.title == "Kế hoạch khắc phục tồn tại, hạn chế CCHC năm 2023 - Xã Cẩm Sơn"
    assert metadata.author == "Ủy ban nhân dân xã Cẩm Sơn"
    assert metadata.subject == (
        "Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023"
    )
    assert metadata["/Keywords"] == "cải cách hành chính, kế hoạch khắc phục, 2023"
    assert metadata["/CreationDate"].startswith("D:20240105")
    assert metadata["/ModDate"].startswith("D:20240105")


def test_headings_and_tables_are_in_the_structure_tree(sample):
    kinds = set()

    def visit(element) -> None:
        element = element.get_object()
        if isinstance(element, dict) and "/S" in element:
            kinds.add(element["/S"])
        children = element.get("/K", []) if isinstance(element, dict) else []
        for child in children if isinstance(children, list) else [children]:
            if hasattr(child, "get_object") and isinstance(child.get_object(), dict):
                visit(child)

    visit(sample.trailer["/Root"]["/StructTreeRoot"])

    assert {"/Document", "/H1", "/H2", "/H3", "/H4", "/P", "/Table", "/TH", "/TD"} <= kinds


def test_a_document_without_a_date_has_no_creation_date():
    doc = samples.short_document()
    doc = replace(doc, metadata=replace(doc.metadata, created=None, keywords=()))

    metadata = read(document_pdf(doc)).metadata

    assert "/CreationDate" not in metadata and "/Keywords" not in metadata
    assert metadata.author == "Ủy ban nhân dân xã Cẩm Sơn"


def test_text_typed_decomposed_prints_and_titles_nfc():
    title = "Kế hoạch năm 2023 - Xã Cẩm Sơn"
    doc = samples.short_document()
    doc = replace(
        doc,
        metadata=replace(doc.metadata, title=unicodedata.normalize("NFD", title)),
        body=(Paragraph(unicodedata.normalize("NFD", "Tổ chức đối thoại với người dân")),),
    )

    reader = read(document_pdf(doc))

    assert "Tổ chức đối thoại với người dân" in all_text(reader)
    assert reader.metadata.title == title


def test_the_html_carries_the_metadata_the_pdf_is_made_from():
    html = document_html(samples.document())

    assert '<html lang="vi">' in html
    assert '<meta name="author" content="Ủy ban nhân dân xã Cẩm Sơn">' in html
    assert '<meta name="dcterms.created" content="2024-01-05">' in html
    assert 'id="chu-ky"' in html


def test_the_house_style_parsed_once_prints_the_same_file_as_the_style_inlined():
    """`document_pdf` hands WeasyPrint the stylesheet and fonts it parsed the first time;
    the file is byte for byte the one the HTML with its style inlined makes, every time."""
    first = document_pdf(samples.document())
    again = document_pdf(samples.document())
    inlined = html_to_pdf(document_html(samples.document(), inline_style=True))

    assert first == again == inlined
    assert "<style>" not in document_html(samples.document())


def test_the_house_style_is_made_once_per_thread():
    style = house_style()
    other: list[dict] = []
    thread = threading.Thread(target=lambda: other.append(house_style()))
    thread.start()
    thread.join()

    assert house_style() is style
    assert other[0] is not style
    assert other[0]["font_config"] is not style["font_config"]


def test_other_pdfs_made_from_html_are_tagged_too():
    html = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Phiếu thẩm định'
        '</title><meta name="author">{style}</head><body><p>Nội dung</p></body></html>'
    )
    reader = read(html_to_pdf(html.format(style="")))

    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.metadata.title == "Phiếu thẩm định"


# Ready for ký số: an empty signature field over the signer's room.


def signature_fields(reader) -> list:
    form = reader.trailer["/Root"].get("/AcroForm")
    return [field.get_object() for field in form["/Fields"]] if form else []


def field_page(reader, field) -> int:
    """The page that shows the field's widget (in its /Annots, and named by the field's /P)."""
    ref = field.indirect_reference.idnum
    [number] = [
        n
        for n, page in enumerate(reader.pages)
        if ref in [annotation.idnum for annotation in page.get("/Annots", [])]
    ]
    assert field.raw_get("/P").idnum == reader.pages[number].indirect_reference.idnum
    return number


def test_without_asking_there_is_no_signature_field(sample):
    assert signature_fields(sample) == []


@pytest.mark.parametrize(
    ("build", "page"), [(samples.short_document, 0), (samples.long_document, 1)]
)
def test_the_signature_field_lies_over_the_signature_block_on_its_page(build, page):
    data = document_pdf(build(), signature_field=True)
    reader = read(data)

    [field] = signature_fields(reader)
    assert (field["/FT"], field["/T"]) == ("/Sig", SIGNATURE_FIELD)
    assert "/V" not in field  # empty: the signing tool fills it
    assert field_page(reader, field) == page
    x1, y1, x2, y2 = (float(value) for value in field["/Rect"])
    signed_page = reader.pages[page]
    position = run_starting(signed_page, "CHỦ TỊCH")
    signer = run_starting(signed_page, "Hoàng Văn Hiệp")
    recipients = run_starting(signed_page, "Nơi nhận:")
    # Between the position and the name, in the right-hand column, 70 pt high.
    assert signer.y < y1 < y2 < position.y
    assert recipients.x < A4[0] / 2 <= x1 < position.x < x2 <= A4[0] - 15 * MM + 1
    assert y2 - y1 == pytest.approx(70, abs=1)


def test_the_signature_field_is_added_without_rewriting_the_pdf():
    doc = samples.short_document()
    data = document_pdf(doc, signature_field=True)

    assert data.startswith(document_pdf(doc)[: data.index(b"%%EOF")])
    assert data.count(b"%%EOF") == 2  # one incremental update on the original file
    reader = read(data)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    # pyHanko dates its update (ModDate); the document's own date stays.
    assert reader.metadata["/CreationDate"].startswith("D:20240105")
    assert reader.metadata.author == "Ủy ban nhân dân xã Cẩm Sơn"


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf is not installed here")
@pytest.mark.parametrize("signature_field", [False, True])
def test_qpdf_finds_the_pdf_valid(tmp_path, signature_field):
    path = tmp_path / "van-ban.pdf"
    path.write_bytes(document_pdf(samples.document(), signature_field=signature_field))

    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def throwaway_signer():
    """A self-signed certificate made for the test, as pyHanko's signer."""
    from datetime import UTC, datetime, timedelta

    from asn1crypto import keys, x509
    from cryptography import x509 as cx509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "Hoàng Văn Hiệp")])
    now = datetime.now(UTC)
    certificate = (
        cx509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(cx509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert = x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))
    der_key = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return SimpleSigner(
        signing_cert=cert,
        signing_key=keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs([cert]),
    )


def test_a_signing_tool_signs_into_the_prepared_field():
    """What ký số does: sign the existing field, adding none; the signature covers it all."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    signer = throwaway_signer()
    prepared = document_pdf(samples.long_document(), signature_field=True)
    signed = signers.sign_pdf(
        IncrementalPdfFileWriter(io.BytesIO(prepared)),
        signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD),
        signer=signer,
        existing_fields_only=True,
    ).getvalue()

    [signature] = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    trusting = ValidationContext(trust_roots=[signer.signing_cert])
    status = validate_pdf_signature(signature, signer_validation_context=trusting)
    assert signature.field_name == SIGNATURE_FIELD
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert len(signature_fields(read(signed))) == 1
    assert signed.startswith(prepared)
