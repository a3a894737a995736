from decimal import Decimal

import pytest

from scoring.importing import ImportFailed, import_criteria
from scoring.models import FROZEN_MESSAGE, Criterion, CriterionLink, Framework
from tests.factories import AssessmentFactory, build_framework, row_counts, write_csv
from tests.scoring.import_helpers import failing_command, run_command

pytestmark = pytest.mark.django_db

HEADER = ["code", "parent_code", "title", "max_points", "min_points", "source", "order"]
# A parent after its children, points written both ways, a survey field, a penalty item.
ROWS = [
    ["1.1", "1", "Ban hành kế hoạch", "2", "", "", ""],
    ["1", "", "Công tác chỉ đạo, điều hành", "6", "", "", "1"],
    ["1.2", "1", "Báo cáo", "4", "", "", ""],
    ["1.2.1", "1.2", "Đúng hạn", "1,5", "", "", ""],
    ["1.2.2", "1.2", "Đủ nội dung", "2.5", "", "", ""],
    ["2", "", "Mức độ hài lòng", "3,125", "", "Điều tra xã hội học", "2"],
    ["3", "", "Trừ điểm vi phạm", "0", "-2", "assessment", "3"],
]


def import_args(path, name="Bộ chỉ số cấp xã 2023"):
    return (str(path), "--name", name, "--level", "xã", "--year-from", "2023")


def test_creates_the_framework_and_its_criteria_tree(tmp_path):
    path = write_csv(tmp_path / "bo-chi-so.csv", [HEADER, *ROWS])

    output = run_command(
        "import_framework", *import_args(path), "--year-to", "2025", "--decision", "QĐ 12/QĐ-UBND"
    )

    framework = Framework.objects.get()
    assert (framework.name, framework.level) == ("Bộ chỉ số cấp xã 2023", "commune")
    assert (framework.year_from, framework.year_to) == (2023, 2025)
    assert framework.decision == "QĐ 12/QĐ-UBND"
    criteria = list(framework.criteria.order_by("sort_key"))
    assert [(c.code, c.depth, c.is_leaf) for c in criteria] == [
        ("1", 0, False),
        ("1.1", 1, True),
        ("1.2", 1, False),
        ("1.2.1", 2, True),
        ("1.2.2", 2, True),
        ("2", 0, True),
        ("3", 0, True),
    ]
    by_code = {c.code: c for c in criteria}
    assert by_code["1.2.1"].parent == by_code["1.2"]
    assert by_code["1.2"].parent == by_code["1"]
    assert by_code["1"].parent is None
    assert by_code["1.2.1"].max_points == Decimal("1.5")
    assert by_code["2"].max_points == Decimal("3.125")
    assert by_code["2"].source == "survey"
    assert by_code["1"].source == "assessment"
    assert (by_code["3"].min_points, by_code["3"].max_points) == (Decimal(-2), Decimal(0))
    assert by_code["1"].title == "Công tác chỉ đạo, điều hành"
    # Closure links: every node to itself and to each ancestor.
    assert CriterionLink.objects.filter(descendant__framework=framework).count() == 7 + 6
    assert "Đã tạo bộ chỉ số «Bộ chỉ số cấp xã 2023» với 7 tiêu chí." in output


