from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.engine import assessment_breakdown, group_ranking
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

# Two fields; field 2 is itself a leaf, and 1.2 has sub-criteria.
TREE = [
    ("1", None, "6"),
    ("1.1", "1", "2"),
    ("1.2", "1", "4"),
    ("1.2.1", "1.2", "1,5".replace(",", ".")),
    ("1.2.2", "1.2", "2.5"),
    ("2", None, "4"),
]


@pytest.fixture
def framework():
    return build_framework(TREE)


def test_breakdown_sums_every_level_and_counts_deductions(framework):
    assessment = AssessmentFactory(framework=framework)
    score_assessment(assessment, {"1.1": "1,75", "1.2.1": "1.5", "1.2.2": "0,125", "2": "4"})

    result = assessment_breakdown(assessment)

    assert [n.code for n in result.nodes] == ["1", "1.1", "1.2", "1.2.1", "1.2.2", "2"]
    assert result.node("1.2").tally.achieved == Decimal("1.625")
    assert result.node("1.2").tally.deducted == Decimal("2.375")
    assert result.node("1").tally.achieved == Decimal("3.375")
    assert result.total.max_points == Decimal("10")
    assert result.total.achieved == Decimal("7.375")
    assert result.total.deducted == Decimal("2.625")
    assert result.total.index_pct == Decimal("73.75")
    assert [n.code for n in result.deducted_leaves] == ["1.2.2", "1.1"]


def test_appraised_score_wins_over_self_score_and_says_so(framework):
    assessment = AssessmentFactory(framework=framework)
    score_assessment(assessment, {"1.1": "2", "1.2.1": "1.5", "1.2.2": "2.5", "2": "4"})
    update_scores(Score.objects.filter(criterion__code="1.1"), appraised_score=Decimal("0.5"))

    result = assessment_breakdown(assessment)

    assert result.node("1.1").final_score == Decimal("0.5")
    assert result.node("1.1").score_basis == "appraised"
    assert result.node("2").score_basis == "self"
    assert result.total.achieved == Decimal("8.5")
    assert (result.appraised_leaves, result.self_scored_leaves) == (1, 3)


def test_not_applicable_leaf_leaves_score_and_max(framework):
    assessment = AssessmentFactory(framework=framework)
    score_assessment(assessment, {"1.1": "2", "1.2.1": "1", "2": "2"})
    Score.objects.create(
        assessment=assessment,
        criterion=framework.criteria.get(code="1.2.2"),
        self_score=Decimal("2"),
        not_applicable=True,
    )

    result = assessment_breakdown(assessment)

    assert result.node("1.2").tally.max_points == Decimal("1.5")
    assert result.node("1.2").tally.achieved == Decimal("1")
    assert result.total.max_points == Decimal("7.5")
    assert result.total.achieved == Decimal("5")
    assert result.unscored_leaves == 0


def test_unscored_leaves_are_counted_and_add_nothing(framework):
    assessment = AssessmentFactory(framework=framework)
    score_assessment(assessment, {"1.1": "2", "1.2.1": None})

    result = assessment_breakdown(assessment)

    assert result.unscored_leaves == 3
    assert result.node("1.2").unscored_leaves == 2
    assert result.total.achieved == Decimal("2")
    assert result.total.max_points == Decimal("10")


def _ranked_group(framework, totals_by_code, year=2023, group=None):
    group = group or RankingGroupFactory()
    for code, field2 in totals_by_code.items():
        unit = UnitFactory(code=code, ranking_group=group)
        assessment = AssessmentFactory(unit=unit, framework=framework, year=year)
        score_assessment(assessment, {"1.1": "2", "1.2.1": "1.5", "1.2.2": "2.5", "2": field2})
    return group


def test_ranking_shares_ranks_for_ties(framework):
    group = _ranked_group(framework, {"A": "4", "B": "3.5", "C": "3.5", "D": "1"})

    ranking = group_ranking(group, 2023)

    assert [(r.unit_code, r.rank) for r in ranking.rows] == [
        ("A", 1),
        ("B", 2),
        ("C", 2),
        ("D", 4),
    ]
    assert ranking.rows[1].tally.achieved == Decimal("9.5")


def test_ranking_is_by_index_when_not_applicable_lowers_a_max(framework):
    group = _ranked_group(framework, {"A": "3", "B": "2"})
    # B's criterion 2 (max 4) does not apply: 6 of 6 is 100 %, above A's 9 of 10.
    b = Score.objects.get(assessment__unit__code="B", criterion__code="2")
    b.not_applicable = True
    b.save()

    rows = group_ranking(group, 2023).rows

    assert [(r.unit_code, r.rank, r.tally.index_pct) for r in rows] == [
        ("B", 1, Decimal(100)),
        ("A", 2, Decimal(90)),
    ]


