"""Broken and hostile import files: refused in Vietnamese, by the commands (non-zero
exit) and by the admin (a message on the form), with nothing written."""

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from scoring.models import Unit
from tests.factories import UnitFactory, row_counts, write_csv, write_xlsx
from tests.scoring.import_helpers import failing_command, run_command

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["code", "name", "level", "parent_code", "group"]
UNITS = [UNIT_HEADER, *[[f"X0{n}", f"Xã {n}", "xã", "", "Khối xã"] for n in range(1, 6)]]
BROKEN_XLSX = (
    "Không đọc được tệp Excel «{name}»: tệp bị hỏng hoặc không phải tệp .xlsx. Hãy mở "
    "tệp bằng Excel, lưu lại dạng «Excel Workbook (.xlsx)» rồi nhập lại."
)


def workbook_bytes(tmp_path: Path, rows: list[list] = UNITS) -> bytes:
    return write_xlsx(tmp_path / "goc.xlsx", rows).read_bytes()


def replace_part(data: bytes, part: str, content: bytes) -> bytes:
    """The workbook with one of its parts replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for member in source.infolist():
            body = content if member.filename == part else source.read(member)
            target.writestr(member, body)
        if part not in source.namelist():
            target.writestr(part, content)
    return buffer.getvalue()


def sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def refused(tmp_path: Path, name: str, data: bytes, admin_client) -> list[str]:
    """What the command and the admin say of a file, which must match; nothing written."""
    UnitFactory(code="X01", name="Xã cũ")
    before = row_counts()
    path = tmp_path / name
    path.write_bytes(data)

    errors = failing_command("import_units", str(path))

    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = admin_client.post(
        reverse("admin:scoring_unit_import"),
        {"import_file": upload, "format": "1" if name.endswith(".xlsx") else "0", "resource": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Traceback" not in page and "Xác nhận nhập" not in page
    for error in errors:
        # The admin's readers get the file's bytes, not its name.
        assert escape(error) in page or escape(error.replace(f" «{name}»", "")) in page
    assert row_counts() == before
    assert Unit.objects.get().name == "Xã cũ"
    return errors


def with_shared_strings(data: bytes, strings: bytes) -> bytes:
    """The workbook with a shared strings part, as Excel saves it (openpyxl writes none)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        types = archive.read("[Content_Types].xml")
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats'
        b'-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )
    data = replace_part(data, "[Content_Types].xml", types.replace(b"</Types>", override))
    return replace_part(data, "xl/sharedStrings.xml", strings)


def test_shared_strings_as_excel_saves_them_are_read(tmp_path):
    data = workbook_bytes(tmp_path, [UNIT_HEADER, ["X02", None, "xã"]])
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>Xã Hai</t></si></sst>'
    ).encode()
    xml = sheet_xml(data).replace(b'<c r="C2"', b'<c r="B2" t="s"><v>0</v></c><c r="C2"')
    path = tmp_path / "excel.xlsx"
    data = with_shared_strings(data, strings)
    path.write_bytes(replace_part(data, "xl/worksheets/sheet1.xml", xml))

    run_command("import_units", str(path))

    assert Unit.objects.get().name == "Xã Hai"


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"]
)
def test_a_workbook_with_a_damaged_part_is_refused(tmp_path, admin_client, part):
    strings = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>X'
    data = with_shared_strings(workbook_bytes(tmp_path), strings + b"</t></si></sst>")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        truncated = archive.read(part)[: len(strings)]

    errors = refused(tmp_path, "hong.xlsx", replace_part(data, part, truncated), admin_client)

    assert errors == [BROKEN_XLSX.format(name="hong.xlsx")]


def test_a_workbook_part_of_garbage_is_refused(tmp_path, admin_client):
    data = replace_part(workbook_bytes(tmp_path), "xl/worksheets/sheet1.xml", b"\x00\xff" * 50)

    assert refused(tmp_path, "rac.xlsx", data, admin_client) == [
        BROKEN_XLSX.format(name="rac.xlsx")
    ]


def test_random_bytes_named_xlsx_are_refused(tmp_path, admin_client):
    data = bytes(range(256)) * 40

    assert refused(tmp_path, "ngau-nhien.xlsx", data, admin_client) == [
        BROKEN_XLSX.format(name="ngau-nhien.xlsx")
    ]


def test_an_xml_entity_bomb_inside_a_workbook_is_refused(tmp_path, admin_client):
    data = workbook_bytes(tmp_path)
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10 if n else "ha"}">' for n in range(9))
    bomb = sheet_xml(data).replace(b"<worksheet", f"<!DOCTYPE w [{entities}]><worksheet".encode())

    errors = refused(
        tmp_path, "bom.xlsx", replace_part(data, "xl/worksheets/sheet1.xml", bomb), admin_client
    )

    assert errors == [BROKEN_XLSX.format(name="bom.xlsx")]


def test_a_formula_saved_without_its_result_is_refused_naming_the_cells(tmp_path, admin_client):
    # openpyxl, like other programs, stores a formula but never its result.
    rows = [UNIT_HEADER, ["X02", '=UPPER("xã 2")', "xã"], ["X03", "=B2", "=C2"]]

    errors = refused(tmp_path, "cong-thuc.xlsx", workbook_bytes(tmp_path, rows), admin_client)

    assert errors == [
        "Ô B2, B3, C3 có công thức nhưng tệp không lưu kết quả đã tính, nên không đọc được "
        "giá trị. Hãy mở tệp bằng Excel rồi lưu lại, hoặc sao chép và dán dạng giá trị "
        "(Paste Special > Values), rồi nhập lại."
    ]


