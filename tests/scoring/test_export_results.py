import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import Score
from tests.factories import (
    AssessmentFactory,
    RankingGroupFactory,
    UnitFactory,
    add_bands,
    build_framework,
    score_assessment,
    update_scores,
)

pytestmark = pytest.mark.django_db

# 100 points: field 1 (60) with sub-criteria under 1.2, field 2 (40) a leaf.
TREE = [
    ("1", None, "60"),
    ("1.1", "1", "20"),
    ("1.2", "1", "40"),
    ("1.2.1", "1.2", "14.5"),
    ("1.2.2", "1.2", "25.5"),
    ("2", None, "40"),
]
FULL = {"1.1": "20", "1.2.1": "14.5", "1.2.2": "25.5"}


@pytest.fixture
def framework():
    return build_framework(TREE)


@pytest.fixture
def communes(framework):
    """Khối xã: 2022 B, A, D; 2023 A 85.08, E 84.305 %, B = C 71, D 40 (one leaf unscored)."""
    group = RankingGroupFactory(name="Khối xã")
    add_bands(group)
    units = {
        code: UnitFactory(code=code, name=f"Xã {code}", ranking_group=group) for code in "ABCDE"
    }
    for code, points in {
        "B": {**FULL, "2": "35"},
        "A": {**FULL, "2": "25"},
        "D": {"2": "35"},
    }.items():
        score_assessment(
            AssessmentFactory(unit=units[code], framework=framework, year=2022), points
        )

    def scored(code: str, points: dict) -> None:
        score_assessment(
            AssessmentFactory(unit=units[code], framework=framework, year=2023), points
        )

    scored("A", {**FULL, "2": "30.08"})
    update_scores(
        Score.objects.filter(
            assessment__unit__code="A", assessment__year=2023, criterion__code="1.2.2"
        ),
        appraised_score=Decimal("20.5"),
        note="Thiếu tài liệu kiểm chứng",
    )
    scored("B", {**FULL, "1.1": "11", "2": "20"})
    scored("C", {**FULL, "1.1": "11", "2": "20"})
    scored("D", {"1.1": "10", "1.2.1": "10", "2": "20"})
    # E: criterion 1.1 does not apply, so 67.444 of 80 = 84.305 %.
    scored("E", {"1.2.1": "14.5", "1.2.2": "25.5", "2": "27.444"})
    Score.objects.create(
        assessment=units["E"].assessments.get(),
        criterion=framework.criteria.get(code="1.1"),
        not_applicable=True,
    )
    return group


def export(**options) -> str:
    out = io.StringIO()
    call_command("export_results", stdout=out, **options)
    return out.getvalue()


def read_csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_group_csv_ranks_units_with_ties_and_last_year(communes):
    rows = read_csv(export(year=2023, group="Khối xã"))

    assert [(r["rank"], r["unit_code"]) for r in rows] == [
        ("1", "A"),
        ("2", "E"),
        ("3", "B"),
        ("3", "C"),
        ("5", "D"),
    ]
    a, e, b, c, d = rows
    assert a == {
        "rank": "1",
        "unit_code": "A",
        "unit_name": "Xã A",
        "group": "Khối xã",
        "score": "85.08",
        "max_points": "100",
        "deducted": "14.92",
        "index_pct": "85.08",
        "prev_rank": "2",
        "rank_change": "1",
        "prev_score": "85",
        "score_change": "0.08",
        "classification": "Khá",
        "field_1": "55",
        "field_2": "30.08",
    }
    assert (e["score"], e["max_points"], e["deducted"], e["index_pct"]) == (
        "67.444",
        "80",
        "12.556",
        "84.31",
    )
    assert (e["prev_rank"], e["rank_change"], e["prev_score"], e["score_change"]) == (
        "",
        "",
        "",
        "",
    )
    assert (b["prev_rank"], b["rank_change"], b["score_change"], b["field_1"]) == (
        "1",
        "-2",
        "-24",
        "51",
    )
    assert (d["rank_change"], d["score_change"], d["classification"]) == ("-2", "5", "")
    assert c["classification"] == "Trung bình"


