"""The open-results pages: published khối-years only, their real values, the same page
for every visitor, outside login but inside every other middleware."""

import re

import pytest
from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore

from scoring.models import Membership
from scoring.public.views import public_index
from tests.scoring.public.world import DECISION_NUMBER, build_world, hidden_texts, queries_of
from tests.web.dashboard_data import build_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def rows_of(html: str) -> dict[str, dict[str, str]]:
    """Each table row by unit code: {column: its text}."""
    rows = {}
    for unit, body in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', html, flags=re.S):
        cells = re.findall(r'data-col="(\w+)">(.*?)</td>', body, flags=re.S)
        rows[unit] = {col: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for col, text in cells}
    return rows


def listed(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-group="(\d+)" data-year="(\d+)">', html)


def test_the_list_shows_only_published_khoi_years_with_their_decision(client, world):
    response = client.get("/cong-khai/")
    html = response.content.decode()

    group = str(world.published.pk)
    assert listed(html) == [(group, "2023"), (group, "2022")]
    assert f"Quyết định số {DECISION_NUMBER} ngày 26/12/2023 của UBND huyện Thử" in html
    assert "chưa ghi số quyết định" in html  # 2022 has no decision recorded
    for text in hidden_texts(world):
        assert text not in html


def test_the_table_shows_published_units_with_real_values(client, world):
    response = client.get(f"/cong-khai/{world.published.pk}/2023/")
    html = response.content.decode()

    rows = rows_of(html)
    assert list(rows) == ["A", "B", "C"]  # D is only appraised
    assert rows["A"] == {
        "rank": "1",
        "total": "85,08",
        "max": "100",
        "index": "85,08%",
        "change": "tăng 1 bậc năm trước hạng 2, +15,08 điểm",
        "classification": "Khá",
    }
    assert rows["B"]["rank"] == "2 đồng hạng"
    assert rows["B"]["change"] == "giảm 1 bậc năm trước hạng 1, −9,5 điểm"
    # C's last year was appraised, never published: nothing to compare with.
    assert rows["C"]["change"] == "—"
    assert rows["C"]["classification"] == "Trung bình"
    assert "Quyết định số 9471/QĐ-UBND ngày 26/12/2023" in html
    assert "3 đơn vị có kết quả đã công bố" in html
    for text in hidden_texts(world):
        assert text not in html


def test_search_finds_units_by_name_and_keeps_the_khois_ranks(client, world):
    html = client.get(f"/cong-khai/{world.published.pk}/2023/", {"q": "cat"}).content.decode()

    assert list(rows_of(html)) == ["C"]
    assert rows_of(html)["C"]["rank"] == "2 đồng hạng"
    assert "Tìm «cat»: 1 đơn vị" in html
    nothing = client.get(f"/cong-khai/{world.published.pk}/2023/", {"q": "Chưa Công Bố"})
    assert rows_of(nothing.content.decode()) == {}


def test_unpublished_and_unknown_khoi_years_are_not_found(client, world):
    for group in (world.draft, world.submitted, world.appraised):
        assert client.get(f"/cong-khai/{group.pk}/2023/").status_code == 404
    assert client.get(f"/cong-khai/{world.published.pk}/2021/").status_code == 404
    assert client.get("/cong-khai/999999/2023/").status_code == 404


@pytest.mark.parametrize("path", ["/cong-khai/", "/cong-khai/api/", "/cong-khai/{group}/2023/"])
def test_every_visitor_gets_the_same_cacheable_page(client, world, path):
    url = path.format(group=world.published.pk)
    anonymous = client.get(url)
    pages = [anonymous.content]
    for user in (world.home_affairs, world.unit_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.content)
        client.logout()

    # No name, no bell, no CSRF token: one page a shared cache may keep for anyone.
    assert pages[0] == pages[1] == pages[2]
    assert anonymous["Cache-Control"] == "public, max-age=300"
    assert "script-src 'self'" in anonymous["Content-Security-Policy"]
    assert anonymous["X-Frame-Options"] == "DENY"
    assert "Set-Cookie" not in anonymous.headers
    assert b"csrfmiddlewaretoken" not in anonymous.content


def test_a_user_who_must_set_a_password_is_sent_to_do_so_but_anonymous_visitors_are_not(
    client, world
):
    assert client.get("/cong-khai/").status_code == 200
    Membership.objects.filter(user=world.unit_user).update(must_set_password=True)
    client.force_login(world.unit_user)

    assert client.get("/cong-khai/").status_code == 302


@pytest.mark.parametrize("path", ["/cong-khai/", "/cong-khai/api/", "/cong-khai/{group}/2023/"])
def test_pages_refuse_other_methods(client, world, path):
    response = client.post(path.format(group=world.published.pk))

    assert response.status_code == 405


def test_login_page_and_the_menu_link_to_the_public_results(client, world):
    assert 'href="/cong-khai/"' in client.get("/dang-nhap/").content.decode()
    client.force_login(world.unit_user)
    assert 'href="/cong-khai/">Kết quả công khai</a>' in client.get("/").content.decode()


def test_an_empty_system_says_nothing_is_published(client):
    html = client.get("/cong-khai/").content.decode()

    assert "Chưa có kết quả nào được công bố." in html


def test_the_table_is_paged_by_50_with_the_khois_ranks(client):
    data = build_group(120)
    url = f"/cong-khai/{data['group'].pk}/2023/"

    html = client.get(url, {"trang": 2}).content.decode()

    rows = rows_of(html)
    assert len(rows) == 50
    # 30 units share each of four totals: ranks 1, 31, 61 and 91; rows 51 to 100 here.
    assert {row["rank"] for row in rows.values()} == {
        "31 đồng hạng",
        "61 đồng hạng",
        "91 đồng hạng",
    }
    assert "Trang 2/3 · 50 đơn vị một trang." in html
    assert '<a href="?q=&amp;trang=3" rel="next">Sau</a>' in html
    assert len(rows_of(client.get(url, {"trang": 9}).content.decode())) == 20  # the last


def test_pages_take_the_same_queries_for_23_and_200_units(client):
    counts = []
    for size in (23, 200):
        data = build_group(size, prefix=f"P{size}")
        table = f"/cong-khai/{data['group'].pk}/2023/"
        counts.append((queries_of(client, "/cong-khai/"), queries_of(client, table)))

    assert counts[0] == counts[1]
    assert counts[0][0] <= 3 and counts[0][1] <= 8
    # The last of the 200 units' four pages costs what the first does.
    assert queries_of(client, table + "?trang=4") == counts[1][1]


def test_a_message_waiting_for_a_user_is_not_put_in_a_public_page(rf, world):
    request = rf.get("/cong-khai/")
    request.user, request.session = world.unit_user, SessionStore()
    request._messages = FallbackStorage(request)
    add_message(request, constants.SUCCESS, "Đã lưu phiếu của Xã An")

    html = public_index(request).content.decode()

    assert DECISION_NUMBER in html
    assert "Đã lưu phiếu của Xã An" not in html
