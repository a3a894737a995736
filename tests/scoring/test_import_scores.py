from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scoring.engine import assessment_breakdown
from scoring.history import criterion_history
from scoring.importing import ImportFailed, import_scores, load_dataset, result_errors
from scoring.models import Assessment, Criterion, Score
from scoring.resources import ScoreResource
from tests.factories import (
    AssessmentFactory,
    RankingGroupFactory,
    UnitFactory,
    build_framework,
    row_counts,
    score_assessment,
    update_scores,
    write_csv,
)
from tests.scoring.import_helpers import failing_command, run_command

pytestmark = pytest.mark.django_db

TREE = [
    ("1", None, "6"),
    ("1.1", "1", "2"),
    ("1.2", "1", "4"),
    ("1.2.1", "1.2", "1.5"),
    ("1.2.2", "1.2", "2.5"),
    ("2", None, "4"),
    ("3", None, "0"),  # penalty item, down to -2
]
HEADER = ["unit_code", "criterion_code", "self_score", "appraised_score", "note", "not_applicable"]
ROWS = [
    ["X01", "1.1", "1,75", "", "Thiếu báo cáo quý IV", ""],
    ["X01", "1.2.1", "1.5", "", "", "0"],
    ["X01", "1.2.2", "2,125", "2", "Trừ 0,5 điểm khi thẩm định", "không"],
    ["X01", "2", "4", "3,875", "", "false"],
    ["X01", "3", "-1", "", "Vi phạm kỷ luật", ""],
    ["X02", "1.1", "2", "", "", ""],
    ["X02", "1.2.1", "", "", "Chưa có hoạt động", "x"],
    ["X02", "1.2.2", "2.5", "", "", "có"],
    ["X02", "2", "3,5", "", "", ""],
    ["X02", "3", "", "", "", "true"],
]


def make_framework(**fields):
    framework = build_framework(TREE, **fields)
    Criterion.objects.filter(framework=framework, code="3").update(min_points=Decimal(-2))
    return framework


@pytest.fixture
def framework():
    return make_framework(name="Bộ chỉ số cấp xã", level="commune", year_from=2020)


@pytest.fixture
def units():
    group = RankingGroupFactory(name="Khối xã")
    return [UnitFactory(code=code, ranking_group=group) for code in ("X01", "X02")]


def scores_file(tmp_path, rows=ROWS, name="diem.csv"):
    return write_csv(tmp_path / name, [HEADER, *rows])


def test_imports_scores_and_creates_the_assessments(tmp_path, framework, units):
    output = run_command("import_scores", str(scores_file(tmp_path)), "--year", "2023")

    assessments = {a.unit.code: a for a in Assessment.objects.select_related("unit")}
    assert set(assessments) == {"X01", "X02"}
    for unit in units:
        assessment = assessments[unit.code]
        assert (assessment.year, assessment.framework, assessment.status) == (
            2023,
            framework,
            "draft",
        )
        assert assessment.ranking_group.name == "Khối xã"
    score = Score.objects.get(assessment=assessments["X01"], criterion__code="1.2.2")
    assert (score.self_score, score.appraised_score) == (Decimal("2.125"), Decimal(2))
    assert score.note == "Trừ 0,5 điểm khi thẩm định"
    assert not score.not_applicable
    assert Score.objects.get(assessment=assessments["X02"], criterion__code="1.2.1").not_applicable

    first = assessment_breakdown(assessments["X01"])
    assert first.node("1").tally.achieved == Decimal("5.25")
    assert first.node("3").tally.achieved == Decimal(-1)
    assert first.total.max_points == Decimal(10)
    assert first.total.achieved == Decimal("8.125")
    assert (first.appraised_leaves, first.self_scored_leaves) == (2, 3)
    second = assessment_breakdown(assessments["X02"])
    # Not applicable, 1.2.1 and 1.2.2 leave both score and max: 2 of 6 and 3,5 of 4 remain.
    assert second.node("1").tally.max_points == Decimal(2)
    assert second.total.max_points == Decimal(6)
    assert second.total.achieved == Decimal("5.5")
    assert second.unscored_leaves == 0
    assert "Đã nhập điểm: 10 dòng tạo mới, 0 dòng cập nhật." in output


