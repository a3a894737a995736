"""The admin's writes (a score's change form, adding, deleting and moving scores, adding
or re-pointing an assessment) leave the stored tallies at the new totals (framework: 1.1
max 1 and 1.2 max 2 in field 1, 2.1 max 2 in field 2)."""

import pytest
from django.urls import reverse

from scoring.models import Assessment, AssessmentStatus, Score
from tests.factories import UnitFactory, build_framework, score_assessment
from tests.scoring.tallies.stored import WHOLE, assert_right, stored, tally
from tests.web.sheet_setup import leaf_ids, make_world
from tests.web.test_sheet_stale_writes import admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    score_assessment(world.mine, {"1.1": "0,5", "1.2": "1"})
    return world


def score_of(assessment, code: str) -> Score:
    return Score.objects.get(assessment=assessment, criterion__code=code)


def change_score(admin_client, score: Score, **changes):
    url = reverse("admin:scoring_score_change", args=[score.pk])
    response = admin_client.post(url, admin_form(admin_client, url, **changes))
    assert response.status_code == 302
    return response


def test_a_score_changed_in_its_form_moves_the_stored_totals(world, admin_client):
    change_score(admin_client, score_of(world.mine, "1.2"), self_score="2", appraised_score="1,5")

    assert stored(world.mine) == {
        WHOLE: tally("5", "2", "2.5", applicable=3, self_scored=1, appraised=1),
        "1": tally("3", "2", "2.5", applicable=2, self_scored=1, appraised=1),
        "2": tally("2", "0", None, applicable=1),
    }


def test_a_score_marked_not_applicable_in_its_form_leaves_the_max(world, admin_client):
    change_score(admin_client, score_of(world.mine, "1.2"), not_applicable="on")

    assert stored(world.mine)[WHOLE] == tally("3", "0.5", "0.5", applicable=2, self_scored=1)
    assert stored(world.mine)["1"] == tally("1", "0.5", "0.5", applicable=1, self_scored=1)


def test_a_score_the_admin_adds_is_counted(world, admin_client):
    data = {"assessment": world.mine.pk, "criterion": leaf_ids(world.mine)["2.1"]}
    data |= {"self_score": "1,5", "appraised_score": "", "note": ""}

    response = admin_client.post(reverse("admin:scoring_score_add"), data)

    assert response.status_code == 302
    assert stored(world.mine)[WHOLE] == tally("5", "3", "3", applicable=3, self_scored=3)
    assert stored(world.mine)["2"] == tally("2", "1.5", "1.5", applicable=1, self_scored=1)


def test_a_score_the_admin_deletes_leaves_the_totals(world, admin_client):
    score = score_of(world.mine, "1.1")

    url = reverse("admin:scoring_score_delete", args=[score.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert stored(world.mine)[WHOLE] == tally("5", "1", "1", applicable=3, self_scored=1)
    assert stored(world.mine)["1"] == tally("3", "1", "1", applicable=2, self_scored=1)


def test_the_delete_action_updates_every_assessment_it_touched(world, admin_client):
    score_assessment(world.other, {"1.1": "1", "2.1": "2"})
    chosen = Score.objects.filter(criterion__code="1.1")
    data = {"action": "delete_selected", "_selected_action": [s.pk for s in chosen], "post": "yes"}

    response = admin_client.post(reverse("admin:scoring_score_changelist"), data)

    assert response.status_code == 302
    assert stored(world.mine)[WHOLE] == tally("5", "1", "1", applicable=3, self_scored=1)
    assert stored(world.other)[WHOLE] == tally("5", "2", "2", applicable=3, self_scored=1)


def test_a_score_moved_to_another_assessment_moves_its_points_with_it(world, admin_client):
    change_score(admin_client, score_of(world.mine, "1.1"), assessment=world.other.pk)

    assert stored(world.mine)[WHOLE] == tally("5", "1", "1", applicable=3, self_scored=1)
    assert stored(world.other)[WHOLE] == tally("5", "0.5", "0.5", applicable=3, self_scored=1)


def test_an_assessment_the_admin_adds_starts_at_the_frameworks_max_and_zero(world, admin_client):
    unit = UnitFactory(parent=world.district, ranking_group=world.mine.ranking_group)
    data = {
        "unit": unit.pk,
        "year": 2024,
        "framework": world.mine.framework_id,
        "ranking_group": unit.ranking_group_id,
        "status": AssessmentStatus.DRAFT,
        "appraisal_round": 1,
    }

    response = admin_client.post(reverse("admin:scoring_assessment_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Assessment.objects.get(unit=unit, year=2024)
    assert stored(added) == {
        WHOLE: tally("5", "0", None, applicable=3),
        "1": tally("3", "0", None, applicable=2),
        "2": tally("2", "0", None, applicable=1),
    }


def test_an_assessment_moved_to_another_framework_takes_that_frameworks_max(world, admin_client):
    other = build_framework([("A", None, "10"), ("A.1", "A", "4"), ("A.2", "A", "6")])
    url = reverse("admin:scoring_assessment_change", args=[world.other.pk])

    response = admin_client.post(url, admin_form(admin_client, url, framework=other.pk))

    assert response.status_code == 302
    assert stored(world.other) == {
        WHOLE: tally("10", "0", None, applicable=2),
        "A": tally("10", "0", None, applicable=2),
    }
    assert_right(world.other)
