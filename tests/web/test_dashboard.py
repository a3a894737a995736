"""The unit dashboard: the engine's numbers, last year, refusals, bounded queries."""

import re

import pytest
from django.urls import reverse

from cchc.formatting import format_percent, format_points
from remediation.services import plan_draft
from scoring.engine import assessment_breakdown, group_ranking
from scoring.models import Assessment, AssessmentStatus, Role, Score, Unit
from tests.factories import update_scores, user_with_role
from tests.web.dashboard_data import build_group, load_demo, query_counts

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed."""
    body = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


def kpi(response, name: str) -> str:
    match = re.search(rf'data-kpi="{name}">([^<]*)<', response.content.decode())
    return match.group(1).strip() if match else ""


@pytest.fixture
def demo():
    load_demo()


def test_cam_son_dashboard_shows_the_seed_result_and_rank_gain(client, demo):
    cam_son = Unit.objects.get(code="HT-CX-CS")
    client.force_login(user_with_role(Role.UNIT, cam_son))

    response = client.get(reverse("scoring:dashboard", args=[cam_son.pk]), {"nam": 2023})

    assert response.status_code == 200
    assert kpi(response, "total") == "85,08"
    assert kpi(response, "deducted") == "14,92"
    assert kpi(response, "index") == "85,08%"
    assert kpi(response, "rank") == "3/23"
    assert kpi(response, "rank-change").startswith("tăng 20 bậc")
    assert kpi(response, "classification") == "Tốt"
    sheet = reverse("scoring:sheet", args=[cam_son.assessments.get(year=2023).pk])
    assert f'href="{sheet}"' in response.content.decode()


def test_a_year_without_a_result_shows_the_latest_and_says_so(client, demo):
    cam_son = Unit.objects.get(code="HT-CX-CS")
    client.force_login(user_with_role(Role.UNIT, cam_son))

    response = client.get(reverse("scoring:dashboard", args=[cam_son.pk]), {"nam": 2019})

    assert "Xã Cẩm Sơn chưa có kết quả năm 2019; đang xem năm 2023." in text_of(response)
    assert kpi(response, "total") == "85,08"


def test_trend_gives_each_years_total_max_index_and_rank_from_the_engine(client, demo):
    cam_son = Unit.objects.get(code="HT-CX-CS")
    client.force_login(user_with_role(Role.UNIT, cam_son))

    html = client.get(reverse("scoring:dashboard", args=[cam_son.pk])).content.decode()

    table = html.split('id="trend"')[1].split("</table>")[0]
    rows = [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr><td>.*?</tr>", table, flags=re.S)
    ]
    expected = []
    for year in (2022, 2023):
        ranking = group_ranking(cam_son.ranking_group, year, statuses=[AssessmentStatus.PUBLISHED])
        row = next(r for r in ranking.rows if r.unit_code == "HT-CX-CS")
        expected.append(
            [
                str(year),
                format_points(row.tally.achieved),
                format_points(row.tally.max_points),
                f"{format_percent(row.tally.index_pct)}%",
                f"{row.rank}/{len(ranking.rows)}",
                "Đã công bố",
            ]
        )
    assert rows == expected
    assert rows[1][1:5] == ["85,08", "100", "85,08%", "3/23"]


def test_dashboard_field_rows_equal_the_engine_breakdown(client, demo):
    assessment = Assessment.objects.get(unit__code="HT-CX-CS", year=2023)
    previous = Assessment.objects.get(unit__code="HT-CX-CS", year=2022)
    client.force_login(user_with_role(Role.UNIT, assessment.unit))

    page = text_of(client.get(reverse("scoring:dashboard", args=[assessment.unit.pk])))

    last_year = {node.code: node for node in assessment_breakdown(previous).fields}
    from cchc.formatting import format_percent, format_points

    for node in assessment_breakdown(assessment).fields:
        tally = node.tally
        cells = " ".join(
            [
                format_points(tally.max_points),
                format_points(tally.achieved),
                format_points(tally.deducted),
                f"{format_percent(tally.index_pct)}%",
                format_points(last_year[node.code].tally.achieved),
            ]
        )
        assert f"{node.code}. {node.title} {cells}" in page
    assert "Tổng 100 85,08 14,92 85,08% 68,5 +16,58" in page


def test_deducted_criteria_are_listed_biggest_loss_first_with_the_reason(client, demo):
    assessment = Assessment.objects.get(unit__code="HT-CX-CS", year=2023)
    client.force_login(user_with_role(Role.UNIT, assessment.unit))

    response = client.get(reverse("scoring:dashboard", args=[assessment.unit.pk]))

    table = response.content.decode().split('id="deducted"')[1].split("</table>")[0]
    shown = re.findall(r'<tr><td class="code">([^<]+)</td>', table)
    expected = assessment_breakdown(assessment).deducted_leaves
    assert shown == [node.code for node in expected]
    assert expected[0].note and expected[0].note.split("\n")[0][:40] in table


def test_deducted_criteria_give_the_appraisers_comment_beside_the_note(client):
    data = build_group(3)
    unit = data["units"][2]  # loses 1 at 1.1
    update_scores(
        Score.objects.filter(assessment__unit=unit, assessment__year=2023, criterion__code="1.1"),
        appraisal_comment="Chưa có báo cáo quý IV",
    )
    client.force_login(user_with_role(Role.UNIT, unit, username="xa.comment"))

    html = client.get(reverse("scoring:dashboard", args=[unit.pk]), {"nam": 2023}).content.decode()

    row = re.search(r'<tr><td class="code">1\.1</td>(.*?)</tr>', html, flags=re.S).group(1)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    assert "Ý kiến thẩm định: Chưa có báo cáo quý IV" in text
    assert "Ghi chú: Lý do của xã 2" in text


def test_an_lao_dashboard_shows_84_31_and_two_places_lost(client, demo):
    an_lao = Unit.objects.get(code="BD-AL")
    client.force_login(user_with_role(Role.UNIT, an_lao))

    response = client.get(reverse("scoring:dashboard", args=[an_lao.pk]))

    assert kpi(response, "total") == "84,31"
    assert kpi(response, "rank") == "3/11"
    assert kpi(response, "rank-change").startswith("giảm 2 bậc")
    assert kpi(response, "score-change") == "+0,96"


def test_home_of_a_unit_user_is_its_dashboard(client, demo):
    cam_son = Unit.objects.get(code="HT-CX-CS")
    client.force_login(user_with_role(Role.UNIT, cam_son))

    response = client.get("/")

    assert kpi(response, "total") == "85,08"
    assert kpi(response, "rank") == "3/23"


def test_unit_user_cannot_open_another_units_dashboard_or_comparison(client):
    data = build_group(3)
    client.force_login(data["unit_user"])
    other = data["units"][1]

    for name in ["scoring:dashboard", "scoring:comparison"]:
        response = client.get(reverse(name, args=[other.pk]), {"nam": 2023})

        assert response.status_code == 403
        html = response.content.decode()
        assert "Bạn không có quyền xem đơn vị này." in html  # in Vietnamese, on the site's page
        assert other.name not in html and "Lý do của xã" not in html


def test_an_id_that_does_not_exist_gets_a_vietnamese_not_found_page(client):
    data = build_group(2)
    client.force_login(data["unit_user"])

    response = client.get(reverse("scoring:dashboard", args=[999999]))

    assert response.status_code == 404
    assert "Không có trang hoặc dữ liệu bạn yêu cầu." in response.content.decode()


def test_home_affairs_outside_the_jurisdiction_is_refused(client):
    data = build_group(3)
    elsewhere = Unit.objects.create(code="X", name="Huyện Khác", level="district")
    client.force_login(user_with_role(Role.HOME_AFFAIRS, elsewhere))

    response = client.get(reverse("scoring:dashboard", args=[data["units"][0].pk]))

    assert response.status_code == 403


def test_home_affairs_opens_any_unit_in_scope(client):
    data = build_group(5)
    client.force_login(data["home_affairs"])

    response = client.get(reverse("scoring:dashboard", args=[data["units"][3].pk]))

    assert kpi(response, "total") == "8,5"
    assert kpi(response, "rank") == "5/5"


def test_unit_sees_its_own_draft_points_but_no_rank_until_published(client):
    data = build_group(5, status=AssessmentStatus.DRAFT)
    client.force_login(data["unit_user"])

    response = client.get(reverse("scoring:dashboard", args=[data["units"][0].pk]))

    assert kpi(response, "total") == "10"
    assert kpi(response, "rank") == ""
    assert "Chưa công bố xếp hạng" in text_of(response)


def test_home_affairs_sees_provisional_rank_of_unpublished_results(client):
    data = build_group(5, status=AssessmentStatus.APPRAISED)
    client.force_login(data["home_affairs"])

    response = client.get(reverse("scoring:dashboard", args=[data["units"][1].pk]))

    assert kpi(response, "rank") == "3/5"
    assert "Xếp hạng tạm tính" in text_of(response)


def test_last_years_unfinished_sheet_is_no_result_to_compare_with(client):
    """A 2022 sheet still in draft (a cycle opened, never finished) gives neither the
    dashboard's "So với năm trước" nor the ranking's last-year rank."""
    data = build_group(3, years=(2022, 2023))
    Assessment.objects.filter(year=2022, unit=data["units"][0]).update(
        status=AssessmentStatus.DRAFT
    )
    client.force_login(data["home_affairs"])

    response = client.get(reverse("scoring:dashboard", args=[data["units"][0].pk]))

    assert "Không có kết quả năm trước" in text_of(response)
    rows = {row.unit_code: row for row in group_ranking(data["group"], 2023).rows}
    assert rows[data["units"][0].code].prev_rank is None
    assert rows[data["units"][0].code].score_change is None
    assert rows[data["units"][1].code].prev_rank is not None


def test_tied_units_share_the_rank_on_the_dashboard(client):
    data = build_group(5)
    client.force_login(data["home_affairs"])

    first = client.get(reverse("scoring:dashboard", args=[data["units"][0].pk]))
    fifth = client.get(reverse("scoring:dashboard", args=[data["units"][4].pk]))

    assert kpi(first, "rank") == kpi(fifth, "rank") == "1/5"
    assert kpi(first, "shared") == kpi(fifth, "shared") == "đồng hạng"
    third = client.get(reverse("scoring:dashboard", args=[data["units"][1].pk]))
    assert (kpi(third, "rank"), kpi(third, "shared")) == ("3/5", "")
    ranking = group_ranking(data["group"], 2023)
    assert [row.rank for row in ranking.rows] == [1, 1, 3, 4, 5]


def test_rank_change_words():
    from scoring.templatetags.dashboard_format import rank_change, signed_points

    assert [rank_change(n) for n in (20, -2, 0, None)] == [
        "tăng 20 bậc",
        "giảm 2 bậc",
        "giữ nguyên",
        "",
    ]
    from decimal import Decimal

    assert signed_points(Decimal("0.96")) == "+0,96"
    assert signed_points(Decimal("-1.50")) == "−1,5"


def test_signed_percent_rounds_to_two_places_and_never_says_minus_zero():
    from decimal import Decimal

    from scoring.templatetags.dashboard_format import signed_percent

    assert signed_percent(Decimal("-4.7619")) == "−4,76"
    assert signed_percent(Decimal("16.665")) == "+16,67"
    assert signed_percent(Decimal("-0.001")) == "0"
    assert signed_percent(None) == ""


def test_dashboard_refuses_post(client):
    data = build_group(2)
    client.force_login(data["unit_user"])

    response = client.post(reverse("scoring:dashboard", args=[data["units"][0].pk]))

    assert response.status_code == 405


def test_anonymous_user_is_sent_to_login(client):
    data = build_group(2)

    response = client.get(reverse("scoring:dashboard", args=[data["units"][0].pk]))

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("role", ["unit_user", "home_affairs"])
@pytest.mark.parametrize(("page", "bound"), [("scoring:dashboard", 25), ("scoring:comparison", 15)])
def test_unit_page_query_count_is_flat_from_5_to_500_units(client, role, page, bound):
    counts = query_counts(client, lambda data: reverse(page, args=[data["units"][0].pk]), role)

    assert counts[0] == counts[1]
    assert counts[0] <= bound


def test_home_query_count_is_flat_from_5_to_500_units(client):
    counts = query_counts(client, lambda data: "/", "home_affairs")

    assert counts[0] == counts[1]


def test_dashboard_offers_to_draft_the_plan_then_links_to_it(client):
    data = build_group(3)
    unit = data["units"][1]  # loses 0,5 at 1.1
    client.force_login(user_with_role(Role.UNIT, unit, username="xa.plan"))
    url = reverse("scoring:dashboard", args=[unit.pk])

    before = client.get(url, {"nam": 2023}).content.decode()
    plan = plan_draft(unit=unit, year=2023)
    after = client.get(url, {"nam": 2023}).content.decode()
    other_year = client.get(url, {"nam": 2022}).content.decode()

    assert "Chưa có kế hoạch khắc phục cho kết quả năm 2023." in before
    assert f'name="assessment" value="{unit.assessments.get(year=2023).pk}"' in before
    assert reverse("remediation:plan", args=[plan.pk]) in after
    assert "Lập kế hoạch khắc phục" not in after
    assert reverse("remediation:plan", args=[plan.pk]) not in other_year


def test_dashboard_offers_no_plan_without_deductions(client):
    data = build_group(1)  # unit 0 scores in full
    client.force_login(data["unit_user"])

    html = client.get(reverse("scoring:dashboard", args=[data["units"][0].pk])).content.decode()

    assert "Lập kế hoạch khắc phục" not in html
