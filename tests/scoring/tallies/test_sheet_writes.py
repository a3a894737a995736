"""The scoring sheet's saves and "chấp nhận điểm tự chấm" leave the stored tallies at
the values worked out by hand from the sheet (framework: 1.1 max 1 and 1.2 max 2 in
field 1, 2.1 max 2 in field 2; 5 points in all)."""

import pytest

from scoring.models import AssessmentStatus, FieldTally
from tests.factories import score_assessment, update_scores
from tests.scoring.tallies import writes
from tests.scoring.tallies.stored import WHOLE, assert_right, stored, tally
from tests.web.sheet_setup import logged_in, make_world, token

pytestmark = pytest.mark.django_db


def post_sheet(client, assessment, column: str, values: dict[str, str], **marks):
    response = writes.post_sheet(client, assessment, column, values, **marks)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_a_unit_saving_self_scores_stores_its_totals_per_field_and_whole():
    world = make_world()

    post_sheet(logged_in(world.unit_user), world.mine, "self", {"1.1": "0,75", "1.2": "1,5"})

    assert stored(world.mine) == {
        WHOLE: tally("5", "2.25", "2.25", applicable=3, self_scored=2),
        "1": tally("3", "2.25", "2.25", applicable=2, self_scored=2),
        "2": tally("2", "0", None, applicable=1),
    }
    assert_right(world.mine)


def test_a_unit_clearing_and_changing_cells_moves_the_stored_totals():
    world = make_world()
    client = logged_in(world.unit_user)
    post_sheet(client, world.mine, "self", {"1.1": "1", "1.2": "2", "2.1": "2"})

    post_sheet(client, world.mine, "self", {"1.2": "0,5", "2.1": "1,25"})

    assert stored(world.mine) == {
        WHOLE: tally("5", "1.75", "1.75", applicable=3, self_scored=2),
        "1": tally("3", "0.5", "0.5", applicable=2, self_scored=1),
        "2": tally("2", "1.25", "1.25", applicable=1, self_scored=1),
    }
    assert world.other.tally.achieved_milli == 0  # the neighbour's sheet is not touched


def test_appraised_scores_replace_the_self_scores_they_cover():
    world = make_world(status=AssessmentStatus.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2", "2.1": "2"})

    post_sheet(logged_in(world.home_affairs), world.mine, "appraised", {"1.1": "0,5", "2.1": "1"})

    # 1.2 keeps the unit's 2 until it is appraised: 0.5 + 2 + 1.
    assert stored(world.mine) == {
        WHOLE: tally("5", "3.5", "5", applicable=3, self_scored=1, appraised=2),
        "1": tally("3", "2.5", "3", applicable=2, self_scored=1, appraised=1),
        "2": tally("2", "1", "2", applicable=1, appraised=1),
    }


def test_ticking_not_applicable_takes_the_leaf_out_of_points_and_max_and_unticking_puts_it_back():
    world = make_world(status=AssessmentStatus.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2", "2.1": "1,5"})
    client = logged_in(world.home_affairs)

    post_sheet(client, world.mine, "appraised", {}, not_applicable=["2.1"])

    assert stored(world.mine) == {
        WHOLE: tally("3", "3", "3", applicable=2, self_scored=2),
        "1": tally("3", "3", "3", applicable=2, self_scored=2),
        "2": tally("0", "0", None, applicable=0),
    }

    post_sheet(client, world.mine, "appraised", {})

    assert stored(world.mine)[WHOLE] == tally("5", "4.5", "4.5", applicable=3, self_scored=3)
    assert stored(world.mine)["2"] == tally("2", "1.5", "1.5", applicable=1, self_scored=1)


def field_rows(assessment) -> set[int]:
    return set(FieldTally.objects.filter(assessment=assessment).values_list("pk", flat=True))


def test_a_save_that_changes_nothing_leaves_the_stored_rows_as_they_were():
    world = make_world()
    client = logged_in(world.unit_user)
    post_sheet(client, world.mine, "self", {"1.1": "1", "2.1": "0,5"})
    before = stored(world.mine)
    rows = field_rows(world.mine)

    post_sheet(client, world.mine, "self", {"1.1": "1", "2.1": "0,5"})

    assert stored(world.mine) == before
    assert before[WHOLE] == tally("5", "1.5", "1.5", applicable=3, self_scored=2)
    # Not even rewritten: a refresh would have inserted new field rows.
    assert field_rows(world.mine) == rows


def test_accepting_self_scores_counts_them_as_appraised_with_the_same_points():
    world = make_world(status=AssessmentStatus.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "1,5", "2.1": "2"})
    update_scores(world.mine.scores.filter(criterion__code="1.1"), appraised_score=0)

    response = logged_in(world.home_affairs).post(
        f"/danh-gia/{world.mine.pk}/chap-nhan-tu-cham/", {"token": token(world.mine)}
    )

    assert response.status_code == 302
    assert stored(world.mine) == {
        WHOLE: tally("5", "3.5", "4.5", applicable=3, appraised=3),
        "1": tally("3", "1.5", "2.5", applicable=2, appraised=2),
        "2": tally("2", "2", "2", applicable=1, appraised=1),
    }
    assert_right(world.mine)
