"""Charts say nothing the table beside them doesn't: every number drawn is in the table."""

import re

import pytest
from django.urls import reverse

from scoring.models import Role, Unit
from tests.factories import user_with_role
from tests.web.dashboard_data import build_group, load_demo

pytestmark = pytest.mark.django_db
NUMBER = re.compile(r"\d[\d.]*(?:,\d+)?")


def charts(html: str) -> list[str]:
    """The page's charts (not the header's icons)."""
    return re.findall(r'<svg\b[^>]*class="chart".*?</svg>', html, flags=re.S)


def chart_numbers(svg: str) -> set[str]:
    """Numbers in the chart's labels and values, not in its title."""
    body = re.sub(r"<title>.*?</title>", "", svg, flags=re.S)
    texts = re.findall(r"<text[^>]*>(.*?)</text>", body, flags=re.S)[1:]  # [0] is the title
    return {n for text in texts for n in NUMBER.findall(re.sub(r"<[^>]+>", " ", text))}


def table_numbers(html: str, table_id: str) -> set[str]:
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    return set(NUMBER.findall(re.sub(r"<[^>]+>", " ", table)))


def assert_chart_within_table(svg: str, html: str, table_id: str) -> None:
    drawn = chart_numbers(svg)
    assert drawn, "the chart draws no number at all"
    assert drawn <= table_numbers(html, table_id), drawn - table_numbers(html, table_id)


def test_dashboard_charts_draw_only_numbers_of_their_tables(client):
    load_demo()
    unit = Unit.objects.get(code="HT-CX-CS")
    client.force_login(user_with_role(Role.UNIT, unit, username="xa.test"))

    html = client.get(reverse("scoring:dashboard", args=[unit.pk]), {"nam": 2023}).content.decode()

    fields_chart, trend_chart = charts(html)
    assert_chart_within_table(fields_chart, html, "fields")
    assert {"9,13", "11", "8,96", "11,5"} <= chart_numbers(fields_chart)
    assert_chart_within_table(trend_chart, html, "trend")
    assert {"68,5", "85,08", "2022", "2023"} <= chart_numbers(trend_chart)


def test_ranking_and_analysis_charts_draw_only_numbers_of_their_tables(client):
    data = build_group(5)
    client.force_login(data["home_affairs"])
    query = {"khoi": data["group"].pk, "nam": 2023}

    ranking = client.get("/xep-hang/", query).content.decode()
    analysis = client.get("/phan-tich/", query).content.decode()

    (ranking_chart,) = charts(ranking)
    assert_chart_within_table(ranking_chart, ranking, "ranking")
    assert {"10", "9,5", "9", "8,5"} <= chart_numbers(ranking_chart)
    (analysis_chart,) = charts(analysis)
    assert_chart_within_table(analysis_chart, analysis, "field-losses")
    assert "3" in chart_numbers(analysis_chart)


def test_ranking_chart_of_a_large_group_draws_the_first_30_rows_and_says_so(client):
    data = build_group(35)
    client.force_login(data["home_affairs"])

    html = client.get("/xep-hang/", {"khoi": data["group"].pk, "sort": "don-vi"}).content.decode()

    (chart,) = charts(html)
    assert "<title>Tổng điểm năm 2023 · 30 dòng đầu của bảng</title>" in chart
    names = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", chart)
    assert names == [f"Xã thử {i:04d}" for i in range(30)]
