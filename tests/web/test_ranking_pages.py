"""The ranking page of a large khối: one page at a time, the user's own unit pinned, a
search that keeps the khối's ranks; the Excel still has every unit."""

import re

import pytest

from scoring.engine import group_ranking
from scoring.models import Unit
from tests.web.dashboard_data import build_group, query_counts
from tests.web.test_ranking import URL, plain_text, rows_of, xlsx_rows

pytestmark = pytest.mark.django_db


def pinned_of(response) -> list[str]:
    return re.findall(r'<tr data-unit="([^"]+)" class="pinned">', response.content.decode())


def pager_of(response) -> str:
    found = re.search(
        r'<nav class="pager page-links"[^>]*>(.*?)</nav>', response.content.decode(), re.S
    )
    return plain_text(found.group(1)) if found else ""


@pytest.fixture
def khoi():
    """120 communes: totals 10, 9.5, 9, 8.5, thirty units each (ranks 1, 31, 61, 91)."""
    return build_group(120)


def test_page_two_shows_rows_51_to_100_with_the_khois_ranks(client, khoi):
    client.force_login(khoi["home_affairs"])
    whole = group_ranking(khoi["group"], 2023).rows

    response = client.get(URL, {"khoi": khoi["group"].pk, "nam": 2023, "trang": 2})

    shown = rows_of(response)
    assert [r["unit"] for r in shown] == [row.unit_code for row in whole[50:100]]
    assert [r["rank"] for r in shown[:10]] == ["31 đồng hạng"] * 10
    assert shown[10]["rank"] == "61 đồng hạng"
    assert pager_of(response) == "Trước Trang 1 2 3 Sau"
    assert "Trang 2/3 · 50 đơn vị một trang." in plain_text(response.content.decode())
    assert "120 đơn vị" in response.content.decode()


def test_page_links_elide_the_middle_of_a_long_khoi(client):
    data = build_group(500)
    client.force_login(data["home_affairs"])

    response = client.get(URL, {"khoi": data["group"].pk, "trang": 5})

    assert pager_of(response) == "Trước Trang 1 … 4 5 6 … 10 Sau"
    assert len(rows_of(response)) == 50
    assert f"khoi={data['group'].pk}&amp;nam=2023&amp;sort=hang&amp;q=&amp;trang=6" in (
        response.content.decode()
    )


def test_a_page_past_the_last_shows_the_last(client, khoi):
    client.force_login(khoi["home_affairs"])

    response = client.get(URL, {"khoi": khoi["group"].pk, "trang": 40})

    assert response.status_code == 200
    assert len(rows_of(response)) == 20
    assert "Trang 3/3" in plain_text(response.content.decode())


def test_the_unit_users_own_unit_is_pinned_when_not_on_the_page(client, khoi):
    client.force_login(khoi["unit_user"])  # D-0000, total 10, rank 1

    first = client.get(URL, {"khoi": khoi["group"].pk, "trang": 1})
    third = client.get(URL, {"khoi": khoi["group"].pk, "trang": 3})

    assert pinned_of(first) == []
    assert rows_of(first)[0]["unit"] == "D-0000"
    assert pinned_of(third) == ["D-0000"]
    html = third.content.decode()
    pinned = re.search(r'<tr data-unit="D-0000" class="pinned">(.*?)</tr>', html, re.S).group(1)
    assert "Đơn vị của bạn" in pinned
    assert plain_text(pinned).startswith("1 đồng hạng")
    assert "D-0000" not in [r["unit"] for r in rows_of(third)]


def test_searching_cam_son_finds_cam_son_at_its_rank_in_the_khoi(client, khoi):
    Unit.objects.filter(code="D-0063").update(name="Xã Cẩm Sơn")  # total 8.5: rank 91
    client.force_login(khoi["home_affairs"])

    response = client.get(URL, {"khoi": khoi["group"].pk, "q": "cam son"})

    shown = rows_of(response)
    assert [(r["unit"], r["rank"], r["total"]) for r in shown] == [
        ("D-0063", "91 đồng hạng", "8,5")
    ]
    text = plain_text(response.content.decode())
    assert "Tìm «cam son»: 1 đơn vị; hạng là hạng trong cả khối." in text
    assert 'value="cam son"' in response.content.decode()


def test_a_search_that_finds_nothing_says_so(client, khoi):
    client.force_login(khoi["home_affairs"])

    response = client.get(URL, {"khoi": khoi["group"].pk, "q": "Cẩm Xuyên"})

    assert rows_of(response) == []
    assert "Không có đơn vị nào có tên hoặc mã chứa «Cẩm Xuyên»." in (
        plain_text(response.content.decode())
    )


@pytest.mark.parametrize("query", ["&trang=2", "&q=0001", "&sort=bi-tru&trang=2"])
def test_pages_and_searches_cost_the_same_queries_for_60_or_500_units(client, query):
    counts = query_counts(
        client,
        lambda data: f"{URL}?khoi={data['group'].pk}{query}",
        "unit_user",
        sizes=(60, 500),
    )

    assert counts[0] == counts[1]
    assert counts[0] <= 16


def test_a_page_past_the_last_costs_two_statements_more(client):
    """The page asked for is empty, so the khối is counted and its last page read."""
    counts = [
        query_counts(
            client,
            lambda data, n=n: f"{URL}?khoi={data['group'].pk}&trang={n}",
            "unit_user",
            sizes=(size,),
        )[0]
        for n, size in ((2, 60), (3, 61))
    ]

    assert counts[1] == counts[0] + 2


def test_the_excel_has_every_unit_of_the_khoi_in_the_pages_order(client, khoi):
    client.force_login(khoi["home_affairs"])
    whole = group_ranking(khoi["group"], 2023).rows

    response = client.get(URL, {"khoi": khoi["group"].pk, "sort": "bi-tru", "tai": "xlsx"})

    _, *rows = xlsx_rows(response)
    assert len(rows) == 120
    by_deducted = sorted(whole, key=lambda row: (-row.tally.deducted, row.unit_code))
    assert [row[1] for row in rows] == [row.unit_code for row in by_deducted]
    assert [row[0] for row in rows] == [row.rank for row in by_deducted]
