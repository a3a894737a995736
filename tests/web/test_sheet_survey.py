"""Survey leaves on the sheet: Nội vụ enters them, the unit cannot."""

from decimal import Decimal

import pytest

from scoring.models import AssessmentStatus, Criterion, Score
from tests.factories import make_survey, score_assessment
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token

pytestmark = pytest.mark.django_db

SURVEY_TEXT = "do Nội vụ nhập từ kết quả điều tra"
REFUSED = "Tiêu chí điều tra xã hội học do Nội vụ nhập từ kết quả điều tra; đơn vị không tự chấm."


def survey_world(status: str = AssessmentStatus.DRAFT):
    """The small framework with field 2 (leaf 2.1, 2 points) as the survey part."""
    world = make_world(status=status)
    make_survey(Criterion.objects.filter(framework=world.mine.framework, code__startswith="2"))
    return world


def save(client, assessment, data: dict[str, str]):
    return client.post(f"/danh-gia/{assessment.pk}/luu/", {**data, "token": token(assessment)})


def stored(assessment, field: str) -> dict[str, Decimal | None]:
    return dict(Score.objects.filter(assessment=assessment).values_list("criterion__code", field))


def test_the_unit_sees_the_survey_leaf_read_only_and_the_others_as_inputs():
    world = survey_world()
    ids = leaf_ids(world.mine)

    page = logged_in(world.unit_user).get(f"/danh-gia/{world.mine.pk}/").content.decode()

    row = page[page.index(f'id="leaf-{ids["2.1"]}"') :]
    row = row[: row.index("</tr>")]
    assert SURVEY_TEXT in row
    assert f'name="self-{ids["2.1"]}"' not in page
    assert f'name="self-{ids["1.1"]}"' in page
    assert page.count(SURVEY_TEXT) == 1


@pytest.mark.parametrize("column", ["self", "tier", "ratio"])
def test_a_hand_crafted_self_value_on_a_survey_leaf_is_refused_and_nothing_is_saved(column):
    world = survey_world()
    ids = leaf_ids(world.mine)
    client = logged_in(world.unit_user)

    response = save(client, world.mine, {f"self-{ids['1.1']}": "1", f"{column}-{ids['2.1']}": "2"})

    page = response.content.decode()
    assert response.status_code == 400
    assert REFUSED in page
    assert "Chưa lưu: 1 ô (tiêu chí 2.1) nhập chưa đúng" in page
    assert f'name="self-{ids["1.1"]}" value="1"' in page  # the valid cell keeps what was typed
    assert not Score.objects.filter(assessment=world.mine).exists()
    world.mine.refresh_from_db()
    assert world.mine.version == 0


def test_the_unit_saves_its_own_leaves_and_no_self_score_reaches_the_survey_leaf():
    world = survey_world()
    ids = leaf_ids(world.mine)

    response = save(
        logged_in(world.unit_user),
        world.mine,
        {f"self-{ids['1.1']}": "1", f"self-{ids['1.2']}": "1,5", f"note-{ids['2.1']}": "Ghi chú"},
    )

    assert response.status_code == 302
    assert stored(world.mine, "self_score") == {
        "1.1": Decimal("1"),
        "1.2": Decimal("1.5"),
        "2.1": None,
    }


def test_home_affairs_enters_the_survey_score_in_the_appraised_column():
    world = survey_world(status=AssessmentStatus.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2"})
    ids = leaf_ids(world.mine)
    client = logged_in(world.home_affairs)

    page = client.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert f'name="appraised-{ids["2.1"]}"' in page
    assert SURVEY_TEXT in page

    response = save(client, world.mine, {f"appraised-{ids['2.1']}": "1,75"})

    assert response.status_code == 302
    assert stored(world.mine, "appraised_score")["2.1"] == Decimal("1.75")
    page = client.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert 'id="total-achieved">4,75<' in page
