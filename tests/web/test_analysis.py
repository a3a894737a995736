"""Criterion analysis for Nội vụ and the year comparison across framework editions."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from scoring.analysis import group_losses
from scoring.engine import group_ranking
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    RankingGroup,
    Role,
    Score,
    Unit,
)
from tests.factories import build_framework, score_assessment, update_scores, user_with_role
from tests.web.dashboard_data import CAM_XUYEN, build_group, load_demo, query_counts

pytestmark = pytest.mark.django_db
URL = "/phan-tich/"


def table_rows(html: str, table_id: str) -> dict[str, list[str]]:
    """{code: [cell texts]} of a table with data-code rows."""
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    rows = {}
    for code, body in re.findall(r'<tr data-code="([^"]+)"[^>]*>(.*?)</tr>', table, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, flags=re.S)
        rows[code] = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", c)).strip() for c in cells]
    return rows


def test_criteria_that_lost_most_come_first_with_total_average_and_count(client):
    data = build_group(5)
    client.force_login(data["home_affairs"])

    html = client.get(URL, {"khoi": data["group"].pk, "nam": 2023}).content.decode()

    criteria = table_rows(html, "criterion-losses")
    # Units 1, 2, 3 lose 0,5 + 1 + 1,5 at 1.1; nobody loses anything else; so in 2022.
    assert criteria == {"1.1": ["1.1", "Tiêu chí 1.1", "4", "3", "0,6", "3/5", "3 TB 0,6"]}
    fields = table_rows(html, "field-losses")
    # Each field's max for one unit stands beside what the units lost there.
    assert fields["1"][1:] == ["6", "3", "0,6", "3/5", "3 TB 0,6"]
    assert fields["2"][1:] == ["4", "0", "0", "0/5", "0 TB 0"]


def test_demo_losses_add_up_to_the_engines_deductions(demo_group):
    group, user = demo_group
    losses = group_losses(user, group, 2023)
    ranking = group_ranking(group, 2023, with_fields=True)

    field_max = dict(
        Criterion.objects.filter(
            depth=0, framework__assessments__year=2023, framework__assessments__ranking_group=group
        )
        .values_list("code", "max_points")
        .distinct()
    )
    for row in losses.fields:
        expected = sum(field_max[row.code] - r.field_points[row.code] for r in ranking.rows)
        assert row.deducted == expected
    total = sum((r.tally.deducted for r in ranking.rows), Decimal(0))
    assert sum((row.deducted for row in losses.fields), Decimal(0)) == total
    assert losses.assessments == 23


def test_a_leaf_left_without_a_score_counts_as_lost_as_in_the_engine(client):
    data = build_group(3)
    unscored = Assessment.objects.get(unit=data["units"][0], year=2023)
    unscored.scores.filter(criterion__code="2.2").delete()  # max 1, never typed

    losses = group_losses(data["home_affairs"], data["group"], 2023)

    by_code = {row.code: row for row in losses.criteria}
    assert (by_code["2.2"].deducted, by_code["2.2"].units_lost, by_code["2.2"].units) == (1, 1, 3)
    ranking = group_ranking(data["group"], 2023)
    engine_total = sum((r.tally.deducted for r in ranking.rows), Decimal(0))
    analysed = sum((row.deducted for row in losses.fields), Decimal(0))
    assert analysed == engine_total == Decimal("2.5")


def test_not_applicable_leaves_leave_the_analysis(client):
    data = build_group(3)
    update_scores(
        Score.objects.filter(
            assessment__unit=data["units"][1], assessment__year=2023, criterion__code="1.1"
        ),
        not_applicable=True,
    )

    losses = group_losses(data["home_affairs"], data["group"], 2023)

    row = next(row for row in losses.criteria if row.code == "1.1")
    # Unit 1 lost 0,5 at 1.1 but 1.1 does not apply to it; unit 2 lost 1 there.
    assert (row.deducted, row.units_lost, row.units) == (1, 1, 2)


# Field 1 over two levels (1.1 holds 1.1.1 and 1.1.2; 1.2 is a leaf); field 2 is a leaf
# itself; field 3 holds a leaf worth 0 (a deduction-only criterion) beside one worth 2.
DEEP_FRAMEWORK = [
    ("1", None, "6"),
    ("1.1", "1", "4"),
    ("1.1.1", "1.1", "3"),
    ("1.1.2", "1.1", "1"),
    ("1.2", "1", "2"),
    ("2", None, "2"),
    ("3", None, "2"),
    ("3.1", "3", "2"),
    ("3.2", "3", "0"),
]


def test_fields_count_units_once_whatever_the_depth_missing_scores_and_left_out_leaves():
    data = build_group(4, framework=build_framework(DEEP_FRAMEWORK))
    a, b, c, d = (Assessment.objects.get(unit=unit, year=2023) for unit in data["units"])
    # a: loses 1 at 1.1.1 and 0,5 at 1.1.2, so once in field 1; nothing else.
    update_scores(a.scores.filter(criterion__code="1.1.1"), appraised_score=2)
    update_scores(a.scores.filter(criterion__code="1.1.2"), appraised_score=Decimal("0.5"))
    # b: field 3 never scored: 3.1 loses its 2, 3.2 (worth 0) loses nothing.
    b.scores.filter(criterion__code__startswith="3.").delete()
    # c: field 3 does not apply; 3.2 scored -1 (a deduction), left out with the rest.
    update_scores(c.scores.filter(criterion__code__startswith="3."), not_applicable=True)
    update_scores(c.scores.filter(criterion__code="3.2"), appraised_score=-1)
    # d: 3.2 missing (worth 0: not a loss), and -0,5 at 2.
    d.scores.filter(criterion__code="3.2").delete()
    update_scores(d.scores.filter(criterion__code="2"), appraised_score=Decimal("1.5"))

    losses = group_losses(data["home_affairs"], data["group"], 2023)

    fields = {r.code: (r.deducted, r.units, r.units_lost, r.max_points) for r in losses.fields}
    assert fields == {
        "1": (Decimal("1.5"), 4, 1, 6),
        "2": (Decimal("0.5"), 4, 1, 2),
        "3": (Decimal("2"), 3, 1, 2),
    }
    leaves = {r.code: (r.deducted, r.units, r.units_lost) for r in losses.criteria}
    assert leaves == {
        "3.1": (Decimal("2"), 3, 1),
        "1.1.1": (Decimal("1"), 4, 1),
        "1.1.2": (Decimal("0.5"), 4, 1),
        "2": (Decimal("0.5"), 4, 1),
    }
    assert [r.code for r in losses.criteria] == ["3.1", "1.1.1", "1.1.2", "2"]
    assert losses.assessments == 4
    ranking = group_ranking(data["group"], 2023)
    engine_total = sum((r.tally.deducted for r in ranking.rows), Decimal(0))
    assert sum((r.deducted for r in losses.fields), Decimal(0)) == engine_total


def test_a_field_left_out_by_every_unit_leaves_the_analysis():
    data = build_group(2)
    update_scores(
        Score.objects.filter(assessment__year=2023, criterion__code__startswith="2."),
        not_applicable=True,
    )

    losses = group_losses(data["home_affairs"], data["group"], 2023)

    assert [row.code for row in losses.fields] == ["1"]
    assert [row.code for row in losses.criteria] == ["1.1"]


@pytest.fixture
def demo_group():
    load_demo()
    group = RankingGroup.objects.get(name=CAM_XUYEN)
    return group, user_with_role(Role.HOME_AFFAIRS, Unit.objects.get(code="HT-CX"))


def test_drafts_are_left_out_of_the_analysis(client):
    data = build_group(4)
    Assessment.objects.filter(unit=data["units"][1], year=2023).update(
        status=AssessmentStatus.DRAFT
    )

    losses = group_losses(data["home_affairs"], data["group"], 2023)

    assert losses.assessments == 3
    assert [(r.code, r.deducted, r.units_lost) for r in losses.criteria] == [
        ("1.1", Decimal("2.5"), 2)
    ]


def test_unit_user_is_refused_the_analysis(client):
    data = build_group(2)
    client.force_login(data["unit_user"])

    assert client.get(URL, {"khoi": data["group"].pk}).status_code == 403


def test_home_affairs_of_another_district_is_refused_this_group(client):
    data = build_group(2)
    other = build_group(2, prefix="K")
    client.force_login(other["home_affairs"])

    response = client.get(URL, {"khoi": data["group"].pk})

    assert response.status_code == 403
    assert "Bạn không có quyền xem kết quả của khối này." in response.content.decode()


def test_analysis_query_count_is_flat_from_5_to_500_units(client):
    counts = query_counts(client, lambda data: f"{URL}?khoi={data['group'].pk}", "home_affairs")

    assert counts[0] == counts[1]
    assert counts[0] <= 15


# --- Year comparison ------------------------------------------------------------


def two_editions():
    """2022 on edition A, 2023 on edition B: 1.2 dropped, 1.3 added, 2.1's max changed."""
    unit = Unit.objects.create(code="XA", name="Xã So Sánh", level="commune")
    old = build_framework(
        [("1", None, "6"), ("1.1", "1", "4"), ("1.2", "1", "2"), ("2", None, "4"),
         ("2.1", "2", "3"), ("2.2", "2", "1")],
        name="Bộ chỉ số A",
    )  # fmt: skip
    new = build_framework(
        [("1", None, "7"), ("1.1", "1", "4"), ("1.3", "1", "3"), ("2", None, "3"),
         ("2.1", "2", "2"), ("2.2", "2", "1")],
        name="Bộ chỉ số B", year_from=2023,
    )  # fmt: skip
    a2022 = Assessment.objects.create(unit=unit, year=2022, framework=old)
    a2023 = Assessment.objects.create(unit=unit, year=2023, framework=new)
    score_assessment(a2022, {"1.1": "3", "1.2": "2", "2.1": "3", "2.2": "1"})
    score_assessment(a2023, {"1.1": "4", "1.3": "1,5", "2.1": "2", "2.2": "0,5"})
    return unit