def test_csv_columns_are_exactly_the_issues_in_its_order(communes):
    group_header = export(year=2023, group="Khối xã").removeprefix("\ufeff").splitlines()[0]
    unit_header = export(year=2023, unit="A").removeprefix("\ufeff").splitlines()[0]

    assert group_header.split(",") == [
        *("rank", "unit_code", "unit_name", "group", "score", "max_points", "deducted"),
        *("index_pct", "prev_rank", "rank_change", "prev_score", "score_change"),
        *("classification", "field_1", "field_2"),
    ]
    assert unit_header.split(",") == [
        *("code", "parent_code", "title", "max_points", "self_score", "appraised_score"),
        *("final_score", "deducted", "note"),
    ]


def test_without_group_every_group_of_the_year_follows_the_other(communes):
    districts = RankingGroupFactory(name="Khối huyện")
    other = build_framework([("1", None, "10"), ("2", None, "10"), ("3", None, "80")])
    assessment = AssessmentFactory(
        unit=UnitFactory(code="H1", ranking_group=districts), framework=other, year=2023
    )
    score_assessment(assessment, {"1": "9.5", "2": "10", "3": "70"})

    text = export(year=2023)
    header = text.removeprefix("\ufeff").splitlines()[0]
    rows = read_csv(text)

    assert header.endswith("classification,field_1,field_2,field_3")
    assert [(r["group"], r["unit_code"], r["rank"]) for r in rows] == [
        ("Khối huyện", "H1", "1"),
        ("Khối xã", "A", "1"),
        ("Khối xã", "E", "2"),
        ("Khối xã", "B", "3"),
        ("Khối xã", "C", "3"),
        ("Khối xã", "D", "5"),
    ]
    assert (rows[0]["field_1"], rows[0]["field_3"], rows[0]["score"]) == ("9.5", "70", "89.5")
    assert rows[1]["field_3"] == ""


def test_unit_csv_lists_every_node_with_parents_sums(communes):
    rows = read_csv(export(year=2023, unit="A"))

    columns = ["code", "parent_code", "max_points", "self_score", "appraised_score"]
    columns += ["final_score", "deducted"]
    assert [[r[c] for c in columns] for r in rows] == [
        ["1", "", "60", "", "", "55", "5"],
        ["1.1", "1", "20", "20", "", "20", "0"],
        ["1.2", "1", "40", "", "", "35", "5"],
        ["1.2.1", "1.2", "14.5", "14.5", "", "14.5", "0"],
        ["1.2.2", "1.2", "25.5", "25.5", "20.5", "20.5", "5"],
        ["2", "", "40", "30.08", "", "30.08", "9.92"],
    ]
    assert rows[4]["note"] == "Thiếu tài liệu kiểm chứng"
    assert rows[4]["title"] == "Tiêu chí 1.2.2"


def test_unit_csv_leaves_an_unscored_leaf_empty_and_deducts_its_max(communes):
    rows = {r["code"]: r for r in read_csv(export(year=2023, unit="D"))}

    assert (rows["1.2.2"]["final_score"], rows["1.2.2"]["deducted"]) == ("", "25.5")
    assert (rows["1.2"]["final_score"], rows["1.2"]["deducted"]) == ("10", "30")


def test_unit_csv_drops_a_not_applicable_leaf_from_the_max(communes):
    rows = {r["code"]: r for r in read_csv(export(year=2023, unit="E"))}

    assert (rows["1.1"]["max_points"], rows["1.1"]["deducted"]) == ("0", "0")
    assert (rows["1"]["max_points"], rows["1"]["final_score"]) == ("40", "40")


def test_csv_written_to_a_file_is_the_same_as_stdout(communes, tmp_path):
    target = tmp_path / "ket-qua.csv"

    export(year=2023, group="Khối xã", output=str(target))

    assert target.read_bytes().decode("utf-8") == export(year=2023, group="Khối xã")
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")