def test_a_formula_with_its_result_saved_is_read_as_that_result(tmp_path):
    data = workbook_bytes(tmp_path, [UNIT_HEADER, ["X02", "=B9", "xã"]])
    # What Excel saves: the formula and, beside it, the value it last computed.
    xml = re.sub(
        rb"<f>B9</f>(?:<v ?/>|<v></v>)", "<f>B9</f><v>Xã Hai</v>".encode(), sheet_xml(data)
    )
    xml = xml.replace(b'<c r="B2">', b'<c r="B2" t="str">')
    path = tmp_path / "excel.xlsx"
    path.write_bytes(replace_part(data, "xl/worksheets/sheet1.xml", xml))

    run_command("import_units", str(path))

    assert Unit.objects.get().name == "Xã Hai"


def test_a_csv_with_a_quote_left_open_is_refused_naming_the_row(tmp_path, admin_client):
    text = 'code,name,level\nX02,Xã Hai,xã\nX03,"Xã Ba,xã\nX04,Xã Bốn,xã\n'

    errors = refused(tmp_path, "ngoac.csv", text.encode(), admin_client)

    assert errors == [
        'Dòng 3: có dấu ngoặc kép (") mở mà không đóng, nên phần còn lại của tệp sẽ dồn vào '
        "một ô. Hãy sửa dòng này rồi nhập lại."
    ]


def test_a_csv_with_a_stray_quote_after_a_quoted_cell_is_refused(tmp_path, admin_client):
    text = 'code,name,level\nX02,"Xã" Hai,xã\n'

    assert refused(tmp_path, "ngoac.csv", text.encode(), admin_client) == [
        'Dòng 2: có dấu ngoặc kép (") đặt sai chỗ trong một ô. Hãy sửa dòng này rồi nhập lại.'
    ]


def test_a_zip_bomb_is_refused_by_the_sizes_it_declares(tmp_path, admin_client, settings):
    settings.IMPORT_MAX_MB = 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bom.bin", b"\x00" * (2 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < 10_000

    assert refused(tmp_path, "bom.xlsx", data, admin_client) == [
        "Tệp «bom.xlsx» lớn hơn 1 MB (kể cả khi giải nén), không nhập được: hãy chia thành "
        "nhiều tệp nhỏ hơn."
    ]


def test_a_zip_member_lying_about_its_size_is_refused(tmp_path, admin_client, settings):
    settings.IMPORT_MAX_MB = 1
    buffer = io.BytesIO(workbook_bytes(tmp_path))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/bom.bin", b"\x00" * (2 * 1024 * 1024))
    lying = bytearray(buffer.getvalue())
    # Declare 1,000 bytes where 2 MB unpack, in the local header and the directory.
    real = struct.pack("<I", 2 * 1024 * 1024)
    for offset in (i for i in range(len(lying) - 4) if lying[i : i + 4] == real):
        lying[offset : offset + 4] = struct.pack("<I", 1000)

    assert refused(tmp_path, "noi-doi.xlsx", bytes(lying), admin_client) == [
        BROKEN_XLSX.format(name="noi-doi.xlsx")
    ]


def test_rows_past_a_wrong_dimension_tag_are_all_read(tmp_path):
    data = workbook_bytes(tmp_path)
    # A program that wrote the tag for the first two rows only.
    xml = re.sub(rb'<dimension ref="A1:E6" ?/>', b'<dimension ref="A1:E3"/>', sheet_xml(data))
    assert b'ref="A1:E3"' in xml
    path = tmp_path / "sai-kich-thuoc.xlsx"
    path.write_bytes(replace_part(data, "xl/worksheets/sheet1.xml", xml))

    run_command("import_units", str(path))

    assert sorted(Unit.objects.values_list("code", flat=True)) == [
        "X01",
        "X02",
        "X03",
        "X04",
        "X05",
    ]


@pytest.mark.parametrize("name", ["nhieu-dong.csv", "nhieu-dong.xlsx"])
def test_a_file_with_more_rows_than_allowed_is_refused(tmp_path, admin_client, settings, name):
    settings.IMPORT_MAX_ROWS = 4
    write = write_csv if name.endswith(".csv") else write_xlsx
    data = write(tmp_path / name, UNITS).read_bytes()

    assert refused(tmp_path, name, data, admin_client) == [
        "Tệp có hơn 4 dòng dữ liệu, không nhập được: hãy chia thành nhiều tệp nhỏ hơn."
    ]


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, admin_client, settings):
    settings.IMPORT_MAX_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # through the limited upload handler
    text = "code,name,level\n" + "X09,Xã,xã\n" * 110_000

    assert refused(tmp_path, "lon.csv", text.encode(), admin_client) == [
        "Tệp «lon.csv» lớn hơn 1 MB (kể cả khi giải nén), không nhập được: hãy chia thành "
        "nhiều tệp nhỏ hơn."
    ]
