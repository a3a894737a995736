"""Không áp dụng decided by Nội vụ on the sheet: reason, history, max, index and rank."""

import re
from decimal import Decimal

import pytest

from scoring.engine import assessment_breakdown, group_ranking
from scoring.exports import breakdown_dataset
from scoring.models import Assessment, AssessmentStatus, Score
from tests.factories import score_assessment
from tests.web.not_applicable_setup import REASON, appraised_world, post_mark
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token

pytestmark = pytest.mark.django_db


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def ranks(world) -> dict[int, int]:
    ranking = group_ranking(world.mine.ranking_group, world.mine.year)
    return {row.assessment_id: row.rank for row in ranking.rows}


def test_home_affairs_marks_a_leaf_not_applicable_and_max_index_and_rank_follow():
    world = appraised_world()
    before = assessment_breakdown(world.mine).total
    assert (before.max_points, before.index_pct) == (Decimal(5), Decimal(60))
    assert ranks(world) == {world.other.pk: 1, world.mine.pk: 2}
    client = logged_in(world.home_affairs)

    response = post_mark(client, world.mine, {"1.2": REASON})

    assert response.status_code == 302
    score = Score.objects.get(assessment=world.mine, criterion__code="1.2")
    assert (score.not_applicable, score.not_applicable_reason) == (True, REASON)
    after = assessment_breakdown(world.mine)
    assert (after.total.max_points, after.total.achieved) == (Decimal(3), Decimal(3))
    assert after.total.index_pct == Decimal(100)
    assert after.node("1").tally.max_points == Decimal(1)
    assert ranks(world) == {world.mine.pk: 1, world.other.pk: 2}
    world.mine.refresh_from_db()
    assert world.mine.version == 1
    record = Score.history.filter(id=score.pk).latest("history_date")
    assert (record.history_user, record.not_applicable) == (world.home_affairs, True)
    assert record.not_applicable_reason == REASON


def test_the_sheet_shows_the_reason_to_the_unit_and_the_units_own_max():
    world = appraised_world()
    post_mark(logged_in(world.home_affairs), world.mine, {"1.2": REASON})

    page = logged_in(world.unit_user).get(f"/danh-gia/{world.mine.pk}/").content.decode()

    assert f"Không áp dụng: {REASON}" in page
    field = re.search(r'<tr class="sheet-node depth-0" data-node="\d+">(.*?)</tr>', page, re.S)
    assert text_of(field.group(1)).startswith("1 Tiêu chí 1 1 ")  # field 1: max 1, not 3
    total = re.search(r'<tr class="sheet-total".*?</tr>', page, re.S).group(0)
    assert text_of(total) == "Tổng điểm 3 3 0 Chỉ số: 100 %"
    assert 'name="na-' not in page  # the unit sees the mark, not the box


def test_history_page_tells_who_marked_it_and_why():
    world = appraised_world()
    post_mark(logged_in(world.home_affairs), world.mine, {"1.2": REASON})
    leaf = leaf_ids(world.mine)["1.2"]

    page = logged_in(world.unit_user).get(f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf}/lich-su/")

    text = text_of(page.content.decode())
    assert "Không áp dụng" in text and REASON in text and "noivu.thu" in text


