"""reconcile_results on the demo khối's ranking as the system exports it, then with slips."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.formatting import format_percent, format_points
from scoring.demo import CAM_SON, COMMUNE_GROUP
from scoring.engine import group_ranking
from scoring.exports import ranking_table, render_csv, render_xlsx
from scoring.models import Assessment, AssessmentStatus, RankingGroup
from scoring.reconcile import reconcile_table
from scoring.reconcile.report import table_from_path
from tests.factories import load_demo_data
from tests.scoring.reconcile.helpers import SEED_004, run_reconcile

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported() -> list[list[str]]:
    """The demo khối's 2023 ranking as `export_results` writes it (CSV, machine headers)."""
    load_demo_data()
    table = ranking_table([RankingGroup.objects.get(name=COMMUNE_GROUP)], 2023)
    return list(csv.reader(io.StringIO(render_csv(table).decode("utf-8-sig"))))


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def cell(rows: list[list[str]], code: str, header: str) -> tuple[list[str], int]:
    row = next(row for row in rows if row[rows[0].index("unit_code")] == code)
    return row, rows[0].index(header)


def test_the_ranking_as_the_system_exports_it_reports_nothing(exported, tmp_path) -> None:
    status, lines = run_reconcile(write_rows(tmp_path / "xep-hang.csv", exported))

    assert status == 0
    assert lines == [
        f"So với kết quả khối «{COMMUNE_GROUP}» năm 2023 trong hệ thống: 23 đơn vị "
        "(đã công bố: 23).",
        "Không có chỗ sai lệch nào trong 23 dòng.",
    ]


def test_the_exported_workbook_with_its_title_row_reports_nothing(exported, tmp_path) -> None:
    table = ranking_table([RankingGroup.objects.get(name=COMMUNE_GROUP)], 2023)
    path = tmp_path / "xep-hang.xlsx"
    path.write_bytes(render_xlsx(table))

    assert run_reconcile(path)[0] == 0


def test_a_wrong_total_rank_index_and_classification_are_each_reported(exported, tmp_path) -> None:
    cam_son, score = cell(exported, CAM_SON, "score")
    cam_son[score] = "86.08"
    third = next(row for row in exported[1:] if row[0] == "5")
    third[0] = "4"
    fourth = exported[7]
    index = exported[0].index("index_pct")
    right_index = fourth[index]
    fourth[index] = "70"
    last = exported[-1]
    band = exported[0].index("classification")
    right_band = last[band]
    last[band] = "Xuất sắc"

    status, lines = run_reconcile(write_rows(tmp_path / "sai.csv", exported))

    assert status == 1
    name = exported[0].index("unit_name")
    assert lines[1:] == [
        "Dòng 4 (Xã Cẩm Sơn): tổng điểm 86,08 nhưng cộng các lĩnh vực được 85,08",
        f"Dòng 6 ({third[name]}): xếp hạng 4 nhưng theo điểm trong bảng thì xếp thứ 5",
        f"Dòng 8 ({fourth[name]}): chỉ số 70% nhưng tổng điểm ÷ điểm tối đa = "
        f"{right_index.replace('.', ',')}%",
        f"Dòng 24 ({last[name]}): xếp loại «Xuất sắc» nhưng theo chỉ số thì là «{right_band}»",
        "Có 4 chỗ sai lệch trong 23 dòng.",
    ]


def test_unknown_and_missing_units_are_reported(exported, tmp_path) -> None:
    code = exported[0].index("unit_code")
    dropped = exported.pop(2)
    exported[1][code] = "HT-CX-KHONG"

    status, lines = run_reconcile(write_rows(tmp_path / "thieu.csv", exported))

    assert status == 1
    name = exported[0].index("unit_name")
    assert f"Dòng 2 ({exported[1][name]}): không có đơn vị mã này trong hệ thống" in lines
    assert any(line.startswith(f"{dropped[name]} ({dropped[code]}): thuộc khối") for line in lines)
    assert lines[-1] == "Có 3 chỗ sai lệch trong 22 dòng."


def test_reconciling_runs_a_bounded_number_of_queries(exported, tmp_path) -> None:
    counts = []
    for size in (5, 23):
        table = table_from_path(write_rows(tmp_path / f"{size}.csv", exported[: size + 1]))
        with CaptureQueriesContext(connection) as queries:
            result = reconcile_table(table, 2023)
        counts.append(len(queries))
        assert len(result.differences) == 23 - size  # the units left out
    assert counts[0] == counts[1] <= 8