def test_reads_points_with_a_comma_or_a_point(tmp_path, framework, units):
    rows = [["X01", "1.1", "1,13", "1.13", "", ""], ["X02", "1.1", "1.13", "1,13", "", ""]]

    import_scores(scores_file(tmp_path, rows), year=2023)

    assert set(Score.objects.values_list("self_score", "appraised_score")) == {
        (Decimal("1.13"), Decimal("1.13"))
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", True),
        ("x", True),
        ("X", True),
        ("có", True),
        ("true", True),
        ("0", False),
        ("không", False),
        ("false", False),
        ("", False),
    ],
)
def test_reads_not_applicable_written_many_ways(tmp_path, framework, units, text, value):
    import_scores(scores_file(tmp_path, [["X01", "1.1", "", "", "", text]]), year=2023)

    assert Score.objects.get().not_applicable is value


def test_the_group_of_the_year_stays_when_the_unit_changes_group(tmp_path, framework, units):
    import_scores(scores_file(tmp_path), year=2023)
    units[0].ranking_group = RankingGroupFactory(name="Khối mới")
    units[0].save()

    assert Assessment.objects.get(unit=units[0]).ranking_group.name == "Khối xã"


def test_chooses_the_framework_of_the_unit_level_and_year(tmp_path):
    old = make_framework(name="Xã 2018-2021", level="commune", year_from=2018, year_to=2021)
    new = make_framework(name="Xã từ 2022", level="commune", year_from=2022)
    district = make_framework(name="Huyện", level="district", year_from=2015)
    UnitFactory(code="X01")
    UnitFactory(code="H01", level="district")
    rows = [["X01", "1.1", "1", "", "", ""], ["H01", "1.1", "1", "", "", ""]]

    import_scores(scores_file(tmp_path, rows, "2023.csv"), year=2023)
    import_scores(scores_file(tmp_path, rows[:1], "2021.csv"), year=2021)

    chosen = {(a.unit.code, a.year): a.framework for a in Assessment.objects.all()}
    assert chosen == {("X01", 2023): new, ("H01", 2023): district, ("X01", 2021): old}


def test_uses_the_framework_named(tmp_path, units):
    make_framework(name="Xã từ 2022", level="commune", year_from=2022)
    named = make_framework(name="Xã thí điểm", level="commune", year_from=2022)

    run_command(
        "import_scores", str(scores_file(tmp_path)), "--year", "2023", "--framework", "Xã thí điểm"
    )

    assert {a.framework for a in Assessment.objects.all()} == {named}


def test_updates_the_scores_already_there(tmp_path, framework, units):
    assessment = AssessmentFactory(
        unit=units[0], year=2023, framework=framework, status="submitted"
    )
    score_assessment(assessment, {"1.1": "0,5", "2": "1"})

    summary = import_scores(scores_file(tmp_path, ROWS[:2]), year=2023)

    assert (summary.created, summary.updated) == (1, 1)
    assert Assessment.objects.get() == assessment
    assert Score.objects.get(criterion__code="1.1").self_score == Decimal("1.75")
    assert Score.objects.get(criterion__code="1.1").note == "Thiếu báo cáo quý IV"
    assert Score.objects.get(criterion__code="2").self_score == Decimal(1)


def test_history_records_what_each_import_created_or_changed(tmp_path, framework, units):
    assessment = AssessmentFactory(
        unit=units[0], year=2023, framework=framework, status="submitted"
    )
    score_assessment(assessment, {"1.1": "0,5", "1.2.1": "1,5"})
    Score.history.all().delete()  # what the factory wrote is not under test
    rows = [ROWS[0], ROWS[1]]  # 1.1 changes to 1,75; 1.2.1 stays 1,5 (with an empty note)
    update_scores(Score.objects.filter(criterion__code="1.2.1"), note="")

    import_scores(scores_file(tmp_path, rows), year=2023)
    first = list(
        Score.history.order_by("criterion__code").values_list(
            "criterion__code", "history_type", "self_score", "history_change_reason"
        )
    )
    import_scores(scores_file(tmp_path, rows, name="lan-2.csv"), year=2023)

    assert first == [("1.1", "~", Decimal("1.750"), "nhập từ tệp")]
    assert Score.history.count() == 1  # the same file again changes nothing