def test_group_xlsx_has_a_title_bold_worded_headers_and_numeric_cells(communes, tmp_path):
    target = tmp_path / "ket-qua.xlsx"

    export(year=2023, group="Khối xã", format="xlsx", output=str(target))

    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "Kết quả Chỉ số cải cách hành chính năm 2023 · Khối xã"
    header = [cell.value for cell in sheet[2]]
    assert header[:5] == ["Hạng", "Mã đơn vị", "Đơn vị", "Khối", "Tổng điểm"]
    assert header[-2:] == ["1. Tiêu chí 1 (60 điểm)", "2. Tiêu chí 2 (40 điểm)"]
    assert all(cell.font.bold for cell in sheet[2])
    first = dict(zip(header, [cell.value for cell in sheet[3]], strict=True))
    assert first["Hạng"] == 1 and first["Đơn vị"] == "Xã A"
    numbers = [
        "Tổng điểm",
        "Điểm tối đa",
        "Điểm bị trừ",
        "Chỉ số (%)",
        "Thay đổi điểm",
        "2. Tiêu chí 2 (40 điểm)",
    ]
    assert {
        name: sheet.cell(3, header.index(name) + 1).data_type for name in numbers
    } == dict.fromkeys(numbers, "n")
    assert {sheet.cell(3, header.index(name) + 1).number_format for name in numbers} == {"0.00"}
    assert [Decimal(str(first[name])) for name in numbers] == [
        Decimal("85.08"),
        Decimal("100"),
        Decimal("14.92"),
        Decimal("85.08"),
        Decimal("0.08"),
        Decimal("30.08"),
    ]
    ranks = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert ranks == [1, 2, 3, 3, 5]
    e_row = [cell.value for cell in sheet[4]]
    assert e_row[header.index("Hạng năm trước")] is None


def test_unit_xlsx_has_numeric_points(communes, tmp_path):
    target = tmp_path / "A.xlsx"

    export(year=2023, unit="A", format="xlsx", output=str(target))

    title, *rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert title[0] == "Điểm từng tiêu chí năm 2023 · Xã A (A)"
    assert rows[0][:4] == ("Mã tiêu chí", "Thuộc tiêu chí", "Tiêu chí", "Điểm tối đa")
    assert rows[5][:4] == ("1.2.2", "1.2", "Tiêu chí 1.2.2", 25.5)
    assert rows[5][5:8] == (20.5, 20.5, 5)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"year": 2023, "group": "Khối không có"}, "Không có khối xếp hạng tên «Khối không có»."),
        ({"year": 2023, "unit": "ZZZ"}, "Không có đơn vị mã «ZZZ»."),
        (
            {"year": 2030, "group": "Khối xã"},
            "Khối «Khối xã» không có kết quả đánh giá nào năm 2030.",
        ),
        ({"year": 2030, "unit": "A"}, "Đơn vị «A» không có kết quả đánh giá năm 2030."),
        ({"year": 2030}, "Năm 2030 không có kết quả đánh giá nào thuộc khối xếp hạng."),
        ({"year": 2023, "format": "xlsx"}, "Xuất xlsx cần chỉ rõ tệp kết quả: --output TỆP.xlsx"),
        (
            {"year": 2023, "group": "Khối xã", "unit": "A"},
            "Chỉ dùng một trong hai: --group hoặc --unit.",
        ),
    ],
)
def test_refusals_are_explained_in_vietnamese(communes, options, message):
    with pytest.raises(CommandError) as refused:
        export(**options)

    assert str(refused.value) == message


def test_an_unwritable_output_is_refused(communes, tmp_path):
    with pytest.raises(CommandError, match="Không ghi được tệp"):
        export(year=2023, output=str(tmp_path / "missing" / "x.csv"))


def _group_of(framework, size: int, year: int = 2023) -> None:
    group = RankingGroupFactory(name=f"Khối {size}")
    for index in range(size):
        unit = UnitFactory(ranking_group=group)
        for assessed_year in (year - 1, year):
            assessment = AssessmentFactory(unit=unit, framework=framework, year=assessed_year)
            score_assessment(assessment, {**FULL, "2": str(index % 40)})


def test_export_query_count_does_not_grow_with_units(framework):
    _group_of(framework, 5)
    _group_of(framework, 50)

    counts = []
    for name in ("Khối 5", "Khối 50"):
        with CaptureQueriesContext(connection) as queries:
            rows = read_csv(export(year=2023, group=name))
        counts.append(len(queries))
        assert len(rows) == int(name.split()[1])

    # group, ranking, bands, field codes, field points, merged units' labels
    assert counts[0] == counts[1] == 6