def test_leaves_may_be_the_fields_themselves(tmp_path):
    path = write_csv(
        tmp_path / "phang.csv",
        [HEADER[:4], ["1", "", "Lĩnh vực 1", "60"], ["2", "", "Lĩnh vực 2", "40"]],
    )

    run_command("import_framework", *import_args(path))

    assert list(Criterion.objects.values_list("code", "depth", "is_leaf")) == [
        ("1", 0, True),
        ("2", 0, True),
    ]


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            ["1.2.1", "1.2", "Đúng hạn", "1,2345", "", "", ""],
            "Dòng 5, cột max_points: «1,2345» có quá 3 chữ số thập phân.",
        ),
        (
            ["1.2.1", "1.2", "Đúng hạn", "một rưỡi", "", "", ""],
            "Dòng 5, cột max_points: «một rưỡi» không phải là số.",
        ),
        (
            ["1.2.1", "1.2", "Đúng hạn", "", "", "", ""],
            "Dòng 5, cột max_points: Không được để trống.",
        ),
        (
            ["1.2.1", "1.2", "Đúng hạn", "1,5", "2", "", ""],
            "Dòng 5, cột min_points: Điểm thấp nhất 2 lớn hơn điểm tối đa 1,5.",
        ),
        (
            ["1.2.1", "1.2", "Đúng hạn", "1,5", "", "phỏng vấn", ""],
            "Dòng 5, cột source: «phỏng vấn» không phải là nguồn điểm; dùng assessment, survey"
            " hoặc «Tự đánh giá, thẩm định», «Điều tra xã hội học».",
        ),
        (
            ["1.2.1", "1.2", "Đúng hạn", "1,5", "", "", "-1"],
            "Dòng 5, cột order: «-1» không phải là số thứ tự (số nguyên từ 0).",
        ),
        (
            ["1.2.1", "1.2", "", "1,5", "", "", ""],
            "Dòng 5, cột title: Không được để trống.",
        ),
        (
            ["1.2.1", "9", "Đúng hạn", "1,5", "", "", ""],
            "Dòng 5, cột parent_code: Không có tiêu chí cha mã «9».",
        ),
        (
            ["1.2.1", "1.2", "Đúng hạn", "1", "", "", ""],
            "Dòng 4, cột max_points: Điểm tối đa của «1.2» là 4 nhưng tổng điểm tối đa các "
            "tiêu chí con là 3,5.",
        ),
    ],
)
def test_refuses_a_bad_row_naming_its_row_and_column(tmp_path, bad_row, message):
    rows = [*ROWS]
    rows[3] = bad_row
    path = write_csv(tmp_path / "sai.csv", [HEADER, *rows])
    before = row_counts()

    errors = failing_command("import_framework", *import_args(path))

    assert message in errors
    assert row_counts() == before


def test_refuses_duplicate_codes(tmp_path):
    path = write_csv(tmp_path / "trung.csv", [HEADER, *ROWS, ["1.1", "1", "Lặp", "0", "", "", ""]])

    errors = failing_command("import_framework", *import_args(path))

    assert errors == ["Dòng 9, cột code: Mã tiêu chí «1.1» trùng với dòng 2."]
    assert not Framework.objects.exists()


def test_a_duplicate_code_is_not_also_blamed_on_its_parents_sum(tmp_path):
    # "1.3" typed as "1.2": which row was meant is unknown, so the sum of "1" is not judged.
    rows = [["1", "", "Lĩnh vực", "6"], ["1.1", "1", "A", "2"], ["1.2", "1", "B", "2"]]
    rows.append(["1.2", "1", "C", "2"])
    path = write_csv(tmp_path / "trung.csv", [HEADER[:4], *rows])

    errors = failing_command("import_framework", *import_args(path))

    assert errors == ["Dòng 5, cột code: Mã tiêu chí «1.2» trùng với dòng 4."]
    assert not Framework.objects.exists()


def test_refuses_a_cycle(tmp_path):
    rows = [["a", "b", "A", "1"], ["b", "a", "B", "1"], ["c", "", "C", "1"]]
    path = write_csv(tmp_path / "vong.csv", [HEADER[:4], *rows])

    errors = failing_command("import_framework", *import_args(path))

    assert errors == [
        "Dòng 2, cột parent_code: Tiêu chí «a» nằm trong một vòng lặp cha-con.",
        "Dòng 3, cột parent_code: Tiêu chí «b» nằm trong một vòng lặp cha-con.",
    ]
    assert row_counts() == {key: 0 for key in row_counts()}


def test_reports_every_error_of_the_file_at_once(tmp_path):
    rows = [
        ["1", "", "Lĩnh vực", "3"],
        ["1.1", "1", "A", "1,0001"],
        ["1.2", "1", "", "abc"],
        ["1.3", "7", "C", "x"],
    ]
    path = write_csv(tmp_path / "nhieu-loi.csv", [HEADER[:4], *rows])

    errors = failing_command("import_framework", *import_args(path))

    assert errors == [
        "Dòng 3, cột max_points: «1,0001» có quá 3 chữ số thập phân.",
        "Dòng 4, cột title: Không được để trống.",
        "Dòng 4, cột max_points: «abc» không phải là số.",
        "Dòng 5, cột parent_code: Không có tiêu chí cha mã «7».",
        "Dòng 5, cột max_points: «x» không phải là số.",
    ]