def test_history_of_new_scores_starts_at_the_imported_values(tmp_path, framework, units):
    import_scores(scores_file(tmp_path), year=2023)

    assert Score.history.filter(history_type="+").count() == Score.objects.count() == len(ROWS)
    record = Score.history.get(assessment__unit__code="X01", criterion__code="1.2.2")
    assert (record.self_score, record.appraised_score, record.history_user) == (
        Decimal("2.125"),
        Decimal("2"),
        None,
    )
    assert abs(timezone.now() - record.history_date) < timedelta(minutes=1)
    assert record.instance == Score.objects.get(pk=record.id)


def test_the_sheet_history_of_an_imported_score_starts_from_the_file(tmp_path, framework, units):
    import_scores(scores_file(tmp_path), year=2023)
    score = Score.objects.get(assessment__unit__code="X01", criterion__code="1.1")
    score.self_score = Decimal(2)
    score.save()

    changes = criterion_history(score.assessment, score.criterion)

    newest = changes[0]
    assert (newest.what, newest.old, newest.new) == ("Điểm tự đánh giá", "1,75", "2")
    first = changes[-2:]  # the import's two changes: self score and note
    assert {(c.who, c.what, c.new) for c in first} == {
        ("hệ thống (nhập từ tệp)", "Điểm tự đánh giá", "1,75"),
        ("hệ thống (nhập từ tệp)", "Ghi chú", "Thiếu báo cáo quý IV"),
    }


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            ["X01", "1.2.1", "1,2345", "", "", ""],
            "Dòng 3, cột self_score: «1,2345» có quá 3 chữ số thập phân.",
        ),
        (
            ["X01", "1.2.1", "1", "một", "", ""],
            "Dòng 3, cột appraised_score: «một» không phải là số.",
        ),
        (
            ["X01", "1.2.1", "1,501", "", "", ""],
            "Dòng 3, cột self_score: 1,501 nằm ngoài khoảng điểm của tiêu chí «1.2.1» "
            "(từ 0 đến 1,5).",
        ),
        (
            ["X01", "1.2.1", "1", "-0,5", "", ""],
            "Dòng 3, cột appraised_score: -0,5 nằm ngoài khoảng điểm của tiêu chí «1.2.1» "
            "(từ 0 đến 1,5).",
        ),
        (
            ["X01", "9.9", "1", "", "", ""],
            "Dòng 3, cột criterion_code: Bộ chỉ số «Bộ chỉ số cấp xã» không có tiêu chí mã «9.9».",
        ),
        (
            ["X01", "1.2", "1", "", "", ""],
            "Dòng 3, cột criterion_code: Tiêu chí «1.2» có tiêu chí con; chỉ chấm điểm tiêu chí "
            "không có con.",
        ),
        (
            ["X01", "1.1", "1", "", "", ""],
            "Dòng 3, cột criterion_code: Đơn vị «X01», tiêu chí «1.1» trùng với dòng 2.",
        ),
        (["X01", "", "1", "", "", ""], "Dòng 3, cột criterion_code: Không được để trống."),
        (["", "1.2.1", "1", "", "", ""], "Dòng 3, cột unit_code: Không được để trống."),
        (
            ["X01", "1.2.1", "1", "", "", "có lẽ"],
            "Dòng 3, cột not_applicable: «có lẽ» không rõ là có hay không; dùng 1/0, x, "
            "có/không hoặc true/false.",
        ),
        (["X99", "1.2.1", "1", "", "", ""], "Dòng 3, cột unit_code: Không có đơn vị mã «X99»."),
    ],
)
def test_refuses_a_bad_row_naming_its_row_and_column(tmp_path, framework, units, bad_row, message):
    rows = [*ROWS]
    rows[1] = bad_row
    before = row_counts()

    errors = failing_command("import_scores", str(scores_file(tmp_path, rows)), "--year", "2023")

    assert errors == [message]
    assert row_counts() == before


def test_refuses_a_penalty_below_its_lowest_points(tmp_path, framework, units):
    rows = [["X01", "3", "-2,5", "", "", ""]]

    errors = failing_command("import_scores", str(scores_file(tmp_path, rows)), "--year", "2023")

    assert errors == [
        "Dòng 2, cột self_score: -2,5 nằm ngoài khoảng điểm của tiêu chí «3» (từ -2 đến 0)."
    ]
    assert not Assessment.objects.exists()


