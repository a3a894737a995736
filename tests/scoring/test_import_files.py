from decimal import Decimal

import pytest

from scoring.importing import ImportFailed, import_scores, import_units, load_dataset
from scoring.models import Criterion, Score, Unit
from tests.factories import UnitFactory, build_framework, row_counts, write_csv, write_xlsx
from tests.scoring.import_helpers import failing_command, run_command

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["code", "name", "level", "parent_code", "group"]


def test_reads_a_csv_with_bom_and_semicolons(tmp_path):
    rows = [UNIT_HEADER, ["H01", "Huyện An Lão", "Huyện, thị xã, thành phố", "", "Khối huyện"]]
    path = write_csv(tmp_path / "excel.csv", rows, delimiter=";", bom=True)

    import_units(path)

    unit = Unit.objects.get()
    assert (unit.code, unit.name, unit.level) == ("H01", "Huyện An Lão", "district")
    assert unit.ranking_group.name == "Khối huyện"


def test_reads_headers_in_any_case_and_spacing(tmp_path):
    rows = [[" Code", "NAME ", "Level"], ["X01", "Xã Cẩm Sơn", "xã"]]

    import_units(write_csv(tmp_path / "don-vi.csv", rows))

    assert Unit.objects.get().code == "X01"


def test_imports_a_framework_from_xlsx_with_numeric_cells(tmp_path):
    rows = [
        ["code", "parent_code", "title", "max_points", "order"],
        [1, None, "Lĩnh vực 1", 9.13, 1],
        ["1.1", 1, "Tiêu chí 1.1", 4.5, None],
        ["1.2", "1", "Tiêu chí 1.2", "4,63", None],
        [2, None, "Lĩnh vực 2", 2, 2],
        [None, None, None, None, None],
    ]
    path = write_xlsx(tmp_path / "bo-chi-so.xlsx", rows)

    run_command(
        "import_framework", str(path), "--name", "Xã", "--level", "commune", "--year-from", "2023"
    )

    criteria = {c.code: c for c in Criterion.objects.select_related("parent")}
    assert set(criteria) == {"1", "1.1", "1.2", "2"}
    assert criteria["1"].max_points == Decimal("9.13")
    assert criteria["1.1"].parent.code == "1"
    assert criteria["1.2"].max_points == Decimal("4.63")
    assert (criteria["1"].is_leaf, criteria["2"].is_leaf) == (False, True)


def test_refuses_xlsx_codes_stored_as_decimal_numbers(tmp_path):
    # "7.10" typed into a number cell is kept as 7.1: another criterion's code.
    rows = [
        ["code", "parent_code", "title", "max_points"],
        [7, None, "Lĩnh vực 7", 2],
        [7.1, 7, "Tiêu chí 7.1", 1],
        ["7.10", 7, "Tiêu chí 7.10", 1],
    ]
    path = write_xlsx(tmp_path / "bo-chi-so.xlsx", rows)

    errors = failing_command(
        "import_framework", str(path), "--name", "Xã", "--level", "commune", "--year-from", "2023"
    )

    assert errors == [
        "Dòng 3, cột code: Excel lưu mã «7.1» dưới dạng số nên có thể đã bỏ số 0 ở cuối "
        "(7.10 thành 7.1). Hãy định dạng cột mã là Văn bản (Text), gõ lại mã rồi nhập lại tệp."
    ]
    assert not Criterion.objects.exists()


def test_reads_xlsx_numbers_to_the_digits_excel_shows(tmp_path):
    # =1,5-0,07 is stored as 1.4300000000000002; Excel shows and counts 1,43.
    build_framework([("1", None, "1.5"), ("2", None, "1.5")])
    UnitFactory(code="X01")
    header = ["unit_code", "criterion_code", "self_score", "appraised_score", "note"]
    rows = [header, ["X01", 1, 1.5 - 0.07, 0.1 + 0.2, ""], ["X01", 2, 1.2345, None, ""]]
    path = write_xlsx(tmp_path / "diem.xlsx", rows)

    errors = failing_command("import_scores", str(path), "--year", "2023")
    assert errors == ["Dòng 3, cột self_score: «1.2345» có quá 3 chữ số thập phân."]

    write_xlsx(path, rows[:2])
    import_scores(path, year=2023)
    score = Score.objects.get()
    assert (score.self_score, score.appraised_score) == (Decimal("1.43"), Decimal("0.3"))


