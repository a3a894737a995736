"""What-if in the engine: the rank a unit would have with points won back, the others'
points as stored, by the rules of the group's ranking (RANK, on the index)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.engine import (
    Tally,
    assessment_breakdown,
    group_ranking,
    points_at_stake,
    unit_rank,
    what_if_rank,
    won_back,
)
from scoring.models import Assessment, AssessmentStatus, Score
from tests.factories import (
    AssessmentFactory,
    RankingGroupFactory,
    UnitFactory,
    build_framework,
    load_demo_data,
    score_assessment,
    update_scores,
)
from tests.web.dashboard_data import SMALL_FRAMEWORK

pytestmark = pytest.mark.django_db

PUBLISHED = [AssessmentStatus.PUBLISHED]


@pytest.fixture
def cam_son_2023() -> Assessment:
    load_demo_data()
    return Assessment.objects.get(unit__code="HT-CX-CS", year=2023)


def peers_ahead(assessment: Assessment) -> list[Decimal]:
    """The published totals of the peers ranked above the unit, highest first."""
    ranking = group_ranking(assessment.ranking_group, assessment.year, statuses=PUBLISHED)
    own = next(row for row in ranking.rows if row.assessment_id == assessment.pk)
    return [row.tally.achieved for row in ranking.rows if row.rank < own.rank]


def test_taking_back_criterion_1_3_passes_no_peer_of_cam_son(cam_son_2023):
    breakdown = assessment_breakdown(cam_son_2023)
    lost = breakdown.node("1.3").tally.deducted
    assert lost == Decimal("1.5")
    # Two peers were ahead of 85,08 (3/23), at 92,21 and 87,23; 85,08 + 1,5 = 86,58 is
    # still below both, so Cẩm Sơn stays 3rd of 23.
    assert peers_ahead(cam_son_2023) == [Decimal("92.21"), Decimal("87.23")]

    rank = what_if_rank(cam_son_2023, gained=lost, statuses=PUBLISHED)

    assert rank.tally == Tally(Decimal(100), Decimal("86.58"))
    assert (rank.rank, rank.group_size, rank.present_rank) == (3, 23, 3)
    assert rank.places_gained == 0
    assert not rank.shared


def test_criteria_1_3_and_7_11_pass_one_peer(cam_son_2023):
    breakdown = assessment_breakdown(cam_son_2023)
    ids = {breakdown.node("1.3").criterion_id, breakdown.node("7.11").criterion_id}
    gained = points_at_stake(breakdown, ids)
    # 1,5 on 1.3 and 9,5 − 7,74 = 1,76 on 7.11: 85,08 + 3,26 = 88,34 passes 87,23 but
    # not 92,21: 2nd of 23, one place up.
    assert gained == Decimal("3.26")

    rank = what_if_rank(cam_son_2023, gained=gained, statuses=PUBLISHED)

    assert (rank.rank, rank.group_size, rank.places_gained, rank.shared) == (2, 23, 1, False)


def test_landing_exactly_on_a_peers_total_shares_its_rank(cam_son_2023):
    # 85,08 + 2,15 = 87,23, the 2nd peer's total on the same max of 100: đồng hạng 2.
    rank = what_if_rank(cam_son_2023, gained=Decimal("2.15"), statuses=PUBLISHED)

    assert (rank.rank, rank.shared, rank.present_rank, rank.present_shared) == (2, True, 3, False)


def test_every_point_back_puts_cam_son_first(cam_son_2023):
    breakdown = assessment_breakdown(cam_son_2023)

    rank = what_if_rank(cam_son_2023, gained=breakdown.total.deducted, statuses=PUBLISHED)

    assert (rank.rank, rank.tally.achieved) == (1, Decimal(100))


def test_nothing_won_back_is_the_present_rank(cam_son_2023):
    present = unit_rank(cam_son_2023, statuses=PUBLISHED)

    rank = what_if_rank(cam_son_2023, gained=Decimal(0), statuses=PUBLISHED)

    assert (rank.rank, rank.group_size, rank.tally) == (present.rank, 23, present.tally)


def test_the_rank_is_one_query(cam_son_2023):
    with CaptureQueriesContext(connection) as captured:
        what_if_rank(cam_son_2023, gained=Decimal("1.5"), statuses=PUBLISHED)
    assert len(captured) == 1


def test_more_than_the_deducted_points_is_refused(cam_son_2023):
    with pytest.raises(ValueError):
        what_if_rank(cam_son_2023, gained=Decimal("14.93"), statuses=PUBLISHED)
    with pytest.raises(ValueError):
        won_back(Tally(Decimal(10), Decimal(9)), Decimal("-0.5"))


@pytest.fixture
def lowered_max_group():
    """L has 2.2 not applicable (max 9) and 7,2 points (80%); P1 8,5/10 (85%), P2 8,2/10
    (82%): L is 3rd though its points beat no one's by much."""
    framework = build_framework(SMALL_FRAMEWORK)
    group = RankingGroupFactory()
    sheets = {}
    for code, points in {
        "L": {"1.1": "2.2", "1.2": "2", "2.1": "3"},
        "P1": {"1.1": "2.5", "1.2": "2", "2.1": "3", "2.2": "1"},
        "P2": {"1.1": "2.2", "1.2": "2", "2.1": "3", "2.2": "1"},
    }.items():
        unit = UnitFactory(code=code, ranking_group=group)
        sheets[code] = AssessmentFactory(unit=unit, framework=framework, ranking_group=group)
        score_assessment(sheets[code], points)
    score_assessment(sheets["L"], {"2.2": None}, not_applicable=True)
    return sheets


