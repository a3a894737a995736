"""Last year's rank and points in a ranking asked for with statuses come only from those
statuses: a published-only ranking never reveals an appraised but unpublished last year,
while Nội vụ's provisional ranking still compares with it."""

from decimal import Decimal

import pytest

from scoring.analysis.visibility import PROVISIONAL, PUBLISHED
from scoring.engine import group_ranking, ranking_page, unit_rank
from scoring.models import Assessment
from tests.scoring.public.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_published_ranking_compares_only_with_last_years_published_results(world):
    rows = {
        row.unit_code: row for row in group_ranking(world.published, 2023, statuses=PUBLISHED).rows
    }

    assert set(rows) == {"A", "B", "C"}
    # 2022 published: B 80 (1st), A 70 (2nd); C's 75 was never published.
    assert (rows["A"].rank, rows["A"].prev_rank, rows["A"].rank_change) == (1, 2, 1)
    assert rows["A"].prev_tally.achieved == Decimal("70")
    assert (rows["B"].rank, rows["B"].prev_rank, rows["B"].rank_change) == (2, 1, -1)
    assert rows["C"].rank == 2 and rows["C"].prev_rank is None and rows["C"].prev_tally is None


def test_provisional_ranking_still_compares_with_last_years_appraised_results(world):
    rows = {
        row.unit_code: row
        for row in group_ranking(world.published, 2023, statuses=PROVISIONAL).rows
    }

    # D's 95 (appraised) leads this year; last year B 80, C 75, A 70.
    assert (rows["D"].rank, rows["A"].rank, rows["B"].rank) == (1, 2, 3)
    assert (rows["A"].prev_rank, rows["B"].prev_rank, rows["C"].prev_rank) == (3, 1, 2)
    assert rows["C"].prev_tally.achieved == Decimal("75")


def test_unit_rank_and_a_page_follow_the_same_rule(world):
    cat = Assessment.objects.get(unit__code="C", year=2023)

    assert unit_rank(cat, statuses=PUBLISHED).prev_rank is None
    assert unit_rank(cat, statuses=PROVISIONAL).prev_rank == 2
    (row,) = ranking_page(world.published, 2023, statuses=PUBLISHED, search="Cát").rows
    assert row.prev_rank is None


def test_without_statuses_last_year_is_every_settled_result(world):
    rows = {row.unit_code: row for row in group_ranking(world.published, 2023).rows}

    assert rows["C"].prev_rank == 2