def test_judges_sums_only_once_the_unknown_parents_are_fixed(tmp_path):
    rows = [["1", "", "Lĩnh vực", "3"], ["1.1", "1", "A", "1"], ["1.2", "8", "B", "1"]]
    path = write_csv(tmp_path / "cha.csv", [HEADER[:4], *rows])

    errors = failing_command("import_framework", *import_args(path))

    assert errors == ["Dòng 4, cột parent_code: Không có tiêu chí cha mã «8»."]


def test_refuses_a_name_already_used(tmp_path):
    build_framework([("1", None, "1")], name="Bộ chỉ số cấp xã 2023")
    path = write_csv(tmp_path / "bo-chi-so.csv", [HEADER, *ROWS])
    before = row_counts()

    errors = failing_command("import_framework", *import_args(path))

    assert errors == ["Đã có bộ chỉ số tên «Bộ chỉ số cấp xã 2023»; phiên bản mới cần tên mới."]
    assert row_counts() == before


def test_refuses_an_unknown_level_and_years_out_of_order(tmp_path):
    path = write_csv(tmp_path / "bo-chi-so.csv", [HEADER, *ROWS])

    level = failing_command(
        "import_framework", str(path), "--name", "X", "--level", "thôn", "--year-from", "2023"
    )
    years = failing_command("import_framework", *import_args(path), "--year-to", "2020")

    assert level[0].startswith("Cấp áp dụng: «thôn» không phải là cấp đơn vị; dùng province,")
    assert years == ["đến năm: Năm kết thúc không được trước năm bắt đầu."]
    assert not Framework.objects.exists()


def test_updates_the_criteria_of_a_framework_not_yet_used(tmp_path):
    framework = build_framework([("1", None, "3"), ("1.1", "1", "1"), ("1.2", "1", "2")])
    path = write_csv(
        tmp_path / "sua.csv",
        [
            [*HEADER[:4], "order"],
            ["1", "", "Lĩnh vực mới", "4", "0"],
            ["1.3", "1", "Thêm", "1", "3"],
        ],
    )

    summary = import_criteria(path, framework=framework)

    assert (summary.created, summary.updated) == (1, 1)
    criteria = {c.code: c for c in framework.criteria.all()}
    assert criteria["1"].title == "Lĩnh vực mới"
    assert criteria["1"].max_points == Decimal(4)
    assert criteria["1.3"].parent == criteria["1"]
    assert [c.code for c in framework.criteria.filter(is_leaf=True)] == ["1.1", "1.2", "1.3"]


def test_checks_sums_against_the_criteria_already_stored(tmp_path):
    framework = build_framework([("1", None, "3"), ("1.1", "1", "1"), ("1.2", "1", "2")])
    path = write_csv(tmp_path / "sua.csv", [HEADER[:4], ["1.2", "1", "B", "2,5"]])

    with pytest.raises(ImportFailed) as raised:
        import_criteria(path, framework=framework)

    assert raised.value.errors == [
        "Điểm tối đa của «1» là 3 nhưng tổng điểm tối đa các tiêu chí con là 3,5."
    ]
    assert framework.criteria.get(code="1.2").max_points == Decimal(2)


def test_refuses_criteria_for_a_framework_in_use(tmp_path):
    framework = build_framework([("1", None, "3")], name="Bộ đang dùng")
    AssessmentFactory(framework=framework)
    path = write_csv(tmp_path / "sua.csv", [HEADER[:4], ["1", "", "Sửa", "3"]])
    before = row_counts()

    with pytest.raises(ImportFailed) as raised:
        import_criteria(path, framework=framework)

    assert raised.value.errors == [FROZEN_MESSAGE.format(name="Bộ đang dùng")]
    assert row_counts() == before
    assert framework.criteria.get().title == "Tiêu chí 1"
