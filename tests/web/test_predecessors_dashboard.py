"""A merged commune's dashboard: its three predecessors' 2024 results and no false rank
change; who sees them; bounded queries."""

import re

import pytest
from django.urls import reverse

from scoring.models import AssessmentStatus, Unit
from tests.web.predecessors_setup import build_merger, clear_world
from tests.web.test_dashboard import kpi, text_of

pytestmark = pytest.mark.django_db

MERGED_LABEL = "đơn vị mới hợp nhất từ Xã An, Xã Bình, Xã Châu (từ năm 2025)"


def predecessor_rows(response) -> list[list[str]]:
    table = re.search(r'<table[^>]*id="predecessors".*?</table>', response.content.decode(), re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr data-unit.*?</tr>", table.group(0), re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td.*?</td>", row)]
        for row in rows
    ]


def dashboard(client, user, unit: Unit, year: int = 2025):
    client.force_login(user)
    return client.get(reverse("scoring:dashboard", args=[unit.pk]), {"nam": year})


def test_a_merged_units_dashboard_shows_its_three_predecessors(client, tmp_path):
    world = build_merger(tmp_path)

    response = dashboard(client, world["unit_user"], world["merged"])

    assert response.status_code == 200
    assert predecessor_rows(response) == [
        ["2024", "Xã An", "9", "10", "90%", "2/6", "Khối xã 2024"],
        ["2024", "Xã Bình", "8", "10", "80%", "4/6", "Khối xã 2024"],
        ["2024", "Xã Châu", "6", "10", "60%", "6/6", "Khối xã 2024"],
    ]
    assert kpi(response, "rank") == "2/4"
    assert kpi(response, "rank-change") == (
        f"{MERGED_LABEL}, nên không so sánh thứ hạng với năm 2024"
    )
    page = text_of(response)
    assert "bậc" not in page
    assert "Kết quả các đơn vị trước hợp nhất" in page
    # The chart marks the predecessors' year: their average index, 76,67%.
    chart = re.search(r"<svg.*?Chỉ số \(%\) qua các năm.*?</svg>", response.content.decode(), re.S)
    assert chart is not None
    assert "2024*" in chart.group(0) and "76,67%" in chart.group(0) and "95%" in chart.group(0)
    assert "chỉ số trung bình của các đơn vị trước" in page


def test_a_peer_ranked_both_years_keeps_its_rank_change(client, tmp_path):
    world = build_merger(tmp_path)

    response = dashboard(client, world["home_affairs"], world["units"]["P3"])

    assert kpi(response, "rank-change") == "tăng 4 bậc so với năm 2024 (hạng 5)"
    assert predecessor_rows(response) == []


def test_a_unit_head_sees_only_the_published_results_of_its_predecessors(client, tmp_path):
    world = build_merger(tmp_path)
    bình = world["units"]["B"].assessments.get()
    bình.status = AssessmentStatus.APPRAISED
    bình.save(update_fields=["status"])

    as_unit = predecessor_rows(dashboard(client, world["unit_user"], world["merged"]))
    as_home_affairs = predecessor_rows(dashboard(client, world["home_affairs"], world["merged"]))

    # Without Xã Bình's result, the published ranking of 2024 has five units.
    assert [row[1] for row in as_unit] == ["Xã An", "Xã Châu"]
    assert [row[5] for row in as_unit] == ["2/5", "5/5"]
    assert [row[1] for row in as_home_affairs] == ["Xã An", "Xã Bình", "Xã Châu"]
    assert [row[5] for row in as_home_affairs] == ["2/6", "4/6", "6/6"]


def test_the_merged_units_people_do_not_open_their_predecessors_pages(client, tmp_path):
    world = build_merger(tmp_path)
    an = world["units"]["A"]
    client.force_login(world["unit_user"])

    assert client.get(reverse("scoring:dashboard", args=[an.pk])).status_code == 403
    assert client.get(reverse("scoring:comparison", args=[an.pk])).status_code == 403
    sheet = an.assessments.get()
    assert client.get(reverse("scoring:sheet", args=[sheet.pk])).status_code == 403


def test_dashboard_queries_do_not_grow_with_the_predecessors(client, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for predecessors in (("A",), ("A", "B", "C")):
        world = build_merger(tmp_path, predecessors=predecessors)
        client.force_login(world["unit_user"])
        url = reverse("scoring:dashboard", args=[world["merged"].pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert len(predecessor_rows(response)) == len(predecessors)
        counts.append(len(captured))
        clear_world()
    assert counts[0] == counts[1]
    assert counts[1] <= 21, counts
