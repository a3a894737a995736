import html
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import Assessment, AssessmentStatus, Score
from tests.factories import score_assessment
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token

pytestmark = pytest.mark.django_db


def sheet_url(assessment) -> str:
    return f"/danh-gia/{assessment.pk}/"


def save_url(assessment) -> str:
    return f"/danh-gia/{assessment.pk}/luu/"


def post_scores(client, assessment, values: dict[str, str], *, column="self", stale=None):
    ids = leaf_ids(assessment)
    data = {f"{column}-{ids[code]}": text for code, text in values.items()}
    data["token"] = stale or token(assessment)
    return client.post(save_url(assessment), data)


def stored(assessment, field="self_score") -> dict[str, Decimal | None]:
    return dict(Score.objects.filter(assessment=assessment).values_list("criterion__code", field))


def test_sheet_shows_every_leaf_under_its_field_with_subtotals():
    world = make_world()
    score_assessment(world.mine, {"1.1": "0,75", "1.2": "2", "2.1": "1,5"})

    page = logged_in(world.unit_user).get(sheet_url(world.mine)).content.decode()

    assert page.index("Tiêu chí 1.1") < page.index("Tiêu chí 1.2") < page.index("Tiêu chí 2.1")
    assert 'value="0,75"' in page
    assert 'id="total-achieved">4,25<' in page
    assert "Đang tự đánh giá" in page


def test_unit_saves_decimal_commas_and_dots_in_one_request():
    world = make_world()
    client = logged_in(world.unit_user)

    response = post_scores(client, world.mine, {"1.1": "0,75", "1.2": "1.5", "2.1": ""})

    assert response.status_code == 302
    assert response["Location"] == sheet_url(world.mine)
    assert stored(world.mine) == {"1.1": Decimal("0.75"), "1.2": Decimal("1.5")}
    world.mine.refresh_from_db()
    assert world.mine.version == 1
    page = client.get(sheet_url(world.mine)).content.decode()
    assert "Đã lưu phiếu chấm (2 tiêu chí thay đổi)" in page
    assert 'id="total-achieved">2,25<' in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("mười", "«mười» không phải là số."),
        ("0,1234", "«0,1234» có quá 3 chữ số thập phân."),
        ("1,5", "Điểm phải từ 0 đến 1."),
        ("-0,5", "Điểm phải từ 0 đến 1."),
        ("99999999999", "Điểm phải từ 0 đến 1."),
    ],
)
def test_bad_input_is_marked_at_its_cell_keeps_the_text_and_saves_nothing(typed, message):
    world = make_world()
    score_assessment(world.mine, {"1.2": "1"})
    client = logged_in(world.unit_user)

    response = post_scores(client, world.mine, {"1.1": typed, "1.2": "2"})

    page = response.content.decode()
    name = f"self-{leaf_ids(world.mine)['1.1']}"
    assert response.status_code == 400
    assert f'name="{name}" value="{typed}"' in page
    assert message in page
    assert f'id="err-{name}"' in page
    assert 'value="2"' in page  # the valid cell keeps what was typed too
    assert stored(world.mine) == {"1.2": Decimal("1")}


def test_emptying_a_cell_clears_the_score():
    world = make_world()
    score_assessment(world.mine, {"1.1": "1"})

    post_scores(logged_in(world.unit_user), world.mine, {"1.1": ""})

    assert stored(world.mine) == {"1.1": None}


def test_a_stale_form_is_refused_with_a_conflict_and_keeps_the_input():
    world = make_world()
    client = logged_in(world.unit_user)
    opened = token(world.mine)
    post_scores(client, world.mine, {"1.1": "1"})  # someone else saves first

    response = post_scores(client, world.mine, {"1.1": "0,25"}, stale=opened)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Có người khác đã lưu phiếu chấm này" in page
    assert 'value="0,25"' in page
    assert "Bản đã lưu: 1<" in page  # what the other person saved, beside the kept input
    assert stored(world.mine) == {"1.1": Decimal("1")}


