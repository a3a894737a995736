"""Two appraisal rounds with the unit's explanation between, kept apart and shown side by side;
a one-round year keeps today's sheet."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.people import full_name
from scoring.engine import assessment_breakdown
from scoring.history import criterion_history
from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Criterion,
    Evidence,
    Score,
    ScoringCalendar,
)
from tests.factories import score_assessment, update_scores
from tests.web.rounds_setup import post_cells, step, two_round_year
from tests.web.sheet_setup import leaf_ids, logged_in, make_world

pytestmark = pytest.mark.django_db
Status = AssessmentStatus
ROUND_ONE = {
    "appraised-1.1": "0,5",
    "comment-1.1": "Kế hoạch ban hành chậm",
    "appraised-1.2": "2",
    "appraised-2.1": "1,5",
    "comment-2.1": "Thiếu báo cáo quý IV",
}
# The sheet posts every input: round 2's form carries the leaves it keeps as they are.
KEPT_IN_ROUND_TWO = {"appraised-1.2": "2", "appraised-2.1": "1,5"}


def submitted_world(rounds: int = 2, **kwargs):
    world = make_world(status=Status.SUBMITTED, **kwargs)
    two_round_year(world.mine.year, rounds)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2", "2.1": "2"})
    return world


def fresh(assessment: Assessment) -> Assessment:
    return Assessment.objects.get(pk=assessment.pk)


def scores(assessment: Assessment, *fields: str) -> dict[str, tuple]:
    rows = Score.objects.filter(assessment=assessment).values_list("criterion__code", *fields)
    return {code: tuple(values) for code, *values in rows}


def round_one_returned(world):
    """Nội vụ appraises round 1 and sends the sheet back for explanation."""
    home_affairs = logged_in(world.home_affairs)
    assert post_cells(home_affairs, world.mine, ROUND_ONE).status_code == 302
    assert step(home_affairs, world.mine, "appraise").status_code == 302
    assert step(home_affairs, world.mine, "return", "Giải trình tiêu chí 1.1, 2.1").status_code == (
        302
    )
    return home_affairs


def explained(world):
    """The unit disagrees on 1.1, agrees on 2.1, and sends its explanation."""
    unit = logged_in(world.unit_user)
    response = post_cells(
        unit,
        world.mine,
        {
            "agrees-1.1": "Không đồng ý",
            "explanation-1.1": "Kế hoạch ban hành ngày 05/01, đúng hạn",
            "agrees-2.1": "Đồng ý",
        },
    )
    assert response.status_code == 302
    return unit


def test_returning_round_one_keeps_it_apart_and_opens_the_explanation():
    world = submitted_world()
    round_one_returned(world)

    assessment = fresh(world.mine)
    assert (assessment.status, assessment.appraisal_round) == (Status.DRAFT, 2)
    assert scores(
        world.mine,
        "first_round_score",
        "first_round_comment",
        "appraised_score",
        "appraisal_comment",
    ) == {
        "1.1": (Decimal("0.5"), "Kế hoạch ban hành chậm", Decimal("0.5"), ""),
        "1.2": (Decimal("2"), "", Decimal("2"), ""),
        "2.1": (Decimal("1.5"), "Thiếu báo cáo quý IV", Decimal("1.5"), ""),
    }
    assert assessment_breakdown(assessment).total.achieved == Decimal("4")  # round 1 so far
    page = logged_in(world.unit_user).get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "Đang giải trình" in page
    assert ">Gửi giải trình</button>" in page
    assert "Thẩm định vòng 1" in page and "Giải trình của đơn vị" in page
    assert "Kế hoạch ban hành chậm" in page
    assert 'name="self-' not in page  # self scores stay as sent
    # Round 2 starts from round 1's scores; the unit is told they are not round 2's yet.
    assert page.count("tạm theo vòng 1") == 3


def test_two_rounds_and_the_explanation_are_kept_and_shown_side_by_side():
    world = submitted_world()
    home_affairs = round_one_returned(world)
    unit = explained(world)
    sent = step(unit, world.mine, "submit")
    assert "Gửi giải trình: đã gửi giải trình, chờ thẩm định vòng 2." in [
        str(m) for m in sent.wsgi_request._messages
    ]

    round_two = {**KEPT_IN_ROUND_TWO, "appraised-1.1": "1", "comment-1.1": "Chấp nhận giải trình"}
    assert post_cells(home_affairs, world.mine, round_two).status_code == 302
    page = home_affairs.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    row = page[page.index(f'id="leaf-{leaf_ids(world.mine)["1.1"]}"') :].split("</tr>")[0]
    for text in (
        "0,5",
        "Kế hoạch ban hành chậm",
        "Không đồng ý",
        "Kế hoạch ban hành ngày 05/01, đúng hạn",
        'value="1"',
        "Chấp nhận giải trình",
    ):
        assert text in row, text
    assert f"Gửi giải trình · {full_name(world.unit_user)}" in page  # the last step, named
    headers = page[page.index("<thead>") : page.index("</thead>")]
    assert headers.index("Tự chấm") < headers.index("Thẩm định vòng 1")
    assert headers.index("Thẩm định vòng 1") < headers.index("Giải trình của đơn vị")
    assert headers.index("Giải trình của đơn vị") < headers.index("Thẩm định vòng 2")

    assert step(home_affairs, world.mine, "appraise").status_code == 302
    assert step(home_affairs, world.mine, "publish").status_code == 302
    assessment = fresh(world.mine)
    assert (assessment.status, assessment.appraisal_round) == (Status.PUBLISHED, 2)
    assert scores(
        world.mine, "self_score", "first_round_score", "explanation_agrees", "appraised_score"
    ) == {
        "1.1": (Decimal("1"), Decimal("0.5"), False, Decimal("1")),
        "1.2": (Decimal("2"), Decimal("2"), None, Decimal("2")),
        "2.1": (Decimal("2"), Decimal("1.5"), True, Decimal("1.5")),
    }
    assert assessment_breakdown(assessment).total.achieved == Decimal("4.5")  # the last round
    rounds = list(
        AssessmentEvent.objects.filter(action="appraise")
        .order_by("at", "id")
        .values_list("appraisal_round", flat=True)
    )
    assert rounds == [1, 2]


def test_a_second_return_in_round_two_goes_back_to_explaining_without_copying_again():
    world = submitted_world()
    home_affairs = round_one_returned(world)
    unit = explained(world)
    step(unit, world.mine, "submit")
    round_two = {**KEPT_IN_ROUND_TWO, "appraised-1.1": "0,75", "comment-1.1": "Một phần"}
    post_cells(home_affairs, world.mine, round_two)
    step(home_affairs, world.mine, "appraise")

    assert step(home_affairs, world.mine, "return", "Giải trình thêm 1.1").status_code == 302

    assessment = fresh(world.mine)
    assert (assessment.status, assessment.appraisal_round) == (Status.DRAFT, 2)
    assert scores(world.mine, "first_round_score", "first_round_comment", "appraised_score")[
        "1.1"
    ] == (Decimal("0.5"), "Kế hoạch ban hành chậm", Decimal("0.75"))
    assert Score.objects.get(criterion__code="1.1").appraisal_comment == "Một phần"
    copies = Score.history.filter(history_change_reason="kết thúc thẩm định vòng 1")
    assert copies.count() == 3  # once per leaf, at the first return only


def test_history_shows_round_one_kept_and_the_explanation_with_who_did_it():
    world = submitted_world()
    round_one_returned(world)
    explained(world)
    criterion = Criterion.objects.get(framework=world.mine.framework, code="1.1")

    changes = {}
    for change in criterion_history(world.mine, criterion):  # newest first
        changes.setdefault(change.what, change)

    kept = changes["Điểm thẩm định vòng 1"]
    assert (kept.who, kept.old, kept.new) == (
        f"{full_name(world.home_affairs)} (kết thúc thẩm định vòng 1)",
        "—",
        "0,5",
    )
    assert changes["Nhận xét thẩm định"].new == "—"  # round 2's comment starts empty
    assert (changes["Giải trình"].who, changes["Giải trình"].new) == (
        full_name(world.unit_user),
        "Kế hoạch ban hành ngày 05/01, đúng hạn",
    )
    assert changes["Đồng ý với thẩm định vòng 1"].new == "không"


def test_the_unit_cannot_change_self_scores_or_round_scores_while_explaining():
    world = submitted_world()
    round_one_returned(world)
    unit = logged_in(world.unit_user)

    response = post_cells(
        unit, world.mine, {"self-1.1": "0", "note-1.1": "sửa", "appraised-1.1": "1"}
    )

    assert response.status_code == 302
    assert scores(world.mine, "self_score", "note", "appraised_score")["1.1"] == (
        Decimal("1"),
        "",
        Decimal("0.5"),
    )
    assert fresh(world.mine).version == 3  # round 1 save, appraise, return: nothing since


def test_the_unit_cannot_write_round_two_scores_once_its_explanation_is_sent():
    world = submitted_world()
    round_one_returned(world)
    unit = explained(world)
    step(unit, world.mine, "submit")

    response = post_cells(unit, world.mine, {"appraised-1.1": "1", "agrees-1.1": "Đồng ý"})

    assert response.status_code == 403
    assert scores(world.mine, "appraised_score", "explanation_agrees")["1.1"] == (
        Decimal("0.5"),
        False,
    )


def test_home_affairs_cannot_write_the_explanation():
    world = submitted_world()
    home_affairs = round_one_returned(world)
    cells = {"agrees-1.1": "Đồng ý", "explanation-1.1": "Nội vụ viết thay"}

    while_explaining = post_cells(home_affairs, world.mine, cells)
    step(logged_in(world.unit_user), world.mine, "submit")
    in_round_two = post_cells(
        home_affairs, world.mine, {**cells, **KEPT_IN_ROUND_TWO, "appraised-1.1": "0,5"}
    )

    assert while_explaining.status_code == 403
    assert in_round_two.status_code == 302
    assert scores(world.mine, "explanation_agrees", "explanation")["1.1"] == (None, "")


def test_a_disagreement_without_a_reason_is_refused_and_keeps_what_was_typed():
    world = submitted_world()
    round_one_returned(world)
    unit = logged_in(world.unit_user)

    response = post_cells(unit, world.mine, {"agrees-1.1": "Không đồng ý", "agrees-2.1": "Đồng ý"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Không đồng ý thì cần ghi lý do giải trình." in page
    assert '<option value="Không đồng ý" selected>' in page
    assert scores(world.mine, "explanation_agrees")["2.1"] == (None,)  # nothing half-written
    odd = post_cells(unit, world.mine, {"agrees-1.1": "có lẽ"})
    assert "Chọn «Đồng ý» hoặc «Không đồng ý»." in odd.content.decode()


def test_publishing_after_round_one_of_a_two_round_year_is_refused():
    world = submitted_world()
    home_affairs = logged_in(world.home_affairs)
    post_cells(home_affairs, world.mine, ROUND_ONE)
    step(home_affairs, world.mine, "appraise")

    page = home_affairs.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    response = step(home_affairs, world.mine, "publish")

    assert "Đã thẩm định vòng 1" in page
    assert ">Công bố</button>" not in page
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Năm này thẩm định hai vòng: chỉ công bố sau thẩm định vòng 2. Hãy «Trả lại để giải "
        "trình» để đơn vị giải trình, rồi thẩm định vòng 2."
    ]
    assert fresh(world.mine).status == Status.APPRAISED


def test_a_one_round_year_keeps_todays_sheet_and_return():
    world = submitted_world(rounds=1)
    home_affairs = round_one_returned(world)

    assessment = fresh(world.mine)
    page = logged_in(world.unit_user).get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert (assessment.status, assessment.appraisal_round) == (Status.DRAFT, 1)
    assert scores(world.mine, "first_round_score", "appraisal_comment")["1.1"] == (
        None,
        "Kế hoạch ban hành chậm",
    )
    assert "Thẩm định vòng 1" not in page and "Giải trình của đơn vị" not in page
    assert "Đang tự đánh giá" in page and ">Gửi thẩm định</button>" in page
    assert 'name="self-' in page
    step(logged_in(world.unit_user), world.mine, "submit")
    step(home_affairs, world.mine, "appraise")
    assert step(home_affairs, world.mine, "publish").status_code == 302
    assert fresh(world.mine).status == Status.PUBLISHED


def test_files_added_while_explaining_are_marked_and_round_one_files_stay():
    world = submitted_world()
    leaf = leaf_ids(world.mine)["1.1"]
    evidence_url = f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf}/tai-lieu/"
    unit = logged_in(world.unit_user)
    Assessment.objects.filter(pk=world.mine.pk).update(status=Status.DRAFT)
    unit.post(f"{evidence_url}tai-len/", {"file": _pdf("ke-hoach.pdf")})
    Assessment.objects.filter(pk=world.mine.pk).update(status=Status.SUBMITTED)
    round_one_returned(world)

    unit.post(f"{evidence_url}tai-len/", {"file": _pdf("quyet-dinh-ban-hanh.pdf")})

    files = dict(Evidence.objects.values_list("original_name", "for_explanation"))
    assert files == {"ke-hoach.pdf": False, "quyet-dinh-ban-hanh.pdf": True}
    page = unit.get(evidence_url).content.decode()
    assert page.count("bổ sung khi giải trình") == 2  # the added file, and the note above the form
    assert page.count(">Xóa</button>") == 1
    original = Evidence.objects.get(original_name="ke-hoach.pdf")
    assert unit.post(f"/tai-lieu/{original.pk}/xoa/").status_code == 403
    sheet = unit.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "2 tệp</a>" in sheet and "1 tệp bổ sung" in sheet


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 giai trinh", content_type="application/pdf")


def test_round_two_may_keep_a_rule_override_of_round_one_without_a_new_comment():
    world = submitted_world()
    Criterion.objects.filter(code="1.1").update(rule="tiers: Kịp thời=1; Không kịp thời=0,5")
    update_scores(Score.objects.filter(criterion__code="1.1"), declared_tier="Kịp thời")
    home_affairs = round_one_returned(world)
    explained(world)
    step(logged_in(world.unit_user), world.mine, "submit")

    kept = post_cells(
        home_affairs,
        world.mine,
        {**KEPT_IN_ROUND_TWO, "appraised-1.1": "0,5", "appraised-1.2": "1,5"},
    )
    changed = post_cells(home_affairs, world.mine, {**KEPT_IN_ROUND_TWO, "appraised-1.1": "0,75"})

    assert kept.status_code == 302
    assert changed.status_code == 400
    assert "Khác điểm tính theo quy tắc (1)" in changed.content.decode()
    assert scores(world.mine, "appraised_score")["1.2"] == (Decimal("1.5"),)


def _round_two_queries(leaves: int) -> tuple[int, int]:
    rows = [("1", None, str(leaves))] + [(f"1.{n}", "1", "1") for n in range(1, leaves + 1)]
    world = make_world(status=Status.SUBMITTED, rows=rows, tag=str(leaves))
    two_round_year(world.mine.year)
    score_assessment(world.mine, {f"1.{n}": "1" for n in range(1, leaves + 1)})
    home_affairs = logged_in(world.home_affairs)
    post_cells(home_affairs, world.mine, {f"appraised-1.{n}": "0,5" for n in range(1, leaves + 1)})
    step(home_affairs, world.mine, "appraise")
    step(home_affairs, world.mine, "return", "Giải trình")
    unit = logged_in(world.unit_user)
    cells = {f"agrees-1.{n}": "Đồng ý" for n in range(1, leaves + 1)}
    with CaptureQueriesContext(connection) as saving:
        assert post_cells(unit, world.mine, cells).status_code == 302
    with CaptureQueriesContext(connection) as reading:
        assert "Đồng ý" in unit.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    return len(saving), len(reading)


def test_the_explanation_sheet_runs_the_same_queries_whatever_its_size():
    small = _round_two_queries(3)
    large = _round_two_queries(40)  # SQLite's parameter limit splits larger history inserts

    assert small == large
    assert max(small) <= 36  # 5 of them rewrite the stored tallies


def test_the_years_rounds_cannot_change_once_a_sheet_was_appraised():
    world = submitted_world()
    calendar = ScoringCalendar.objects.get(year=world.mine.year, unit=world.mine.unit.parent)
    calendar.appraisal_rounds = 1
    calendar.full_clean()  # nothing appraised yet: the year may still choose

    home_affairs = logged_in(world.home_affairs)
    post_cells(home_affairs, world.mine, ROUND_ONE)
    assert step(home_affairs, world.mine, "appraise").status_code == 302
    assert fresh(world.mine).status == Status.APPRAISED

    with pytest.raises(ValidationError) as refused:
        calendar.full_clean()
    assert "không đổi được số vòng thẩm định" in str(refused.value)
    next_year = ScoringCalendar(
        unit=calendar.unit,
        year=world.mine.year + 1,
        self_assessment_closes=calendar.self_assessment_closes,
        appraisal_closes=calendar.appraisal_closes,
        appraisal_rounds=2,
    )
    next_year.full_clean()  # another year is not held by this one's appraisals


def test_home_affairs_may_not_send_the_explanation_for_the_unit():
    world = submitted_world()
    round_one_returned(world)
    explained(world)

    response = step(logged_in(world.home_affairs), world.mine, "submit")

    assert response.status_code == 403
    assert fresh(world.mine).status == Status.DRAFT  # still the unit's to send
    assert step(logged_in(world.unit_user), world.mine, "submit").status_code == 302
    assert fresh(world.mine).status == Status.SUBMITTED


def test_returning_before_round_one_is_complete_is_named_as_a_correction():
    world = submitted_world()
    page = logged_in(world.home_affairs).get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "Trả lại để đơn vị tự chấm lại" in page
    assert "Trả lại để giải trình" not in page

    round_one_returned(world)  # appraised first: now there is something to explain
    explained(world)
    step(logged_in(world.unit_user), world.mine, "submit")
    page = logged_in(world.home_affairs).get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "Trả lại để giải trình" in page