def test_a_hand_typed_table_by_name_in_vietnamese_reports_nothing(exported, tmp_path) -> None:
    ranking = group_ranking(RankingGroup.objects.get(name=COMMUNE_GROUP), 2023)
    rows = [["Xếp thứ", "Tên đơn vị", "Tổng điểm", "Chỉ số (%)", "Xếp loại"]]
    rows += [
        [
            f"{row.rank}/{len(ranking.rows)}",
            row.unit_name.upper(),  # case and accents do not matter
            format_points(row.tally.achieved),
            format_percent(row.tally.index_pct),
            row.classification,
        ]
        for row in ranking.rows
    ]
    assert rows[3][:3] == ["3/23", "XÃ CẨM SƠN", "85,08"]

    status, lines = run_reconcile(write_rows(tmp_path / "go-tay.csv", rows))

    assert (status, lines[-1]) == (0, "Không có chỗ sai lệch nào trong 23 dòng.")


def test_a_rank_out_of_the_wrong_number_of_units_is_reported(exported, tmp_path) -> None:
    ranking = group_ranking(RankingGroup.objects.get(name=COMMUNE_GROUP), 2023)
    rows = [["Hạng", "Tên đơn vị"]]
    rows += [[f"{row.rank}/22", row.unit_name] for row in ranking.rows]

    status, lines = run_reconcile(write_rows(tmp_path / "hang.csv", rows))

    assert status == 1
    assert "Dòng 4 (Xã Cẩm Sơn): xếp hạng trên 22 đơn vị nhưng khối có 23 đơn vị" in lines
    assert lines[-1] == "Có 23 chỗ sai lệch trong 23 dòng."


def test_a_unit_breakdown_as_the_system_exports_it_reports_nothing(exported, tmp_path) -> None:
    path = tmp_path / "cam-son.csv"
    call_command("export_results", "--year", "2023", "--unit", CAM_SON, "--output", str(path))

    status, lines = run_reconcile(path)

    assert (status, lines[-1]) == (0, "Không có chỗ sai lệch nào trong 25 dòng.")


def export_breakdown(path: Path) -> list[list[str]]:
    call_command("export_results", "--year", "2023", "--unit", CAM_SON, "--output", str(path))
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_a_unit_breakdown_matches_the_system_criterion_by_criterion(exported, tmp_path) -> None:
    path = tmp_path / "a.csv"
    export_breakdown(path)

    status, lines = run_reconcile(path, 2023, "--unit", CAM_SON)

    assert status == 0
    assert "So với kết quả của Xã Cẩm Sơn năm 2023 trong hệ thống (đã công bố)." in lines


def test_one_wrong_criterion_of_a_breakdown_is_reported_once(exported, tmp_path) -> None:
    rows = export_breakdown(tmp_path / "a.csv")
    criterion = next(row for row in rows if row[0] == "1.3")
    criterion[rows[0].index("final_score")] = "0.6"  # its deduction and field 1 stay right

    status, lines = run_reconcile(write_rows(tmp_path / "b.csv", rows), 2023, "--unit", CAM_SON)

    assert status == 1
    assert lines[-2:] == [
        "Dòng 5 (1.3. Đổi mới, sáng tạo trong triển khai nhiệm vụ CCHC): điểm đạt 0,6 nhưng "
        "hệ thống tính được 0,5",
        "Có 1 chỗ sai lệch trong 25 dòng.",
    ]


def test_the_command_compares_unpublished_results_and_says_their_status(exported, tmp_path) -> None:
    Assessment.objects.filter(unit__code=CAM_SON, year=2023).update(
        status=AssessmentStatus.APPRAISED
    )

    status, lines = run_reconcile(write_rows(tmp_path / "xep-hang.csv", exported))

    assert status == 0
    assert lines[0] == (
        f"So với kết quả khối «{COMMUNE_GROUP}» năm 2023 trong hệ thống: 23 đơn vị "
        "(đã thẩm định: 1, đã công bố: 22)."
    )


def test_a_unit_unknown_to_the_system_is_reported_for_a_detailed_table(tmp_path) -> None:
    status, lines = run_reconcile(SEED_004, 2023, "--unit", "KHONG-CO")

    assert status == 1
    assert "KHONG-CO: không có kết quả đánh giá năm 2023 trong hệ thống" in lines


def test_a_unit_listed_twice_is_reported_on_its_second_row(exported, tmp_path) -> None:
    code = exported[0].index("unit_code")
    first = next(n for n, row in enumerate(exported) if row[code] == CAM_SON)
    exported.append(list(exported[first]))

    status, lines = run_reconcile(write_rows(tmp_path / "lap.csv", exported))

    assert status == 1
    # Rows are numbered as a spreadsheet shows them: the header is row 1.
    assert f"Dòng {len(exported)} (Xã Cẩm Sơn): đơn vị này đã có ở dòng {first + 1}" in lines
