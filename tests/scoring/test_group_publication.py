"""Publishing a whole khối in one step under its decision: every sheet or none."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.access import user_role
from scoring.cycles.publication import (
    PublicationRefused,
    default_issuer,
    group_publication,
    group_publish,
)
from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    PublicationDecision,
    Score,
    ScoringCalendar,
)
from tests.factories import update_scores
from tests.scoring.publication_setup import YEAR, add_sheets, group_world, statuses

pytestmark = pytest.mark.django_db
Status = AssessmentStatus
DECISION = {
    "number": "9471/QĐ-UBND",
    "signed_on": date(2023, 12, 26),
    "issuer": "UBND huyện Thử",
    "signer_name": "Lê Văn Nam",
    "subject": "phê duyệt Chỉ số cải cách hành chính năm 2023",
}


def publish(world, user=None, **fields):
    return group_publish(
        group=world.group, year=YEAR, user=user or world.home_affairs, **(DECISION | fields)
    )


def test_a_group_is_published_in_one_step_with_its_decision():
    world = group_world(3)

    outcome = publish(world)

    assert (outcome.published, outcome.already_published) == (3, 0)
    assert statuses(world) == [Status.PUBLISHED] * 3
    events = AssessmentEvent.objects.order_by("assessment__unit__code")
    logged = [(e.assessment.unit.name, e.action, e.from_status, e.to_status) for e in events]
    assert logged == [(f"Xã Số {n}", "publish", "appraised", "published") for n in (1, 2, 3)]
    assert {event.user for event in events} == {world.home_affairs}
    decision = PublicationDecision.objects.get()
    assert (decision.group, decision.year, decision.number) == (world.group, YEAR, "9471/QĐ-UBND")
    assert (decision.signed_on, decision.issuer, decision.signer_name) == (
        date(2023, 12, 26),
        "UBND huyện Thử",
        "Lê Văn Nam",
    )
    assert decision.recorded_by == world.home_affairs


def test_sheets_already_published_are_counted_and_left_alone():
    world = group_world(3)
    world.sheets[0].status = Status.PUBLISHED
    world.sheets[0].save()

    outcome = publish(world)

    assert (outcome.published, outcome.already_published) == (2, 1)
    assert AssessmentEvent.objects.filter(assessment=world.sheets[0]).count() == 0
    assert statuses(world) == [Status.PUBLISHED] * 3


def test_one_unit_unappraised_refuses_the_group_and_publishes_nothing():
    world = group_world(3)
    world.sheets[1].status = Status.SUBMITTED
    world.sheets[1].save()
    update_scores(
        Score.objects.filter(assessment=world.sheets[2], criterion__code="2.1"),
        appraised_score=None,
    )

    with pytest.raises(PublicationRefused) as refused:
        publish(world)

    assert [(r.unit_name, r.reason) for r in refused.value.not_ready] == [
        ("Xã Số 2", "chưa hoàn tất thẩm định (trạng thái «Đã gửi thẩm định»)"),
        ("Xã Số 3", "còn 1 tiêu chí chưa có điểm thẩm định"),
    ]
    assert refused.value.messages == [
        "Chưa công bố được cả khối: 2 đơn vị chưa sẵn sàng (Xã Số 2: chưa hoàn tất thẩm định "
        "(trạng thái «Đã gửi thẩm định»); Xã Số 3: còn 1 tiêu chí chưa có điểm thẩm định). "
        "Chưa công bố đơn vị nào."
    ]
    assert statuses(world) == [Status.APPRAISED, Status.SUBMITTED, Status.APPRAISED]
    assert not AssessmentEvent.objects.exists()
    assert not PublicationDecision.objects.exists()


def test_round_one_of_a_two_round_year_holds_the_group_back():
    world = group_world(2)
    ScoringCalendar.objects.create(
        unit=world.district,
        year=YEAR,
        self_assessment_closes=date(2023, 11, 1),
        appraisal_closes=date(2023, 12, 1),
        appraisal_rounds=2,
    )

    with pytest.raises(PublicationRefused) as refused:
        publish(world)

    assert {r.reason for r in refused.value.not_ready} == {
        "năm này thẩm định hai vòng, đơn vị mới thẩm định xong vòng 1"
    }
    assert statuses(world) == [Status.APPRAISED] * 2


def test_a_refusal_found_only_by_the_transition_still_publishes_nothing(monkeypatch):
    """The checks before the loop are the quick ones; the workflow's own check under each
    sheet's lock has the last word, and one refusal there undoes the sheets before it."""
    from scoring import workflow

    world = group_world(3)
    check = workflow.transition_check

    def refuse_the_last(*, assessment, **kwargs):
        if assessment.pk == world.sheets[2].pk:
            raise ValidationError("Phiếu đã thay đổi.")
        check(assessment=assessment, **kwargs)

    monkeypatch.setattr(workflow, "transition_check", refuse_the_last)

    with pytest.raises(PublicationRefused) as refused:
        publish(world)

    assert [(r.unit_name, r.reason) for r in refused.value.not_ready] == [
        ("Xã Số 3", "Phiếu đã thay đổi.")
    ]
    assert statuses(world) == [Status.APPRAISED] * 3
    assert not AssessmentEvent.objects.exists()


