"""Every sheet's totals as annotations: the same numbers as the breakdown, in SQL."""

from decimal import Decimal

import pytest
from django.db.models import F

from scoring.engine import assessment_breakdown, sheet_totals, with_totals
from scoring.models import Assessment, Score
from tests.factories import AssessmentFactory, build_framework, score_assessment, update_scores
from tests.web.dashboard_data import SMALL_FRAMEWORK

pytestmark = pytest.mark.django_db

# Max 10: 1.1 (4), 1.2 (2), 2.1 (3), 2.2 (1).
ROWS = SMALL_FRAMEWORK


@pytest.fixture
def framework():
    return build_framework(ROWS)


def totals_of(assessment: Assessment):
    return sheet_totals(with_totals(Assessment.objects.filter(pk=assessment.pk)).get())


def test_an_unscored_sheet_has_its_framework_max_and_no_totals(framework):
    sheet = AssessmentFactory(framework=framework)

    totals = totals_of(sheet)

    assert totals.max_points == Decimal("10")
    assert (totals.self_total, totals.appraised_total) == (None, None)
    assert (totals.applicable_leaves, totals.appraised_leaves) == (4, 0)


def test_a_self_scored_sheet_has_a_self_total_and_no_appraised_total_yet(framework):
    sheet = AssessmentFactory(framework=framework)
    score_assessment(sheet, {"1.1": "3,5", "1.2": "2", "2.1": "1,125", "2.2": None})

    totals = totals_of(sheet)

    assert totals.self_total == Decimal("6.625")
    assert totals.appraised_total is None


def test_a_partly_appraised_sheet_counts_self_scores_where_not_appraised(framework):
    sheet = AssessmentFactory(framework=framework)
    score_assessment(sheet, {"1.1": "3,5", "1.2": "2", "2.1": "3", "2.2": "1"})
    update_scores(Score.objects.filter(assessment=sheet, criterion__code="1.1"), appraised_score=3)

    totals = totals_of(sheet)

    assert totals.self_total == Decimal("9.5")
    assert totals.appraised_total == Decimal("9")  # 3 + 2 + 3 + 1
    assert totals.appraised_total == assessment_breakdown(sheet).total.achieved
    assert (totals.appraised_leaves, totals.applicable_leaves) == (1, 4)
    assert totals.appraisal_partial


def test_a_leaf_that_does_not_apply_leaves_the_points_and_the_max(framework):
    sheet = AssessmentFactory(framework=framework)
    score_assessment(sheet, {"1.1": "4", "1.2": "1", "2.1": "2,5", "2.2": "1"})
    update_scores(Score.objects.filter(assessment=sheet), appraised_score=F("self_score"))
    update_scores(
        Score.objects.filter(assessment=sheet, criterion__code="2.1"), not_applicable=True
    )

    totals = totals_of(sheet)
    breakdown = assessment_breakdown(sheet)

    assert totals.max_points == Decimal("7") == breakdown.total.max_points
    assert totals.self_total == Decimal("6")
    assert totals.appraised_total == Decimal("6") == breakdown.total.achieved
    assert (totals.applicable_leaves, totals.appraised_leaves) == (3, 3)
    assert not totals.appraisal_partial


def test_totals_sort_in_sql_across_sheets(framework):
    low, high, blank = (AssessmentFactory(framework=framework) for _ in range(3))
    score_assessment(low, {"1.1": "1"})
    score_assessment(high, {"1.1": "4", "1.2": "2"})

    ordered = with_totals(Assessment.objects.all()).order_by(F("self_milli").desc(nulls_last=True))

    assert [a.pk for a in ordered] == [high.pk, low.pk, blank.pk]