def test_a_mark_without_a_reason_is_refused_and_the_row_keeps_what_was_typed():
    world = appraised_world()
    ids = leaf_ids(world.mine)
    client = logged_in(world.home_affairs)

    response = post_mark(client, world.mine, {"1.2": "  "}, **{f"appraised-{ids['2.1']}": "1,5"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Cần ghi lý do không áp dụng." in page
    assert re.search(rf'name="na-{ids["1.2"]}" value="có" checked', page)
    assert f'name="appraised-{ids["2.1"]}" value="1,5"' in page
    assert not Score.objects.filter(not_applicable=True).exists()
    assert not Score.objects.filter(appraised_score__isnull=False).exists()
    world.mine.refresh_from_db()
    assert world.mine.version == 0


def test_unticking_the_box_makes_the_leaf_count_again_and_clears_the_reason():
    world = appraised_world()
    client = logged_in(world.home_affairs)
    post_mark(client, world.mine, {"1.2": REASON})

    response = post_mark(client, world.mine, {"1.2": None})

    assert response.status_code == 302
    score = Score.objects.get(assessment=world.mine, criterion__code="1.2")
    assert (score.not_applicable, score.not_applicable_reason) == (False, "")
    assert assessment_breakdown(world.mine).total.max_points == Decimal(5)
    assert Score.history.filter(id=score.pk).count() == 2  # marked, unmarked


@pytest.mark.parametrize("inputs", [("na",), ("na_reason",), ("na", "na_reason")])
def test_a_unit_cannot_post_the_mark_by_hand(inputs):
    world = make_world()
    score_assessment(world.mine, {"1.1": "1"})
    leaf = leaf_ids(world.mine)["1.2"]
    data = {f"{name}-{leaf}": "có" for name in inputs}
    data |= {f"self-{leaf}": "2", "token": token(world.mine)}

    response = logged_in(world.unit_user).post(f"/danh-gia/{world.mine.pk}/luu/", data)

    assert response.status_code == 400
    assert "Chỉ cán bộ Nội vụ đánh dấu «không áp dụng»" in response.content.decode()
    assert list(Score.objects.values_list("criterion__code", "self_score", "not_applicable")) == [
        ("1.1", Decimal(1), False)
    ]
    world.mine.refresh_from_db()
    assert world.mine.version == 0


def test_home_affairs_of_another_district_cannot_mark_it():
    world = appraised_world()

    response = post_mark(logged_in(world.other_district_home_affairs), world.mine, {"1.2": REASON})

    assert response.status_code == 403
    assert not Score.objects.filter(not_applicable=True).exists()


def test_the_mark_is_closed_once_the_sheet_is_published():
    world = appraised_world()
    Assessment.objects.filter(pk=world.mine.pk).update(status=AssessmentStatus.PUBLISHED)

    response = post_mark(logged_in(world.home_affairs), world.mine, {"1.2": REASON})

    assert response.status_code == 403
    assert not Score.objects.filter(not_applicable=True).exists()


def test_ranking_header_keeps_the_framework_max_and_marks_the_units_own():
    world = appraised_world()
    post_mark(logged_in(world.home_affairs), world.mine, {"1.2": REASON})
    group = world.mine.ranking_group

    page = logged_in(world.admin).get("/xep-hang/", {"khoi": group.pk, "nam": 2023})

    html = page.content.decode()
    head = text_of(re.search(r"<thead>.*?</thead>", html, re.S).group(0))
    assert "LV 1 /3" in head and "LV 2 /2" in head
    cells = {
        unit: text_of(body)
        for unit, body in re.findall(
            r'<tr data-unit="([^"]+)">.*?data-col="field1">(.*?)</td>', html, re.S
        )
    }
    assert cells == {world.mine.unit.code: "1 /1", world.other.unit.code: "2"}
    assert "Ô có dạng «đạt/tối đa» (như 9/10)" in html


def test_the_units_export_and_dashboard_give_its_own_max():
    world = appraised_world()
    post_mark(logged_in(world.home_affairs), world.mine, {"1.2": REASON})

    rows = {row[0]: row for row in breakdown_dataset(world.mine)}
    page = logged_in(world.unit_user).get(f"/don-vi/{world.mine.unit.pk}/tong-quan/")

    assert (rows["1"][3], rows["1.2"][3], rows["2"][3]) == (1, 0, 2)
    assert rows["1.2"][-1] == f"Không áp dụng: {REASON}"  # the note column says it, and why
    assert rows["1.1"][-1] == ""
    fields = re.search(
        r'<table class="data stack" id="fields">.*?</table>', page.content.decode(), re.S
    )
    text = text_of(fields.group(0))
    assert "1. Tiêu chí 1 1 1 0 100%" in text
    assert "Tổng 3 3 0 100%" in text