def test_a_recorded_decision_is_corrected_for_a_group_already_published():
    world = group_world(2)
    publish(world)

    outcome = publish(world, user=world.admin, number="Số: 9472/QĐ-UBND", subject="Về việc x")

    assert (outcome.published, outcome.already_published) == (0, 2)
    decision = PublicationDecision.objects.get()
    assert (decision.number, decision.subject, decision.recorded_by) == (
        "9472/QĐ-UBND",
        "x",
        world.admin,
    )
    assert AssessmentEvent.objects.count() == 2


@pytest.mark.parametrize(
    ("signed_on", "message"),
    [
        (date(2099, 1, 1), "Ngày ký 01/01/2099 chưa đến; hãy nhập ngày đã ký quyết định."),
        (date(2022, 12, 31), "Quyết định công bố kết quả năm 2023 không thể ký trước năm 2023."),
    ],
)
def test_a_decision_signed_on_an_impossible_day_publishes_nothing(signed_on, message):
    world = group_world(2)

    with pytest.raises(ValidationError) as refused:
        publish(world, signed_on=signed_on)

    assert refused.value.message_dict == {"signed_on": [message]}
    assert statuses(world) == [Status.APPRAISED] * 2


def test_the_unit_and_other_districts_may_not_publish_the_group():
    world = group_world(2)

    for user in (world.unit_user, world.other_district_home_affairs):
        with pytest.raises(PermissionDenied):
            publish(world, user=user)

    assert statuses(world) == [Status.APPRAISED] * 2


def test_home_affairs_whose_scope_covers_part_of_the_group_is_refused_with_why():
    world = group_world(2)
    world.sheets[1].unit.parent = world.far_district
    world.sheets[1].unit.save()

    with pytest.raises(PermissionDenied) as refused:
        publish(world)

    assert str(refused.value) == (
        "Khối xã, thị trấn huyện Thử năm 2023 có 1 đơn vị ngoài phạm vi quản lý của bạn, nên "
        "bạn không công bố được cả khối. Đề nghị Nội vụ cấp trên (phụ trách mọi đơn vị của "
        "khối) hoặc quản trị viên công bố."
    )
    assert statuses(world) == [Status.APPRAISED] * 2


def test_the_preview_counts_and_ranks_with_the_same_queries_at_two_sizes():
    world = group_world(3)
    user_role(world.home_affairs)  # the membership, read once per request
    with CaptureQueriesContext(connection) as few:
        preview = group_publication(group=world.group, year=YEAR, user=world.home_affairs)
    add_sheets(world, 20)
    world.sheets[5].status = Status.DRAFT
    world.sheets[5].save()

    with CaptureQueriesContext(connection) as many:
        bigger = group_publication(group=world.group, year=YEAR, user=world.home_affairs)

    assert (preview.units, len(preview.to_publish), preview.ready) == (3, 3, True)
    assert [(row.unit_name, row.rank, row.tally.achieved) for row in preview.ranking.rows] == [
        ("Xã Số 1", 1, Decimal(5)),
        ("Xã Số 2", 2, Decimal(4)),
        ("Xã Số 3", 2, Decimal(4)),
    ]
    assert (bigger.units, len(bigger.to_publish), len(bigger.ranking.rows)) == (23, 23, 22)
    assert [row.unit_name for row in bigger.not_ready] == ["Xã Số 6"]
    assert len(many) == len(few) <= 7


def test_publishing_takes_a_fixed_number_of_queries_per_sheet():
    """Each sheet goes through the workflow's own transition (its lock, checks, event,
    history): the queries grow with the khối by the same few per sheet; the checks
    before the loop do not grow."""
    world = group_world(3)
    user_role(world.home_affairs)
    with CaptureQueriesContext(connection) as three:
        publish(world)
    PublicationDecision.objects.all().delete()
    AssessmentEvent.objects.all().delete()
    Assessment.objects.update(status=Status.APPRAISED)
    add_sheets(world, 5)

    with CaptureQueriesContext(connection) as eight:
        publish(world)

    assert statuses(world) == [Status.PUBLISHED] * 8
    per_sheet, rest = divmod(len(eight) - len(three), 5)
    assert rest == 0
    # 12 today (2 of them the transition's savepoint); room for a notification per sheet.
    assert per_sheet <= 16
    assert len(three) - 3 * per_sheet <= 15


def test_the_default_issuer_is_the_jurisdiction_of_home_affairs_or_the_shared_district():
    world = group_world(2)

    assert default_issuer(world.group, YEAR, world.home_affairs) == "UBND huyện Thử"
    assert default_issuer(world.group, YEAR, world.admin) == "UBND huyện Thử"
    world.sheets[1].unit.parent = world.far_district
    world.sheets[1].unit.save()
    assert default_issuer(world.group, YEAR, world.admin) == ""