def test_home_affairs_appraises_only_once_the_sheet_is_submitted():
    world = make_world(status=AssessmentStatus.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2"})
    client = logged_in(world.home_affairs)
    ids = leaf_ids(world.mine)

    response = client.post(
        save_url(world.mine),
        {
            f"appraised-{ids['1.1']}": "0,5",
            f"comment-{ids['1.1']}": "Thiếu báo cáo quý IV",
            f"self-{ids['1.2']}": "0",  # not this user's column: ignored
            "token": token(world.mine),
        },
    )

    assert response.status_code == 302
    assert stored(world.mine, "appraised_score") == {"1.1": Decimal("0.5"), "1.2": None}
    assert stored(world.mine) == {"1.1": Decimal("1"), "1.2": Decimal("2")}
    assert stored(world.mine, "appraisal_comment")["1.1"] == "Thiếu báo cáo quý IV"


def test_unit_cannot_change_a_submitted_sheet():
    world = make_world(status=AssessmentStatus.SUBMITTED)

    response = post_scores(logged_in(world.unit_user), world.mine, {"1.1": "1"})

    assert response.status_code == 403
    assert not Score.objects.exists()


def test_home_affairs_cannot_type_self_scores_in_a_draft():
    world = make_world()

    response = post_scores(logged_in(world.home_affairs), world.mine, {"1.1": "1"})

    assert response.status_code == 403


def test_a_locked_sheet_shows_no_inputs_and_no_save_button():
    world = make_world(status=AssessmentStatus.PUBLISHED)
    score_assessment(world.mine, {"1.1": "1"})

    page = logged_in(world.unit_user).get(sheet_url(world.mine)).content.decode()

    assert "Lưu phiếu chấm" not in page
    assert '<input class="points' not in page
    assert "Đã công bố" in page


def test_saving_writes_history_with_the_user():
    world = make_world()
    client = logged_in(world.unit_user)
    post_scores(client, world.mine, {"1.1": "1"})
    post_scores(client, world.mine, {"1.1": "0,5"})

    records = Score.history.filter(criterion__code="1.1").order_by("history_date")
    assert [(r.history_type, r.self_score, r.history_user) for r in records] == [
        ("+", Decimal("1"), world.unit_user),
        ("~", Decimal("0.5"), world.unit_user),
    ]
    page = client.get(f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf_ids(world.mine)['1.1']}/lich-su/")
    text = page.content.decode()
    assert "Điểm tự đánh giá" in text and "xa.cuatoi" in text
    assert "<td>1</td><td>0,5</td>" in text


def test_sheet_views_refuse_the_wrong_method():
    world = make_world()
    client = logged_in(world.unit_user)

    assert client.post(sheet_url(world.mine)).status_code == 405
    assert client.get(save_url(world.mine)).status_code == 405


def _framework_rows(leaves: int) -> list[tuple[str, str | None, str]]:
    fields = [("1", None, str(leaves))]
    return fields + [(f"1.{n}", "1", "1") for n in range(1, leaves + 1)]


def _queries(leaves: int) -> tuple[int, ...]:
    """Queries of: opening the sheet, saving it, a refused save, a save once it closed."""
    world = make_world(rows=_framework_rows(leaves), tag=str(leaves))
    client = logged_in(world.unit_user)
    score_assessment(world.mine, {f"1.{n}": "0,5" for n in range(1, leaves // 2)})
    values = {f"1.{n}": "0,75" for n in range(1, leaves + 1)}
    counts = []
    for typed, status in ((None, 200), (values, 302), ({**values, "1.1": "x"}, 400)):
        with CaptureQueriesContext(connection) as queries:
            if typed is None:
                response = client.get(sheet_url(world.mine))
            else:
                response = post_scores(client, world.mine, typed)
        assert response.status_code == status
        counts.append(len(queries))
    assert Assessment.objects.get(pk=world.mine.pk).version == 1
    Assessment.objects.filter(pk=world.mine.pk).update(status=AssessmentStatus.SUBMITTED)
    with CaptureQueriesContext(connection) as closed:
        assert post_scores(client, world.mine, values).status_code == 403
    return (*counts, len(closed))


def test_query_count_does_not_grow_with_the_number_of_criteria():
    small = _queries(5)
    large = _queries(100)

    assert small == large
    assert max(small) <= 36  # 5 of them rewrite the stored tallies


def test_a_refused_page_keeps_the_token_it_was_opened_with():
    world = make_world()
    client = logged_in(world.unit_user)
    opened = token(world.mine)
    post_scores(client, world.mine, {"1.1": "1"})  # someone else saves meanwhile

    page = post_scores(client, world.mine, {"1.1": "chín"}, stale=opened).content.decode()

    assert f'name="token" value="{opened}"' in page


def test_saving_an_unchanged_sheet_changes_nothing_and_refuses_no_one():
    world = make_world()
    score_assessment(world.mine, {"1.1": "1"})
    client = logged_in(world.unit_user)
    opened = token(world.mine)
    history = Score.history.count()

    response = post_scores(client, world.mine, {"1.1": "1"})

    assert response.status_code == 302
    assert "Không có gì thay đổi" in client.get(sheet_url(world.mine)).content.decode()
    assert token(world.mine) == opened
    assert Score.history.count() == history
    assert post_scores(client, world.mine, {"1.1": "0,5"}, stale=opened).status_code == 302
    assert stored(world.mine) == {"1.1": Decimal("0.5")}


def test_a_refused_save_says_how_many_cells_and_where():
    world = make_world()

    response = post_scores(
        logged_in(world.unit_user), world.mine, {"1.1": "abc", "1.2": "3", "2.1": "1"}
    )

    assert response.status_code == 400
    assert "Chưa lưu: 2 ô (tiêu chí 1.1, 1.2) nhập chưa đúng" in response.content.decode()
    assert not Score.objects.exists()


def test_a_sheet_that_closed_while_typing_saves_nothing_and_shows_what_was_typed():
    world = make_world()
    score_assessment(world.mine, {"1.1": "1"})
    client = logged_in(world.unit_user)
    opened = token(world.mine)
    ids = leaf_ids(world.mine)
    # The sheet is sent on (from another tab) while the unit is still typing.
    logged_in(world.unit_user).post(f"/danh-gia/{world.mine.pk}/buoc/submit/")

    response = client.post(
        save_url(world.mine),
        {
            f"self-{ids['1.1']}": "0,5",
            f"self-{ids['1.2']}": "1,75",
            f"note-{ids['1.2']}": "Đã ban hành đúng hạn",
            "token": opened,
        },
    )

    page = response.content.decode()
    assert response.status_code == 403
    assert "Phiếu chấm không mở để bạn sửa" in page
    assert "Bạn đã nhập, chưa lưu: Tự chấm «0,5»" in page
    assert "Tự chấm «1,75» · Ghi chú «Đã ban hành đúng hạn»" in page
    assert "Lưu phiếu chấm" not in page
    assert stored(world.mine) == {"1.1": Decimal("1")}


def test_ratio_rules_reach_the_page_for_the_live_preview():
    world = make_world()
    world.mine.framework.criteria.filter(code="1.1").update(rule="bands: >90=1; 70-90=0,5; <70=0")
    world.mine.framework.criteria.filter(code="1.2").update(rule="linear: 0,5")

    page = logged_in(world.unit_user).get(sheet_url(world.mine)).content.decode()

    rules = [json.loads(html.unescape(text)) for text in re.findall(r'data-rule="([^"]+)"', page)]
    assert rules == [
        {
            "factor": None,
            "bands": [
                ["90", None, True, False, "1"],
                ["70", "90", False, False, "0.5"],
                [None, "70", False, True, "0"],
            ],
        },
        {"factor": "0.5", "bands": []},
    ]
    assert page.count('class="points js-ratio') == 2


def _history_queries(saves: int, tag: str) -> int:
    world = make_world(tag=tag)
    client = logged_in(world.unit_user)
    for n in range(saves):
        post_scores(client, world.mine, {"1.1": f"0,{n + 1}"})
    url = f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf_ids(world.mine)['1.1']}/lich-su/"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert page.count("<td>Điểm tự đánh giá</td>") == saves
    return len(queries)


def test_the_history_page_runs_the_same_queries_whatever_the_number_of_changes():
    assert _history_queries(1, "a") == _history_queries(8, "b")
