"""The engine's two parts of a total: the fields' appraisal and the survey."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.engine import Tally, assessment_breakdown, group_ranking
from scoring.models import Score
from tests.factories import update_scores
from tests.seed_000 import YEAR, build_seed_000
from tests.web.dashboard_data import build_group

pytestmark = pytest.mark.django_db


def tally(max_points: str, achieved: str) -> Tally:
    return Tally(Decimal(max_points), Decimal(achieved))


def test_seed_000_breakdown_splits_88_21_into_69_46_and_18_75():
    seed = build_seed_000()

    with CaptureQueriesContext(connection) as captured:
        breakdown = assessment_breakdown(seed.assessment)

    assert len(captured) == 1
    assert breakdown.total == tally("100", "88.21")
    assert breakdown.parts.assessment == tally("75", "69.46")
    assert breakdown.parts.survey == tally("25", "18.75")
    assert breakdown.node("8").survey_tally == breakdown.node("8").tally
    assert breakdown.node("1").survey_tally is None


def test_seed_000_ranking_rows_carry_both_parts_in_the_same_queries():
    seed = build_seed_000()
    plain_group = build_group(3, years=(YEAR,), prefix="P")

    with CaptureQueriesContext(connection) as with_survey:
        ranking = group_ranking(seed.group, YEAR)
    with CaptureQueriesContext(connection) as without_survey:
        plain = group_ranking(plain_group["group"], YEAR)

    assert len(with_survey) == len(without_survey)
    rows = {row.unit_code: row for row in ranking.rows}
    assert rows["S0-H1"].tally == tally("100", "88.21")
    assert rows["S0-H1"].parts.assessment == tally("75", "69.46")
    assert rows["S0-H1"].parts.survey == tally("25", "18.75")
    assert rows["S0-H2"].parts.survey == tally("25", "22.5")
    assert ranking.has_parts
    assert not plain.has_parts
    assert all(row.parts is None for row in plain.rows)


def test_a_framework_without_survey_leaves_has_no_parts():
    data = build_group(1, years=(YEAR,), prefix="N")
    assessment = data["units"][0].assessments.get()

    assert assessment_breakdown(assessment).parts is None


def test_a_not_applicable_survey_leaf_leaves_the_survey_part_and_its_max():
    seed = build_seed_000()
    update_scores(
        Score.objects.filter(assessment=seed.assessment, criterion__code="8.2"), not_applicable=True
    )

    breakdown = assessment_breakdown(seed.assessment)
    row = next(r for r in group_ranking(seed.group, YEAR).rows if r.unit_code == "S0-H1")

    assert breakdown.parts.survey == tally("15", "11.5")
    assert breakdown.parts.assessment == tally("75", "69.46")
    assert breakdown.total == tally("90", "80.96")
    assert row.parts == breakdown.parts
    assert row.tally == breakdown.total


def test_an_unscored_survey_leaf_counts_its_max_and_no_points():
    seed = build_seed_000()
    Score.objects.filter(assessment=seed.assessment, criterion__code="8.1").delete()

    breakdown = assessment_breakdown(seed.assessment)
    row = next(r for r in group_ranking(seed.group, YEAR).rows if r.unit_code == "S0-H1")

    assert breakdown.parts.survey == tally("25", "7.25")
    assert row.parts == breakdown.parts