def test_a_failed_import_changes_no_score(tmp_path, framework, units):
    assessment = AssessmentFactory(unit=units[0], year=2023, framework=framework, status="draft")
    score_assessment(assessment, {"1.1": "0,5"})
    rows = [["X01", "1.1", "2", "", "", ""], ["X01", "2", "5", "", "", ""]]
    before = row_counts()

    errors = failing_command("import_scores", str(scores_file(tmp_path, rows)), "--year", "2023")

    assert errors == [
        "Dòng 3, cột self_score: 5 nằm ngoài khoảng điểm của tiêu chí «2» (từ 0 đến 4)."
    ]
    assert row_counts() == before
    assert Score.objects.get().self_score == Decimal("0.5")


def test_refuses_scores_for_a_published_assessment(tmp_path, framework, units):
    AssessmentFactory(unit=units[0], year=2023, framework=framework, status="published")
    before = row_counts()

    errors = failing_command("import_scores", str(scores_file(tmp_path)), "--year", "2023")

    assert errors == [
        "Dòng 2, cột unit_code: Kết quả năm 2023 của đơn vị «X01» đã công bố, không nhập điểm "
        "vào được nữa (5 dòng có mã này)."
    ]
    assert row_counts() == before


def test_refuses_a_year_without_a_framework(tmp_path, framework, units):
    before = row_counts()

    errors = failing_command("import_scores", str(scores_file(tmp_path)), "--year", "2019")

    assert errors == [
        "Dòng 2, cột unit_code: Không có bộ chỉ số nào cho cấp «Xã, phường, thị trấn» áp dụng "
        "năm 2019 (5 dòng có mã này).",
        "Dòng 7, cột unit_code: Không có bộ chỉ số nào cho cấp «Xã, phường, thị trấn» áp dụng "
        "năm 2019 (5 dòng có mã này).",
    ]
    assert row_counts() == before


def test_refuses_a_year_with_several_frameworks(tmp_path, framework, units):
    make_framework(name="Bộ thí điểm", level="commune", year_from=2023, year_to=2023)

    errors = failing_command(
        "import_scores", str(scores_file(tmp_path, ROWS[:1])), "--year", "2023"
    )

    assert errors == [
        "Dòng 2, cột unit_code: Có 2 bộ chỉ số cho cấp «Xã, phường, thị trấn» áp dụng năm 2023 "
        "(«Bộ thí điểm», «Bộ chỉ số cấp xã»); hãy chọn một."
    ]
    assert not Assessment.objects.exists()


def test_refuses_a_framework_named_for_another_level_or_unknown(tmp_path, framework, units):
    make_framework(name="Bộ cấp huyện", level="district", year_from=2020)
    path = str(scores_file(tmp_path, ROWS[:1]))

    other_level = failing_command(
        "import_scores", path, "--year", "2023", "--framework", "Bộ cấp huyện"
    )
    unknown = failing_command("import_scores", path, "--year", "2023", "--framework", "Không có")

    assert other_level == [
        "Dòng 2, cột unit_code: Bộ chỉ số «Bộ cấp huyện» dành cho cấp «Huyện, thị xã, thành phố», "
        "đơn vị «X01» thuộc cấp «Xã, phường, thị trấn»."
    ]
    assert unknown == ["Không có bộ chỉ số tên «Không có»."]
    assert not Assessment.objects.exists()


def test_refuses_a_framework_other_than_the_one_already_scored(tmp_path, framework, units):
    make_framework(name="Bộ khác", level="commune", year_from=2020)
    AssessmentFactory(unit=units[0], year=2023, framework=framework, status="draft")

    errors = failing_command(
        "import_scores",
        str(scores_file(tmp_path, ROWS[:1])),
        "--year",
        "2023",
        "--framework",
        "Bộ khác",
    )

    assert errors == [
        "Dòng 2, cột unit_code: Kết quả năm 2023 của đơn vị «X01» đã chấm theo bộ chỉ số "
        "«Bộ chỉ số cấp xã», không phải «Bộ khác»."
    ]


