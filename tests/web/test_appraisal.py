"""Completeness before "Hoàn tất thẩm định" and "Công bố", accepting self scores for the
empty leaves, and the appraisal signed off with the appraiser's full name."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.appraisal import unappraised_leaves
from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Criterion,
    CriterionSource,
    Score,
)
from tests.factories import score_assessment, update_scores, user_with_role
from tests.web.sheet_setup import (
    appraise_every_leaf,
    leaf_ids,
    logged_in,
    make_world,
    token,
)

pytestmark = pytest.mark.django_db
Status = AssessmentStatus
Action = AssessmentEvent.Action


def step(client, assessment, action: str):
    return client.post(f"/danh-gia/{assessment.pk}/buoc/{action}/")


def accept(client, assessment, stale: str | None = None):
    data = {"token": token(assessment) if stale is None else stale}
    return client.post(f"/danh-gia/{assessment.pk}/chap-nhan-tu-cham/", data)


def appraised(assessment) -> dict[str, Decimal | None]:
    return dict(
        Score.objects.filter(assessment=assessment).values_list(
            "criterion__code", "appraised_score"
        )
    )


def page_after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def test_completing_an_empty_appraisal_is_refused_with_every_leaf_listed_and_linked():
    world = make_world(status=Status.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2", "2.1": "1"})
    client = logged_in(world.home_affairs)
    ids = leaf_ids(world.mine)

    response = step(client, world.mine, "appraise")

    page = page_after(client, response)
    assert "Chưa thể hoàn tất thẩm định: còn 3 tiêu chí chưa có điểm thẩm định" in page
    for code in ("1.1", "1.2", "2.1"):
        assert f'<a href="/danh-gia/{world.mine.pk}/#leaf-{ids[code]}">{code}</a>' in page
        assert f"Tiêu chí {code}" in page
    assert Assessment.objects.get(pk=world.mine.pk).status == Status.SUBMITTED
    assert not AssessmentEvent.objects.exists()


def test_the_refusal_suggests_accepting_self_scores_only_when_there_are_some_to_accept():
    world = make_world(status=Status.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2", "2.1": "1"})
    client = logged_in(world.home_affairs)

    page = page_after(client, step(client, world.mine, "appraise"))
    assert "(hoặc «Chấp nhận điểm tự chấm cho các tiêu chí còn trống»)" in page

    # Only a survey leaf is left: it has no self score, so accepting would fill nothing.
    ids = leaf_ids(world.mine)
    update_scores(Score.objects.filter(assessment=world.mine), appraised_score=1)
    Criterion.objects.filter(pk=ids["2.1"]).update(source=CriterionSource.SURVEY)
    update_scores(
        Score.objects.filter(assessment=world.mine, criterion_id=ids["2.1"]),
        self_score=None,
        appraised_score=None,
    )
    page = page_after(client, step(client, world.mine, "appraise"))
    assert "còn 1 tiêu chí chưa có điểm thẩm định" in page
    assert "Chấp nhận điểm tự chấm cho các tiêu chí còn trống»)" not in page


def test_only_the_leaves_still_unappraised_are_listed_and_not_applicable_ones_are_not():
    world = make_world(status=Status.SUBMITTED)
    ids = leaf_ids(world.mine)
    Score.objects.create(assessment=world.mine, criterion_id=ids["1.1"], appraised_score=1)
    Score.objects.create(assessment=world.mine, criterion_id=ids["2.1"], not_applicable=True)
    Criterion.objects.filter(pk=ids["1.2"]).update(source=CriterionSource.SURVEY)

    leaves = unappraised_leaves(world.mine)

    assert [(leaf.code, leaf.title) for leaf in leaves] == [("1.2", "Tiêu chí 1.2")]


def test_a_long_list_names_the_first_twenty_and_counts_the_rest():
    rows = [("1", None, "30")] + [(f"1.{n}", "1", "1") for n in range(1, 31)]
    world = make_world(status=Status.SUBMITTED, rows=rows)
    client = logged_in(world.home_affairs)

    page = page_after(client, step(client, world.mine, "appraise"))

    assert "còn 30 tiêu chí chưa có điểm thẩm định" in page
    assert ">1.20</a> Tiêu chí 1.20 và 10 tiêu chí khác." in page
    assert ">1.1</a>" in page and ">1.21</a>" not in page


def test_the_unappraised_leaves_are_found_in_one_query_whatever_their_number():
    rows = [("1", None, "40")] + [(f"1.{n}", "1", "1") for n in range(1, 41)]
    world = make_world(status=Status.SUBMITTED, rows=rows)

    with CaptureQueriesContext(connection) as queries:
        leaves = unappraised_leaves(world.mine)

    assert len(leaves) == 40
    assert len(queries) == 1


def test_a_complete_appraisal_is_signed_with_the_full_name_and_the_round():
    world = make_world(status=Status.SUBMITTED)
    appraise_every_leaf(world.mine)
    world.home_affairs.first_name, world.home_affairs.last_name = "Thị Hoa", "Nguyễn"
    world.home_affairs.save()
    client = logged_in(world.home_affairs)

    response = step(client, world.mine, "appraise")

    event = AssessmentEvent.objects.get()
    assert (event.action, event.signer_name, event.appraisal_round) == (
        Action.APPRAISE,
        "Nguyễn Thị Hoa",
        1,
    )
    page = page_after(client, response)
    assert "Hoàn tất thẩm định · Nguyễn Thị Hoa ·" in page
    assert "noivu.thu ·" not in page


def test_an_appraiser_without_a_full_name_is_refused_and_told_what_to_do():
    world = make_world(status=Status.SUBMITTED)
    appraise_every_leaf(world.mine)
    nameless = user_with_role(
        "home_affairs", world.district, username="noivu.khongten", full_name=""
    )
    client = logged_in(nameless)

    page = page_after(client, step(client, world.mine, "appraise"))

    assert "Tài khoản của bạn chưa có họ tên" in page
    assert "Đề nghị quản trị viên nhập họ tên của bạn" in page
    assert Assessment.objects.get(pk=world.mine.pk).status == Status.SUBMITTED
    assert not AssessmentEvent.objects.exists()


def test_publishing_is_refused_when_a_score_was_cleared_after_the_appraisal():
    world = make_world(status=Status.APPRAISED)
    appraise_every_leaf(world.mine)
    update_scores(Score.objects.filter(criterion__code="2.1"), appraised_score=None)  # an import
    client = logged_in(world.home_affairs)

    response = client.post(f"/danh-gia/{world.mine.pk}/buoc/publish/")

    page = page_after(client, response)
    assert "Chưa thể công bố: còn 1 tiêu chí chưa có điểm thẩm định" in page
    assert Assessment.objects.get(pk=world.mine.pk).status == Status.APPRAISED


def test_accepting_self_scores_fills_only_the_empty_applicable_leaves_as_the_users_act():
    rows = [("1", None, "3"), ("1.1", "1", "1"), ("1.2", "1", "2"), ("2", None, "4")]
    rows += [("2.1", "2", "1"), ("2.2", "2", "1"), ("2.3", "2", "2")]
    world = make_world(status=Status.SUBMITTED, rows=rows)
    ids = leaf_ids(world.mine)
    score_assessment(world.mine, {"1.1": "1", "1.2": "1,5", "2.1": "0,5", "2.2": "1"})
    update_scores(Score.objects.filter(criterion_id=ids["1.1"]), appraised_score=Decimal("0.25"))
    update_scores(Score.objects.filter(criterion_id=ids["2.2"]), not_applicable=True)
    Criterion.objects.filter(pk=ids["2.3"]).update(source=CriterionSource.SURVEY)
    client = logged_in(world.home_affairs)
    page = client.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "Chấp nhận điểm tự chấm cho các tiêu chí còn trống (2)" in page
    assert 'data-confirm="Lấy điểm tự chấm làm điểm thẩm định cho 2 tiêu chí' in page

    response = accept(client, world.mine)

    assert appraised(world.mine) == {
        "1.1": Decimal("0.25"),  # kept: the appraiser's own figure
        "1.2": Decimal("1.5"),
        "2.1": Decimal("0.5"),
        "2.2": None,  # not applicable
    }
    assert "2.3" not in appraised(world.mine)  # the survey leaf stays Nội vụ's to enter
    event = AssessmentEvent.objects.get()
    assert (event.action, event.from_status, event.to_status, event.user) == (
        Action.ACCEPT_SELF,
        Status.SUBMITTED,
        Status.SUBMITTED,
        world.home_affairs,
    )
    assert event.reason == "2 tiêu chí lấy điểm tự chấm làm điểm thẩm định: 1.2, 2.1."
    record = Score.history.filter(criterion_id=ids["1.2"]).first()
    assert (record.appraised_score, record.history_user) == (Decimal("1.5"), world.home_affairs)
    assert record.history_change_reason == "chấp nhận điểm tự chấm"
    assert Assessment.objects.get(pk=world.mine.pk).version == 1
    assert "cho 2 tiêu chí còn trống: 1.2, 2.1." in page_after(client, response)
    history = client.get(f"/danh-gia/{world.mine.pk}/tieu-chi/{ids['1.2']}/lich-su/")
    assert "(chấp nhận điểm tự chấm)" in history.content.decode()


def test_accepting_self_scores_refuses_a_sheet_changed_since_it_was_read():
    world = make_world(status=Status.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2", "2.1": "1"})
    opened = token(world.mine)
    client = logged_in(world.home_affairs)
    client.post(
        f"/danh-gia/{world.mine.pk}/luu/",
        {f"appraised-{leaf_ids(world.mine)['1.1']}": "0,5", "token": opened},
    )

    response = accept(client, world.mine, stale=opened)

    assert appraised(world.mine) == {"1.1": Decimal("0.5"), "1.2": None, "2.1": None}
    assert not AssessmentEvent.objects.exists()
    assert "Phiếu chấm đã thay đổi sau khi bạn mở nó" in page_after(client, response)


def test_accepting_then_completing_the_appraisal_goes_through():
    world = make_world(status=Status.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2", "2.1": "1"})
    client = logged_in(world.home_affairs)

    accept(client, world.mine)
    step(client, world.mine, "appraise")

    assert Assessment.objects.get(pk=world.mine.pk).status == Status.APPRAISED
    actions = list(AssessmentEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [Action.ACCEPT_SELF, Action.APPRAISE]
    page = client.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "Chấp nhận điểm tự chấm cho các tiêu chí còn trống" not in page  # nothing to fill


@pytest.mark.parametrize(
    ("who", "target", "status", "expected"),
    [
        ("unit_user", "mine", Status.SUBMITTED, 403),
        ("home_affairs", "outside", Status.SUBMITTED, 403),
        ("other_district_home_affairs", "mine", Status.SUBMITTED, 403),
        ("home_affairs", "mine", Status.PUBLISHED, 302),  # appraisal not open: a message
    ],
)
def test_accepting_self_scores_is_refused_to_others_and_outside_appraisal(
    who, target, status, expected
):
    world = make_world(status=status)
    assessment = getattr(world, target)
    score_assessment(assessment, {"1.1": "1"})
    client = logged_in(getattr(world, who))

    response = accept(client, assessment)

    assert response.status_code == expected
    assert appraised(assessment) == {"1.1": None}
    assert not AssessmentEvent.objects.exists()
    if expected == 302:
        assert "Thẩm định không mở, nên chưa điền điểm nào." in page_after(client, response)


def test_accepting_self_scores_refuses_get():
    world = make_world(status=Status.SUBMITTED)

    response = logged_in(world.home_affairs).get(f"/danh-gia/{world.mine.pk}/chap-nhan-tu-cham/")

    assert response.status_code == 405


def test_the_unit_does_not_see_the_accept_button():
    world = make_world(status=Status.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1"})

    page = logged_in(world.unit_user).get(f"/danh-gia/{world.mine.pk}/").content.decode()

    assert "Chấp nhận điểm tự chấm" not in page
