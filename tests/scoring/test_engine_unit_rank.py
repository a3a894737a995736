"""One assessment's rank (the plan's "xếp thứ 3/23", the analysis report) gives what
the whole group's ranking gives for that row, in one query."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.engine import group_ranking, unit_rank
from scoring.models import Assessment, AssessmentStatus, Score, Unit
from tests.factories import (
    AssessmentFactory,
    RankingGroupFactory,
    UnitFactory,
    build_framework,
    score_assessment,
    update_scores,
)

pytestmark = pytest.mark.django_db

TREE = [("1", None, "6"), ("1.1", "1", "2"), ("1.2", "1", "4"), ("2", None, "4")]
FULL_FIELD_1 = {"1.1": "2", "1.2": "4"}


@pytest.fixture
def framework():
    return build_framework(TREE)


def _group(framework, field2_by_code: dict[str, str], *, year: int = 2023, group=None):
    group = group or RankingGroupFactory()
    for code, field2 in field2_by_code.items():
        unit = Unit.objects.filter(code=code).first() or UnitFactory(code=code, ranking_group=group)
        assessment = AssessmentFactory(
            unit=unit, framework=framework, year=year, ranking_group=group
        )
        score_assessment(assessment, {**FULL_FIELD_1, "2": field2})
    return group


def _as_group_ranks(group, year: int, statuses=None) -> dict[str, tuple]:
    ranking = group_ranking(group, year, statuses=statuses)
    return {
        row.unit_code: (row.rank, len(ranking.rows), row.prev_rank, row.prev_tally)
        for row in ranking.rows
    }


def _as_unit_ranks(year: int, statuses=None) -> dict[str, tuple]:
    found = {}
    for assessment in Assessment.objects.filter(year=year).select_related("unit"):
        rank = unit_rank(assessment, statuses=statuses)
        if rank is not None:
            found[assessment.unit.code] = (
                rank.rank,
                rank.group_size,
                rank.prev_rank,
                rank.prev_tally,
            )
    return found


def test_tied_units_share_the_rank_the_group_ranking_gives(framework):
    group = _group(framework, {"A": "4", "B": "3.5", "C": "3.5", "D": "1"})

    ranks = _as_unit_ranks(2023)

    assert ranks == _as_group_ranks(group, 2023)
    assert {code: rank[0] for code, rank in ranks.items()} == {"A": 1, "B": 2, "C": 2, "D": 4}
    assert ranks["D"][1] == 4


def test_a_max_lowered_by_not_applicable_ranks_by_index_as_the_group_does(framework):
    group = _group(framework, {"A": "3", "B": "2", "C": "1.5"})
    # B's field 2 (max 4) does not apply: 6 of 6 is 100 %, above A's 9 of 10.
    update_scores(
        Score.objects.filter(assessment__unit__code="B", criterion__code="2"), not_applicable=True
    )
    # C: 4.5 of 6 (75 %) ties D's 7.5 of 10.
    update_scores(
        Score.objects.filter(assessment__unit__code="C", criterion__code="2"), not_applicable=True
    )
    update_scores(
        Score.objects.filter(assessment__unit__code="C", criterion__code="1.1"),
        self_score=Decimal("0.5"),
    )
    _group(framework, {"D": "1.5"}, group=group)

    ranks = _as_unit_ranks(2023)

    assert ranks == _as_group_ranks(group, 2023)
    assert {code: rank[0] for code, rank in ranks.items()} == {"B": 1, "A": 2, "C": 3, "D": 3}


def test_last_year_rank_and_points_match_and_a_new_unit_has_none(framework):
    group = _group(framework, {"A": "4", "B": "3", "C": "2"}, year=2022)
    _group(framework, {"A": "1", "B": "3", "C": "4", "D": "2"}, group=group)

    ranks = _as_unit_ranks(2023)

    assert ranks == _as_group_ranks(group, 2023)
    assert ranks["C"][:3] == (1, 4, 3)
    assert ranks["C"][3].achieved == Decimal("8")
    assert ranks["D"][2:] == (None, None)
    rank = unit_rank(Assessment.objects.get(unit__code="A", year=2023))
    assert rank.rank_change == -3


def test_last_year_is_ranked_in_the_group_the_unit_was_in_then(framework):
    old_group = _group(framework, {"X": "4", "A": "2", "Y": "1"}, year=2022)
    new_group = RankingGroupFactory()
    _group(framework, {"A": "4", "Z": "4"}, group=new_group)

    ranks = _as_unit_ranks(2023)

    assert ranks == _as_group_ranks(new_group, 2023)
    assert ranks["A"][:3] == (1, 2, 2)
    assert old_group.pk != new_group.pk


def test_statuses_limit_both_years_as_in_the_group_ranking(framework):
    group = _group(framework, {"A": "4", "B": "3", "C": "2"}, year=2022)
    _group(framework, {"A": "1", "B": "3", "C": "4"}, group=group)
    Assessment.objects.filter(unit__code="A", year=2022).update(status=AssessmentStatus.DRAFT)
    Assessment.objects.filter(unit__code="B", year=2023).update(status=AssessmentStatus.DRAFT)
    published = [AssessmentStatus.PUBLISHED]

    ranks = _as_unit_ranks(2023, published)

    assert ranks == _as_group_ranks(group, 2023, published)
    assert set(ranks) == {"A", "C"}
    assert ranks["C"][:3] == (1, 2, 2)  # 2nd of 2 last year, A's draft left out
    assert ranks["A"][2] is None


def test_an_assessment_without_a_group_has_no_rank(framework):
    assessment = AssessmentFactory(framework=framework, ranking_group=None)

    assert unit_rank(assessment) is None


@pytest.mark.parametrize("size", [5, 300])
def test_one_query_whatever_the_group_size(framework, size):
    group = _group(framework, {f"U{i:03d}": str(i % 5) for i in range(size)}, year=2022)
    _group(framework, {f"U{i:03d}": str(i % 4) for i in range(size)}, group=group)
    last = Assessment.objects.get(unit__code=f"U{size - 1:03d}", year=2023)

    with CaptureQueriesContext(connection) as queries:
        rank = unit_rank(last)

    assert len(queries) == 1
    row = next(r for r in group_ranking(group, 2023).rows if r.assessment_id == last.pk)
    assert (rank.rank, rank.group_size, rank.prev_rank) == (row.rank, size, row.prev_rank)