def test_comparison_across_editions_matches_by_code_and_says_so(client):
    unit = two_editions()
    client.force_login(user_with_role(Role.UNIT, unit))

    html = client.get(reverse("scoring:comparison", args=[unit.pk])).content.decode()

    assert "dùng bộ chỉ số «Bộ chỉ số B»" in html
    assert "chỉ so sánh được ở cấp lĩnh vực" in html
    fields = table_rows(html, "field-comparison")
    # Field 1 gains 0,5 points but, its max having grown from 6 to 7, loses in %.
    assert fields["1"][1:] == ["6", "5", "83,33%", "7", "5,5", "78,57%", "+0,5", "−4,76%"]
    assert fields["2"][1:] == ["4", "4", "100%", "3", "2,5", "83,33%", "−1,5", "−16,67%"]
    assert "hãy so sánh theo tỷ lệ" in html
    assert "khác điểm tối đa" in fields["2"][0]
    criteria = table_rows(html, "criterion-comparison")
    assert set(criteria) == {"1.1", "2.1", "2.2"}
    assert criteria["1.1"][2:] == ["3/4", "4/4", "+1"]
    assert "tối đa 3 → 2" in criteria["2.1"][1]
    unmatched = html.split('id="unmatched"')[1]
    assert "1.3. Tiêu chí 1.3" in unmatched and "1.2. Tiêu chí 1.2" in unmatched