def test_equal_indexes_on_different_maxes_tie_exactly(framework):
    """7.5 of 10 and 4.5 of 6 are both 75 %: a shared rank, not an order by float noise."""
    group = RankingGroupFactory()
    a = AssessmentFactory(unit=UnitFactory(code="A", ranking_group=group), framework=framework)
    score_assessment(a, {"1.1": "2", "1.2.1": "1.5", "1.2.2": "2.5", "2": "1.5"})  # 7.5/10
    b = AssessmentFactory(unit=UnitFactory(code="B", ranking_group=group), framework=framework)
    score_assessment(b, {"1.1": "0.5", "1.2.1": "1.5", "1.2.2": "2.5"})  # 4.5/6
    Score.objects.create(
        assessment=b, criterion=framework.criteria.get(code="2"), not_applicable=True
    )

    rows = group_ranking(group, 2023).rows

    assert [(r.unit_code, r.rank) for r in rows] == [("A", 1), ("B", 1)]
    assert rows[0].tally.index_pct == rows[1].tally.index_pct == Decimal(75)


def test_rank_and_score_change_against_last_year_by_unit_code(framework):
    group = _ranked_group(framework, {"A": "4", "B": "3", "C": "2"}, year=2022)
    # This year C climbs from 3rd to 1st, A falls to 3rd; D is new.
    for code, field2 in {"A": "1", "B": "3", "C": "4", "D": "2"}.items():
        unit = UnitFactory._meta.model.objects.filter(code=code).first() or UnitFactory(
            code=code, ranking_group=group
        )
        assessment = AssessmentFactory(unit=unit, framework=framework, year=2023)
        score_assessment(assessment, {"1.1": "2", "1.2.1": "1.5", "1.2.2": "2.5", "2": field2})

    rows = {r.unit_code: r for r in group_ranking(group, 2023).rows}

    assert (rows["C"].rank, rows["C"].prev_rank, rows["C"].rank_change) == (1, 3, 2)
    assert (rows["A"].rank, rows["A"].prev_rank, rows["A"].rank_change) == (4, 1, -3)
    assert rows["C"].score_change == Decimal("2")
    assert rows["D"].prev_rank is None and rows["D"].rank_change is None


def test_previous_rank_is_taken_in_the_group_of_that_year(framework):
    old_group = _ranked_group(framework, {"X": "4", "A": "2"}, year=2022)
    new_group = RankingGroupFactory()
    unit = UnitFactory._meta.model.objects.get(code="A")
    unit.ranking_group = new_group
    unit.save()
    assessment = AssessmentFactory(unit=unit, framework=framework, year=2023)
    score_assessment(assessment, {"2": "4"})

    (row,) = group_ranking(new_group, 2023).rows

    assert row.prev_rank == 2
    assert group_ranking(old_group, 2022).rows[1].unit_code == "A"


def test_classification_follows_the_group_bands(framework):
    group = _ranked_group(framework, {"A": "4", "B": "2", "C": "0"})
    add_bands(group)

    labels = [r.classification for r in group_ranking(group, 2023).rows]

    assert labels == ["Tốt", "Khá", ""]


def test_field_points_per_unit(framework):
    group = _ranked_group(framework, {"A": "4", "B": "2.25"})

    ranking = group_ranking(group, 2023, with_fields=True)

    assert ranking.field_codes == ["1", "2"]
    assert ranking.rows[1].field_points == {"1": Decimal("6"), "2": Decimal("2.25")}


def test_status_filter_ranks_only_published(framework):
    group = _ranked_group(framework, {"A": "4", "B": "2"})
    a = UnitFactory._meta.model.objects.get(code="A").assessments.get()
    a.status = "draft"
    a.save()

    rows = group_ranking(group, 2023, statuses=["published"]).rows

    assert [(r.unit_code, r.rank) for r in rows] == [("B", 1)]


@pytest.mark.parametrize("size", [5, 500])
def test_ranking_and_breakdown_query_counts_do_not_grow(framework, size):
    group = _ranked_group(framework, {f"U{i:03d}": str(i % 5) for i in range(size)}, year=2022)
    _ranked_group(framework, {}, group=group)
    for unit in UnitFactory._meta.model.objects.all():
        assessment = AssessmentFactory(unit=unit, framework=framework, year=2023)
        score_assessment(assessment, {"2": "3"})

    last = unit.assessments.get(year=2023)

    with CaptureQueriesContext(connection) as ranking_queries:
        ranking = group_ranking(group, 2023, with_fields=True)
    with CaptureQueriesContext(connection) as breakdown_queries:
        assessment_breakdown(last)

    assert len(ranking.rows) == size
    assert len(ranking_queries) == 4  # ranking, bands, field codes, field points
    assert len(breakdown_queries) == 1


@pytest.mark.parametrize("leaves", [5, 300])
def test_breakdown_query_count_does_not_grow_with_criteria(leaves):
    rows = [("1", None, str(leaves))] + [(f"1.{i}", "1", "1") for i in range(leaves)]
    assessment = AssessmentFactory(framework=build_framework(rows))
    score_assessment(assessment, {f"1.{i}": "0.5" for i in range(leaves)})

    with CaptureQueriesContext(connection) as queries:
        result = assessment_breakdown(assessment)

    assert len(queries) == 1
    assert result.total.achieved == Decimal(leaves) / 2


def test_a_new_assessment_takes_the_units_current_group(framework):
    unit = UnitFactory()
    assessment = AssessmentFactory.build(unit=unit, framework=framework, ranking_group=None)

    assessment.full_clean()

    assert assessment.ranking_group == unit.ranking_group
