"""Score files longer than one chunk: still all or nothing, every error told with its
row, duplicates found across chunks (the chunk is a few rows here, 20,000 in use)."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.importing import ImportFailed, import_scores, load_dataset, result_errors
from scoring.models import Assessment, Score
from scoring.resources import ScoreResource, reading
from tests.factories import (
    AssessmentFactory,
    RankingGroupFactory,
    UnitFactory,
    build_framework,
    row_counts,
    score_assessment,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

HEADER = ["unit_code", "criterion_code", "self_score", "appraised_score", "note"]
LEAVES = ["1", "2", "3", "4"]


@pytest.fixture
def framework():
    return build_framework(
        [(code, None, "2") for code in LEAVES], name="Bộ xã", level="commune", year_from=2020
    )


@pytest.fixture
def units():
    group = RankingGroupFactory(name="Khối xã")
    return [UnitFactory(code=f"X0{n}", ranking_group=group) for n in range(1, 4)]


def every_row(points: str = "1,5") -> list[list[str]]:
    """One row per unit and leaf: 12 rows, spreadsheet rows 2 to 13."""
    return [[f"X0{n}", leaf, points, "", ""] for n in range(1, 4) for leaf in LEAVES]


def refused(path, **options) -> list[str]:
    with pytest.raises(ImportFailed) as raised:
        import_scores(path, year=2023, **options)
    return raised.value.errors


def test_a_file_of_several_chunks_is_imported_whole(tmp_path, framework, units):
    path = write_csv(tmp_path / "diem.csv", [HEADER, *every_row()])

    summary = import_scores(path, year=2023, chunk_rows=5)

    assert (summary.created, summary.updated) == (12, 0)
    assert Assessment.objects.count() == 3
    assert set(Score.objects.values_list("self_score", flat=True)) == {Decimal("1.5")}
    assert Score.objects.count() == Score.history.filter(history_type="+").count() == 12


def test_updates_across_chunks_count_and_record_only_what_changed(tmp_path, framework, units):
    import_scores(write_csv(tmp_path / "lan-1.csv", [HEADER, *every_row()]), year=2023)
    Score.history.all().delete()
    Assessment.objects.update(version=1)
    rows = every_row()
    rows[5][2] = "2"  # X02, leaf 2: row 7, in the second chunk

    summary = import_scores(
        write_csv(tmp_path / "lan-2.csv", [HEADER, *rows]), year=2023, chunk_rows=5
    )

    assert (summary.created, summary.updated) == (0, 12)
    assert list(Score.history.values_list("assessment__unit__code", "criterion__code")) == [
        ("X02", "2")
    ]
    versions = dict(Assessment.objects.values_list("unit__code", "version"))
    assert versions == {"X01": 1, "X02": 2, "X03": 1}


def test_errors_in_several_chunks_are_all_told_and_nothing_is_written(tmp_path, framework, units):
    rows = every_row()
    rows[7][2] = "một"  # row 9, in the second chunk: the first chunk is written by then
    rows[11][2] = "5"  # row 13, the third chunk
    path = write_csv(tmp_path / "diem.csv", [HEADER, *rows])
    before = row_counts()

    errors = refused(path, chunk_rows=5)

    assert errors == [
        "Dòng 9, cột self_score: «một» không phải là số.",
        "Dòng 13, cột self_score: 5 nằm ngoài khoảng điểm của tiêu chí «4» (từ 0 đến 2).",
    ]
    assert row_counts() == before
    assert not Score.history.exists()


def test_duplicates_are_found_across_chunks(tmp_path, framework, units):
    rows = [*every_row(), ["X01", "2", "1", "", ""]]  # row 14 repeats row 3
    path = write_csv(tmp_path / "diem.csv", [HEADER, *rows])

    assert refused(path, chunk_rows=4) == [
        "Dòng 14, cột criterion_code: Đơn vị «X01», tiêu chí «2» trùng với dòng 3."
    ]
    assert not Score.objects.exists()


def test_a_unit_problem_is_told_on_its_first_row_counting_every_chunk(tmp_path, framework, units):
    AssessmentFactory(unit=units[1], year=2023, framework=framework, status="published")
    rows = every_row()
    rows[10][2] = "9"  # row 12, after X02's rows 6 to 9
    rows.append(["X09", "1", "1", "", ""])
    path = write_csv(tmp_path / "diem.csv", [HEADER, *rows])

    assert refused(path, chunk_rows=3) == [
        "Dòng 6, cột unit_code: Kết quả năm 2023 của đơn vị «X02» đã công bố, không nhập điểm "
        "vào được nữa (4 dòng có mã này).",
        "Dòng 12, cột self_score: 9 nằm ngoài khoảng điểm của tiêu chí «3» (từ 0 đến 2).",
        "Dòng 14, cột unit_code: Không có đơn vị mã «X09».",
    ]


def test_a_control_character_after_the_first_chunk_refuses_the_file_alone(
    tmp_path, framework, units
):
    rows = every_row()
    rows[2][2] = "7"  # a row error: not told, the file is refused whole
    rows[9][4] = "Thiếu\x00"
    path = write_csv(tmp_path / "diem.csv", [HEADER, *rows])
    before = row_counts()

    errors = refused(path, chunk_rows=2)

    assert errors == [
        "Dòng 11, cột note: Có ký tự điều khiển không hợp lệ (mã 0x00) ở ký tự thứ 6; hãy "
        "xóa ký tự đó rồi nhập lại."
    ]
    assert row_counts() == before


def test_cells_under_no_header_far_down_the_file_refuse_it(tmp_path, framework, units):
    rows = every_row()
    rows[10].append("thừa")
    path = write_csv(tmp_path / "diem.csv", [HEADER, *rows])

    assert refused(path, chunk_rows=2) == [
        "Cột thứ 6 không có tên ở dòng 1 nhưng có dữ liệu (dòng 12)."
    ]
    assert not Score.objects.exists()


def test_errors_past_the_limit_are_counted(tmp_path, framework, units, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ERRORS", 3)
    path = write_csv(tmp_path / "diem.csv", [HEADER, *every_row("9")])

    errors = refused(path, chunk_rows=5)
    with pytest.raises(CommandError) as raised:
        call_command("import_scores", str(path), "--year", "2023", stderr=io.StringIO())

    assert errors == [
        "Dòng 2, cột self_score: 9 nằm ngoài khoảng điểm của tiêu chí «1» (từ 0 đến 2).",
        "Dòng 3, cột self_score: 9 nằm ngoài khoảng điểm của tiêu chí «2» (từ 0 đến 2).",
        "Dòng 4, cột self_score: 9 nằm ngoài khoảng điểm của tiêu chí «3» (từ 0 đến 2).",
        "… và 9 lỗi khác.",
    ]
    assert str(raised.value) == "Không nhập được: 12 lỗi. Chưa ghi gì vào cơ sở dữ liệu."


def test_an_xlsx_file_streams_in_chunks(tmp_path, framework, units):
    path = write_xlsx(tmp_path / "diem.xlsx", [HEADER, *every_row()])

    summary = import_scores(path, year=2023, chunk_rows=5)

    assert summary.created == Score.objects.count() == 12


def test_a_code_stored_as_a_decimal_far_down_an_xlsx_file_refuses_it(tmp_path, framework, units):
    rows = every_row()
    rows[10][1] = 3.1  # "3.10" typed into a number cell
    path = write_xlsx(tmp_path / "diem.xlsx", [HEADER, *rows])

    assert refused(path, chunk_rows=2) == [
        "Dòng 12, cột criterion_code: Excel lưu mã «3.1» dưới dạng số nên có thể đã bỏ số 0 ở "
        "cuối (7.10 thành 7.1). Hãy định dạng cột mã là Văn bản (Text), gõ lại mã rồi nhập "
        "lại tệp."
    ]
    assert not Score.objects.exists()


def test_an_import_without_the_not_applicable_column_keeps_the_marks(tmp_path, framework, units):
    assessment = AssessmentFactory(unit=units[0], year=2023, framework=framework, status="draft")
    score_assessment(assessment, {"1": "1"})
    Score.objects.update(not_applicable=True)

    import_scores(write_csv(tmp_path / "diem.csv", [HEADER, ["X01", "1", "2", "", ""]]), year=2023)

    score = Score.objects.get()
    assert (score.self_score, score.not_applicable) == (Decimal(2), True)


def test_the_command_and_the_admin_agree_on_a_file_of_several_chunks(tmp_path, framework, units):
    rows = [
        ["X01", "1", "1,7501", "", ""],
        ["X09", "1", "1", "", ""],
        ["X01", "9", "1", "", ""],
        ["X02", "1", "1", "", ""],
        ["X09", "2", "1", "", ""],
        ["X01", "1", "1", "", ""],
        ["", "2", "1", "", ""],
    ]
    path = write_csv(tmp_path / "diem.csv", [HEADER, *rows])

    errors = refused(path, chunk_rows=2)
    preview = ScoreResource(year=2023).import_data(load_dataset(path), dry_run=True)

    assert errors == result_errors(preview)
    assert errors == [
        "Dòng 2, cột self_score: «1,7501» có quá 3 chữ số thập phân.",
        "Dòng 3, cột unit_code: Không có đơn vị mã «X09» (2 dòng có mã này).",
        "Dòng 4, cột criterion_code: Bộ chỉ số «Bộ xã» không có tiêu chí mã «9».",
        "Dòng 7, cột criterion_code: Đơn vị «X01», tiêu chí «1» trùng với dòng 2.",
        "Dòng 8, cột unit_code: Không được để trống.",
    ]


def test_each_chunk_takes_the_same_few_queries(tmp_path, framework, units):
    def queries(chunk_rows: int) -> int:
        Score.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            import_scores(path, year=2023, chunk_rows=chunk_rows)
        return len(captured)

    path = write_csv(tmp_path / "diem.csv", [HEADER, *every_row()])
    one_chunk = queries(12)
    three_chunks = queries(4)

    # Per chunk: the new units and their assessments looked up and created, the staging
    # table filled, the scores written with their history, and the stored tallies of
    # the assessments they moved refreshed: at most sixteen statements.
    assert one_chunk <= 21
    assert three_chunks <= one_chunk + 2 * 16
