"""Imports and survey criteria: Nội vụ imports the survey results as appraised scores;
a self score on a survey criterion refuses the whole file."""

from decimal import Decimal

import pytest

from scoring.importing import load_dataset, result_errors
from scoring.models import Assessment, Criterion, CriterionSource, Score
from scoring.resources import ScoreResource
from tests.factories import RankingGroupFactory, UnitFactory, build_framework, row_counts, write_csv
from tests.scoring.import_helpers import failing_command, run_command

pytestmark = pytest.mark.django_db

HEADER = ["unit_code", "criterion_code", "self_score", "appraised_score", "note"]
REFUSED = (
    "Dòng 3, cột self_score: Tiêu chí «8.1» của đơn vị «X01» là tiêu chí điều tra xã hội học, "
    "do Nội vụ nhập: đơn vị không tự chấm, chỉ nhập điểm thẩm định (appraised_score), "
    "để trống self_score."
)


@pytest.fixture
def framework():
    framework = build_framework(
        [("1", None, "60"), ("8", None, "40"), ("8.1", "8", "30"), ("8.2", "8", "10")],
        name="Bộ chỉ số cấp huyện",
        level="district",
        year_from=2020,
    )
    Criterion.objects.filter(framework=framework, code__startswith="8").update(
        source=CriterionSource.SURVEY
    )
    group = RankingGroupFactory(name="Khối huyện")
    UnitFactory(code="X01", level="district", ranking_group=group)
    return framework


def scores_file(tmp_path, rows):
    return write_csv(tmp_path / "diem.csv", [HEADER, *rows])


def test_a_self_score_on_a_survey_criterion_refuses_the_whole_file(tmp_path, framework):
    rows = [["X01", "1", "50", "", ""], ["X01", "8.1", "30", "", ""]]
    before = row_counts()

    errors = failing_command("import_scores", str(scores_file(tmp_path, rows)), "--year", "2021")

    assert errors == [REFUSED]
    assert row_counts() == before
    assert not Assessment.objects.exists()


def test_the_admin_import_gives_the_same_refusal(tmp_path, framework):
    rows = [["X01", "1", "50", "", ""], ["X01", "8.1", "30", "26,21", ""]]

    preview = ScoreResource(year=2021).import_data(
        load_dataset(scores_file(tmp_path, rows)), dry_run=True
    )

    assert result_errors(preview) == [REFUSED]


def test_survey_results_import_as_appraised_scores_only(tmp_path, framework):
    rows = [
        ["X01", "1", "50", "", ""],
        ["X01", "8.1", "", "26,21", "Kết quả SIPAS"],
        ["X01", "8.2", "", "7.68", ""],
    ]

    run_command("import_scores", str(scores_file(tmp_path, rows)), "--year", "2021")

    scores = {
        s.criterion.code: (s.self_score, s.appraised_score)
        for s in Score.objects.select_related("criterion")
    }
    assert scores == {
        "1": (Decimal("50"), None),
        "8.1": (None, Decimal("26.21")),
        "8.2": (None, Decimal("7.68")),
    }