def test_imports_scores_from_xlsx(tmp_path):
    build_framework([("1", None, "10"), ("1.1", "1", "9.5"), ("1.2", "1", "0.5")])
    UnitFactory(code="X01")
    rows = [
        ["unit_code", "criterion_code", "self_score", "appraised_score", "note"],
        ["X01", "1.1", 9.13, "9,125", "Thiếu"],
        ["X01", "1.2", 0, None, None],
    ]

    import_scores(write_xlsx(tmp_path / "diem.xlsx", rows), year=2023)

    scores = dict(Score.objects.values_list("criterion__code", "self_score"))
    assert scores == {"1.1": Decimal("9.13"), "1.2": Decimal(0)}
    assert Score.objects.get(criterion__code="1.1").appraised_score == Decimal("9.125")


def test_refuses_bad_xlsx_numbers_naming_the_row(tmp_path):
    build_framework([("1", None, "10")])
    UnitFactory(code="X01")
    rows = [
        ["unit_code", "criterion_code", "self_score", "appraised_score", "note"],
        ["X01", 1, 9.1234, None, None],
    ]
    path = write_xlsx(tmp_path / "diem.xlsx", rows)

    errors = failing_command("import_scores", str(path), "--year", "2023")

    assert errors == ["Dòng 2, cột self_score: «9.1234» có quá 3 chữ số thập phân."]


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    rows = [UNIT_HEADER, ["X01", "Xã", "xã", "", ""], [], ["", "", "", "", ""], ["X02", "", "xã"]]

    errors = failing_command("import_units", str(write_csv(tmp_path / "trong.csv", rows)))

    assert errors == ["Dòng 5, cột name: Không được để trống."]
    assert not Unit.objects.exists()


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        (
            [["code", "name"], ["X01", "Xã"]],
            ["Tệp thiếu cột: level."],
        ),
        (
            [["stt", "code", "name", "level"], ["1", "X01", "Xã", "xã"]],
            [
                "Tệp có cột không dùng được: «stt». "
                "Các cột dùng được: code, name, level, parent_code, group, predecessor_codes, "
                "formed_in."
            ],
        ),
        (
            [["code", "name", "level", "code"], ["X01", "Xã", "xã", "X01"]],
            ["Cột «code» có nhiều lần."],
        ),
        (
            [["code", "name", "level"], ["X01", "Xã", "xã", "thừa"]],
            ["Cột thứ 4 không có tên ở dòng 1 nhưng có dữ liệu (dòng 2)."],
        ),
        ([["code", "name", "level"]], ["Tệp không có dòng dữ liệu nào."]),
        ([[""], []], ["Tệp trống."]),
    ],
)
def test_refuses_a_file_whose_columns_are_wrong(tmp_path, rows, errors):
    UnitFactory(code="X01", name="Xã cũ")
    before = row_counts()

    assert failing_command("import_units", str(write_csv(tmp_path / "sai.csv", rows))) == errors
    assert row_counts() == before
    assert Unit.objects.get().name == "Xã cũ"


def test_refuses_files_it_cannot_read(tmp_path):
    text = tmp_path / "ghi-chu.txt"
    text.write_text("code,name,level\n")
    legacy = tmp_path / "windows.csv"
    legacy.write_bytes("code,name,level\nX01,Xã An,xã\n".encode("latin-1"))
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"not a workbook")

    def errors(path):
        with pytest.raises(ImportFailed) as raised:
            load_dataset(path)
        return raised.value.errors

    assert errors(text) == ["Chỉ nhận tệp .csv hoặc .xlsx, không nhận «ghi-chu.txt»."]
    assert errors(tmp_path / "khong-co.csv") == [f"Không tìm thấy tệp «{tmp_path}/khong-co.csv»."]
    assert errors(legacy) == [
        "Tệp «windows.csv» không phải văn bản UTF-8; hãy lưu lại dạng «CSV UTF-8»."
    ]
    assert errors(broken) == [
        "Không đọc được tệp Excel «hong.xlsx»: tệp bị hỏng hoặc không phải tệp .xlsx. Hãy mở "
        "tệp bằng Excel, lưu lại dạng «Excel Workbook (.xlsx)» rồi nhập lại."
    ]