def test_a_unit_with_a_lowered_max_is_ranked_on_its_index(lowered_max_group):
    lowered = lowered_max_group["L"]
    assert unit_rank(lowered, statuses=PUBLISHED).rank == 3
    # 0,45 more gives 7,65/9 = 85%, P1's index (on 8,5/10): a shared 1st although
    # 7,65 points are fewer than P1's and P2's.
    rank = what_if_rank(lowered, gained=Decimal("0.45"), statuses=PUBLISHED)

    assert rank.tally == Tally(Decimal(9), Decimal("7.65"))
    assert (rank.rank, rank.shared, rank.places_gained) == (1, True, 2)
    # 0,2 more: 7,4/9 = 82,2%, just above P2's 82%: 2nd, alone.
    rank = what_if_rank(lowered, gained=Decimal("0.2"), statuses=PUBLISHED)
    assert (rank.rank, rank.shared) == (2, False)


def test_a_result_outside_the_statuses_has_no_rank(lowered_max_group):
    lowered = lowered_max_group["L"]
    Assessment.objects.filter(pk=lowered.pk).update(status=AssessmentStatus.APPRAISED)
    lowered.refresh_from_db()

    assert what_if_rank(lowered, gained=Decimal("0.45"), statuses=PUBLISHED) is None
    rank = what_if_rank(lowered, gained=Decimal("0.45"), statuses=None)
    assert rank.rank == 1


@pytest.mark.parametrize("codes", [("1.3",), ("1.3", "7.11"), ("8", "5", "7.11", "3")])
def test_the_what_if_rank_is_the_rank_the_points_would_really_get(cam_son_2023, codes):
    breakdown = assessment_breakdown(cam_son_2023)
    leaves = [breakdown.node(code) for code in codes]
    gained = points_at_stake(breakdown, {leaf.criterion_id for leaf in leaves})
    predicted = what_if_rank(cam_son_2023, gained=gained, statuses=PUBLISHED)

    for leaf in leaves:  # win the points back for real, through the tallies' write path
        update_scores(
            Score.objects.filter(assessment=cam_son_2023, criterion_id=leaf.criterion_id),
            appraised_score=leaf.tally.max_points,
        )
    real = unit_rank(cam_son_2023, statuses=PUBLISHED)

    assert (predicted.rank, predicted.shared) == (real.rank, real.shared)
    assert predicted.tally == real.tally
