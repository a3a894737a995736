"""A NUL or another control character in an imported file: the whole file is refused,
each cell named by row and column, nothing written, a non-zero exit for the commands."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import UnitFactory, build_framework, row_counts, write_csv
from tests.scoring.import_helpers import failing_command

pytestmark = pytest.mark.django_db

HEADER = ["unit_code", "criterion_code", "self_score", "appraised_score", "note"]
NUL_AT = "Có ký tự điều khiển không hợp lệ (mã 0x00) ở ký tự thứ {}; hãy xóa ký tự đó rồi nhập lại."


@pytest.fixture
def scored_world():
    build_framework([("1", None, "2"), ("2", None, "2")], level="commune", year_from=2020)
    UnitFactory(code="X01")


def test_a_nul_in_a_score_file_refuses_the_file_and_names_each_cell(tmp_path, scored_world):
    path = write_csv(
        tmp_path / "diem.csv",
        [HEADER, ["X01", "1", "2", "", "Thiếu\x00 báo cáo"], ["X01\x00", "2", "1", "", ""]],
    )
    before = row_counts()

    errors = failing_command("import_scores", str(path), "--year", "2023")

    assert f"Dòng 2, cột note: {NUL_AT.format(6)}" in errors
    assert f"Dòng 3, cột unit_code: {NUL_AT.format(4)}" in errors
    assert row_counts() == before


def test_another_control_character_in_a_unit_file_is_refused(tmp_path):
    path = write_csv(
        tmp_path / "don-vi.csv",
        [["code", "name", "level"], ["X01", "Xã\x1b Cẩm Sơn", "xã"]],
    )

    errors = failing_command("import_units", str(path))

    assert (
        "Dòng 2, cột name: Có ký tự điều khiển không hợp lệ (mã 0x1b) ở ký tự thứ 3; "
        "hãy xóa ký tự đó rồi nhập lại." in errors
    )
    assert row_counts()["Unit"] == 0


def test_a_file_full_of_nuls_names_twenty_cells_and_counts_the_rest(tmp_path, scored_world):
    rows = [["X01", "1", "2", "", f"ghi chú\x00 {n}"] for n in range(25)]
    path = write_csv(tmp_path / "diem.csv", [HEADER, *rows])

    errors = failing_command("import_scores", str(path), "--year", "2023")

    assert sum("mã 0x00" in line for line in errors) == 20
    assert any("Còn 5 ô khác như vậy." in line for line in errors)


def test_the_admin_import_refuses_a_nul_in_the_preview(admin_client, scored_world):
    text = "code,name,level\nX02,Xã\x00 Mới,xã\n"
    upload = SimpleUploadedFile("tep.csv", text.encode("utf-8"), content_type="text/csv")
    before = row_counts()

    response = admin_client.post(
        reverse("admin:scoring_unit_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )

    assert response.status_code == 200
    assert f"Dòng 2, cột name: {NUL_AT.format(3)}" in response.content.decode()
    assert row_counts() == before