@pytest.fixture
def small_and_large(tmp_path):
    """10 rows for one unit, then 200 for ten other units."""
    leaves = [f"1.{n}" for n in range(1, 21)]
    build_framework([("1", None, "20"), *((code, "1", "1") for code in leaves)], year_from=2020)
    codes = [UnitFactory().code for _ in range(11)]
    small = [[codes[0], leaf, "0,5", "", "", ""] for leaf in leaves[:10]]
    large = [[unit, leaf, "0,5", "1", "ghi chú", "0"] for unit in codes[1:] for leaf in leaves]
    return scores_file(tmp_path, small, "small.csv"), scores_file(tmp_path, large, "large.csv")


def upsert_batches(rows: int) -> int:
    """How many INSERT statements Django splits `rows` scores into on this database."""
    fields = [f for f in Score._meta.concrete_fields if not f.primary_key]
    per_batch = connection.ops.bulk_batch_size(fields, [None] * rows)
    return -(-rows // per_batch)


def test_query_count_does_not_grow_with_rows(small_and_large):
    small, large = small_and_large

    with CaptureQueriesContext(connection) as small_queries:
        import_scores(small, year=2023)
    with CaptureQueriesContext(connection) as large_queries:
        import_scores(large, year=2023)
    with CaptureQueriesContext(connection) as update_queries:
        import_scores(large, year=2023)

    assert Score.objects.count() == 210
    # Django caps an SQLite statement at 999 parameters: there the 200 scores take
    # several upserts. PostgreSQL writes them in one. Their history is one statement on both.
    splits = upsert_batches(200) - 1
    assert len(large_queries) <= len(small_queries) + splits
    assert len(update_queries) <= len(small_queries) + splits


def test_admin_preview_query_count_does_not_grow_with_rows(small_and_large):
    def preview_queries(path) -> int:
        with CaptureQueriesContext(connection) as queries:
            result = ScoreResource(year=2023).import_data(load_dataset(path), dry_run=True)
        assert not result.has_errors() and not result.has_validation_errors()
        assert all(row.diff for row in result.rows)
        return len(queries)

    small, large = small_and_large
    # As in the command's test: SQLite splits the 200 rows' upsert.
    splits = upsert_batches(200) - 1

    assert preview_queries(large) <= preview_queries(small) + splits
    assert not Score.objects.exists()


def test_the_command_and_the_admin_preview_refuse_a_file_with_the_same_messages(
    tmp_path, framework, units
):
    # The command's bulk path and the admin's per-row import share every check.
    rows = [
        ["X01", "1.1", "1,7501", "", "", ""],
        ["X01", "1.2.1", "1.5", "9", "", "có lẽ"],
        ["X01", "1.2.1", "1", "", "", ""],
        ["X01", "1.2", "1", "", "", ""],
        ["X09", "1.1", "1", "", "", ""],
        ["X02", "7", "", "", "", ""],
        ["X02", "3", "-3", "", "", ""],
        ["", "2", "1", "", "", ""],
    ]
    path = scores_file(tmp_path, rows)
    before = row_counts()

    with pytest.raises(ImportFailed) as raised:
        import_scores(path, year=2023)
    preview = ScoreResource(year=2023).import_data(load_dataset(path), dry_run=True)

    assert raised.value.errors == result_errors(preview)
    assert raised.value.errors == [
        "Dòng 2, cột self_score: «1,7501» có quá 3 chữ số thập phân.",
        "Dòng 3, cột appraised_score: 9 nằm ngoài khoảng điểm của tiêu chí «1.2.1» (từ 0 đến 1,5).",
        "Dòng 3, cột not_applicable: «có lẽ» không rõ là có hay không; dùng 1/0, x, có/không"
        " hoặc true/false.",
        "Dòng 4, cột criterion_code: Đơn vị «X01», tiêu chí «1.2.1» trùng với dòng 3.",
        "Dòng 5, cột criterion_code: Tiêu chí «1.2» có tiêu chí con; chỉ chấm điểm tiêu chí"
        " không có con.",
        "Dòng 6, cột unit_code: Không có đơn vị mã «X09».",
        "Dòng 7, cột criterion_code: Bộ chỉ số «Bộ chỉ số cấp xã» không có tiêu chí mã «7».",
        "Dòng 8, cột self_score: -3 nằm ngoài khoảng điểm của tiêu chí «3» (từ -2 đến 0).",
        "Dòng 9, cột unit_code: Không được để trống.",
    ]
    assert row_counts() == before
