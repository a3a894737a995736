"""The publish confirmation: what will be published (total, index, rank in the group),
then the POST that publishes it; refused to the unit, another district and a sheet not
(fully) appraised."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import Assessment, AssessmentEvent, AssessmentStatus, Role, Score
from tests.factories import AssessmentFactory, score_assessment, update_scores, user_with_role
from tests.seed_000 import build_seed_000
from tests.web.sheet_setup import appraise_every_leaf, logged_in, make_world

pytestmark = pytest.mark.django_db
Status = AssessmentStatus


def url(assessment) -> str:
    return f"/danh-gia/{assessment.pk}/cong-bo/"


def appraise(assessment, points: dict[str, str]) -> None:
    score_assessment(assessment, dict.fromkeys(points, "0"))
    for code, value in points.items():
        update_scores(
            Score.objects.filter(assessment=assessment, criterion__code=code),
            appraised_score=Decimal(value),
        )


@pytest.fixture
def world():
    """Mine appraised at 4/5 (80 %); its neighbour appraised higher, a third peer in
    the group still a draft (not ranked)."""
    world = make_world(status=Status.APPRAISED)
    group = world.mine.unit.ranking_group
    group.name = "Khối xã, thị trấn huyện Thử"
    group.save()
    for assessment in (world.other,):
        assessment.unit.ranking_group = group
        assessment.unit.save()
        Assessment.objects.filter(pk=assessment.pk).update(ranking_group=group)
    appraise(world.mine, {"1.1": "1", "1.2": "1", "2.1": "2"})
    appraise(world.other, {"1.1": "1", "1.2": "2", "2.1": "2"})
    draft = AssessmentFactory(framework=world.mine.framework, status=Status.DRAFT)
    Assessment.objects.filter(pk=draft.pk).update(ranking_group=group)
    score_assessment(draft, {"1.1": "1", "1.2": "2", "2.1": "2"})
    return world


def test_the_confirmation_shows_total_index_and_rank_among_appraised_peers(world):
    client = logged_in(world.home_affairs)

    response = client.get(url(world.mine))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<strong>4</strong>/5 điểm" in page
    assert "<strong>80</strong>%" in page
    assert "hạng <strong>2/2</strong> trong khối xã, thị trấn huyện Thử" in page
    assert f'action="/danh-gia/{world.mine.pk}/cong-bo/"' in page
    assert "data-confirm=" not in page  # the page is the confirmation
    assert "Sau khi công bố, kết quả chỉ sửa được bằng «Mở lại»" in page
    assert Assessment.objects.get(pk=world.mine.pk).status == Status.APPRAISED


def test_the_sheet_leads_to_the_confirmation_rather_than_publishing(world):
    page = logged_in(world.home_affairs).get(f"/danh-gia/{world.mine.pk}/").content.decode()

    assert (
        f'<a class="button secondary" href="/danh-gia/{world.mine.pk}/cong-bo/">Công bố…</a>'
        in page
    )
    assert f"/danh-gia/{world.mine.pk}/buoc/publish/" not in page


def test_posting_the_confirmation_publishes(world):
    client = logged_in(world.home_affairs)

    response = client.post(url(world.mine))

    assert response["Location"] == f"/danh-gia/{world.mine.pk}/"
    assert Assessment.objects.get(pk=world.mine.pk).status == Status.PUBLISHED
    event = AssessmentEvent.objects.get()
    assert (event.action, event.user) == ("publish", world.home_affairs)
    assert "Đã công bố kết quả." in client.get(response["Location"]).content.decode()


def test_an_unappraised_leaf_is_named_on_the_confirmation_and_no_button_is_shown(world):
    update_scores(
        Score.objects.filter(assessment=world.mine, criterion__code="1.2"), appraised_score=None
    )
    client = logged_in(world.home_affairs)

    response = client.get(url(world.mine))

    page = response.content.decode()
    assert response.status_code == 409
    assert "Chưa thể công bố: còn 1 tiêu chí chưa có điểm thẩm định" in page
    assert "#leaf-" in page
    assert "Công bố kết quả</button>" not in page
    client.post(url(world.mine))
    assert Assessment.objects.get(pk=world.mine.pk).status == Status.APPRAISED


def test_a_sheet_not_yet_appraised_cannot_be_published_from_the_confirmation():
    world = make_world(status=Status.SUBMITTED)
    appraise_every_leaf(world.mine)
    client = logged_in(world.home_affairs)

    response = client.get(url(world.mine))
    posted = client.post(url(world.mine))

    assert response.status_code == 409
    assert "Không thể «công bố» khi kết quả đang ở trạng thái này." in response.content.decode()
    assert posted["Location"] == url(world.mine)
    assert Assessment.objects.get(pk=world.mine.pk).status == Status.SUBMITTED


@pytest.mark.parametrize(
    ("who", "target"),
    [("unit_user", "mine"), ("home_affairs", "outside"), ("other_district_home_affairs", "mine")],
)
def test_the_confirmation_is_refused_to_the_unit_and_to_other_districts(world, who, target):
    client = logged_in(getattr(world, who))
    assessment = getattr(world, target)
    appraise_every_leaf(assessment)

    assert client.get(url(assessment)).status_code == 403
    assert client.post(url(assessment)).status_code == 403
    assert Assessment.objects.get(pk=assessment.pk).status == Status.APPRAISED


def test_the_confirmation_refuses_other_methods(world):
    assert logged_in(world.home_affairs).put(url(world.mine)).status_code == 405


def test_the_confirmation_takes_the_same_queries_whatever_the_size_of_the_group(world):
    client = logged_in(world.home_affairs)
    with CaptureQueriesContext(connection) as few:
        client.get(url(world.mine))
    for _ in range(5):
        peer = AssessmentFactory(framework=world.mine.framework, status=Status.APPRAISED)
        Assessment.objects.filter(pk=peer.pk).update(ranking_group=world.mine.ranking_group)
        appraise(peer, {"1.1": "1", "1.2": "2", "2.1": "1"})

    with CaptureQueriesContext(connection) as many:
        page = client.get(url(world.mine)).content.decode()

    assert "hạng <strong>2/7</strong>" in page  # tied with the five peers
    assert len(many) == len(few) <= 20


def test_the_confirmation_shows_the_fields_and_the_survey_parts_apart():
    seed = build_seed_000()  # seed 000: 88,21 = 69,46 + 18,75
    Assessment.objects.filter(pk=seed.assessment.pk).update(status=AssessmentStatus.APPRAISED)
    home_affairs = user_with_role(Role.HOME_AFFAIRS, seed.province, username="noivu.mau")

    html = logged_in(home_affairs).get(url(seed.assessment)).content.decode()

    assert "<strong>88,21</strong>/100 điểm" in html
    assert "điểm thẩm định các lĩnh vực <strong>69,46</strong>/75" in html
    assert "điểm điều tra xã hội học <strong>18,75</strong>/25" in html