def test_comparison_gives_the_other_years_title_where_the_same_code_reads_differently(client):
    unit = two_editions()
    Criterion.objects.filter(framework__name="Bộ chỉ số A", code="1.1").update(
        title="Kế hoạch CCHC (bộ cũ)"
    )
    client.force_login(user_with_role(Role.UNIT, unit))

    html = client.get(reverse("scoring:comparison", args=[unit.pk])).content.decode()

    criteria = table_rows(html, "criterion-comparison")
    assert criteria["1.1"][1] == "Tiêu chí 1.1 Năm 2022: Kế hoạch CCHC (bộ cũ)"
    assert criteria["2.2"][1] == "Tiêu chí 2.2"


def test_comparison_within_one_framework_compares_every_criterion(client):
    data = build_group(2)
    client.force_login(data["unit_user"])

    html = client.get(reverse("scoring:comparison", args=[data["units"][0].pk])).content.decode()

    assert "cùng bộ chỉ số" in html
    assert set(table_rows(html, "criterion-comparison")) == {"1.1", "1.2", "2.1", "2.2"}
    assert 'id="unmatched"' not in html


def test_comparison_with_one_year_only_says_there_is_nothing_to_compare(client):
    data = build_group(2, years=(2023,))
    client.force_login(data["unit_user"])

    html = client.get(reverse("scoring:comparison", args=[data["units"][0].pk])).content.decode()

    assert "Cần ít nhất hai năm" in html
