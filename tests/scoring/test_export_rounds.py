"""`export_results --unit` in a two-round year: every round's column, the final one last."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from scoring.exports import BREAKDOWN_HEADERS, ROUNDS_HEADERS
from scoring.models import Score, ScoringCalendar, UnitLevel
from tests.factories import (
    AssessmentFactory,
    UnitFactory,
    build_framework,
    score_assessment,
    update_scores,
)

pytestmark = pytest.mark.django_db
TREE = [("1", None, "3"), ("1.1", "1", "1"), ("1.2", "1", "2")]


def export_unit(code: str, year: int) -> list[dict]:
    out = io.StringIO()
    call_command("export_results", stdout=out, year=year, unit=code)
    return list(csv.DictReader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))


def assessment_in(year: int, rounds: int, *, appraisal_round: int):
    district = UnitFactory(code=f"HUYEN-{year}", level=UnitLevel.DISTRICT)
    ScoringCalendar.objects.create(
        unit=district,
        year=year,
        self_assessment_closes=date(year, 12, 1),
        appraisal_closes=date(year, 12, 31),
        appraisal_rounds=rounds,
    )
    unit = UnitFactory(code=f"XA-{year}", parent=district)
    assessment = AssessmentFactory(
        unit=unit, framework=build_framework(TREE), year=year, appraisal_round=appraisal_round
    )
    score_assessment(assessment, {"1.1": "1", "1.2": "2"})
    return assessment


def test_a_two_round_unit_export_gives_round_one_the_explanation_and_round_two():
    assessment = assessment_in(2024, 2, appraisal_round=2)
    update_scores(
        Score.objects.filter(assessment=assessment, criterion__code="1.1"),
        first_round_score=Decimal("0.5"),
        first_round_comment="Kế hoạch ban hành chậm",
        explanation_agrees=False,
        explanation="Ban hành ngày 05/01, đúng hạn",
        appraised_score=Decimal("1"),
        appraisal_comment="Chấp nhận giải trình",
    )
    update_scores(
        Score.objects.filter(assessment=assessment, criterion__code="1.2"),
        first_round_score=Decimal("1.5"),
        explanation_agrees=True,
        appraised_score=Decimal("1.5"),
    )

    rows = {row["code"]: row for row in export_unit("XA-2024", 2024)}

    assert list(rows["1.1"]) == ROUNDS_HEADERS
    assert {name: rows["1.1"][name] for name in ROUNDS_HEADERS[4:13]} == {
        "self_score": "1",
        "round1_score": "0.5",
        "round1_comment": "Kế hoạch ban hành chậm",
        "explanation_agrees": "không đồng ý",
        "explanation": "Ban hành ngày 05/01, đúng hạn",
        "round2_score": "1",
        "round2_comment": "Chấp nhận giải trình",
        "final_score": "1",
        "deducted": "0",
    }
    assert (rows["1.2"]["explanation_agrees"], rows["1.2"]["round2_score"]) == ("đồng ý", "1.5")
    assert (rows["1"]["round1_score"], rows["1"]["final_score"]) == ("", "2.5")


def test_round_one_of_a_two_round_year_fills_only_the_round_one_columns():
    assessment = assessment_in(2024, 2, appraisal_round=1)
    update_scores(
        Score.objects.filter(assessment=assessment, criterion__code="1.1"),
        appraised_score=Decimal("0.5"),
        appraisal_comment="Kế hoạch ban hành chậm",
    )

    row = {row["code"]: row for row in export_unit("XA-2024", 2024)}["1.1"]

    assert (row["round1_score"], row["round1_comment"]) == ("0.5", "Kế hoạch ban hành chậm")
    assert (row["round2_score"], row["explanation_agrees"], row["final_score"]) == ("", "", "0.5")


def test_a_one_round_year_keeps_todays_columns():
    assessment = assessment_in(2024, 1, appraisal_round=1)
    update_scores(
        Score.objects.filter(assessment=assessment, criterion__code="1.1"),
        appraised_score=Decimal("0.5"),
    )

    rows = export_unit("XA-2024", 2024)

    assert list(rows[0]) == BREAKDOWN_HEADERS
    assert rows[1]["appraised_score"] == "0.5"
