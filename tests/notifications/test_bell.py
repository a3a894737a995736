"""The bell in the header and the page of one's own notifications."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scoring.models import Notification, Role
from tests.factories import UnitFactory, user_with_role
from tests.web.sheet_setup import logged_in

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def people():
    unit = UnitFactory(name="Xã Chuông")
    return (
        user_with_role(Role.UNIT, unit, username="xa.chuong"),
        user_with_role(Role.UNIT, unit, username="xa.hangxom"),
    )


def give(user, count: int, *, read: int = 0, link: str = "/ke-hoach/") -> list[Notification]:
    rows = Notification.objects.bulk_create(
        Notification(recipient=user, kind=Kind.RETURNED, message=f"Thông báo số {n}", link=link)
        for n in range(count)
    )
    Notification.objects.filter(pk__in=[row.pk for row in rows[:read]]).update(
        read_at=timezone.now()
    )
    return rows


def bell_label(html: str) -> str:
    return re.search(r'class="bell[^"]*"[^>]*aria-label="([^"]+)"', html).group(1)


def test_the_bell_counts_the_users_own_unread_notifications(people):
    me, neighbour = people
    give(me, 3, read=1)
    give(neighbour, 5)

    html = logged_in(me).get("/thong-bao/").content.decode()

    assert bell_label(html) == "Thông báo, 2 chưa đọc"
    assert re.search(r'<span class="bell-count" aria-hidden="true">2</span>', html)


def test_the_unread_count_is_one_query_at_any_size(people):
    me, _ = people

    def count_queries(client: Client) -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            client.get("/ke-hoach/")
        return [q["sql"] for q in queries.captured_queries if "scoring_notification" in q["sql"]]

    client = logged_in(me)
    give(me, 2)
    few = count_queries(client)
    give(me, 300)
    many = count_queries(client)

    assert len(few) == len(many) == 1
    assert "COUNT(*)" in many[0]


def test_anonymous_pages_count_nothing():
    with CaptureQueriesContext(connection) as queries:
        html = Client().get("/dang-nhap/").content.decode()

    assert not [q for q in queries.captured_queries if "scoring_notification" in q["sql"]]
    assert 'class="bell' not in html


def test_the_page_lists_only_the_users_own_notifications_paged(people):
    me, neighbour = people
    give(me, 25)
    give(neighbour, 1)
    Notification.objects.filter(recipient=neighbour).update(message="Của hàng xóm")
    client = logged_in(me)

    first = client.get("/thong-bao/").content.decode()
    second = client.get("/thong-bao/?trang=2").content.decode()

    assert first.count('class="notification unread"') == 20
    assert "Thông báo số 24" in first and "Thông báo số 4<" not in first
    assert "Trang 1/2" in first and "Trang 2/2" in second
    assert second.count('class="notification unread"') == 5
    assert "Thông báo số 0" in second
    assert "Của hàng xóm" not in first + second
    assert "Đánh dấu đã đọc tất cả" in first


def test_the_page_runs_the_same_queries_at_any_size(people):
    me, _ = people
    client = logged_in(me)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/thong-bao/").status_code == 200
        return len(captured)

    give(me, 3)
    few = queries()
    give(me, 200)
    assert queries() == few


def test_opening_a_notification_marks_it_read_and_follows_its_link(people):
    me, _ = people
    [row] = give(me, 1, link="/danh-gia/7/")

    response = logged_in(me).post(f"/thong-bao/{row.pk}/mo/")

    assert (response.status_code, response["Location"]) == (302, "/danh-gia/7/")
    row.refresh_from_db()
    assert row.read_at is not None


def test_opening_needs_a_post(people):
    me, _ = people
    [row] = give(me, 1)

    assert logged_in(me).get(f"/thong-bao/{row.pk}/mo/").status_code == 405
    row.refresh_from_db()
    assert row.read_at is None


def test_opening_from_another_site_is_refused_by_csrf(people):
    me, _ = people
    [row] = give(me, 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)

    assert client.post(f"/thong-bao/{row.pk}/mo/").status_code == 403
    row.refresh_from_db()
    assert row.read_at is None


def test_nobody_opens_someone_elses_notification(people):
    me, neighbour = people
    [theirs] = give(neighbour, 1)

    response = logged_in(me).post(f"/thong-bao/{theirs.pk}/mo/")

    assert response.status_code == 403
    assert "Thông báo này không phải của bạn." in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert logged_in(me).post("/thong-bao/999999/mo/").status_code == 404


def test_a_link_off_the_site_is_not_followed(people):
    me, _ = people
    [row] = give(me, 1, link="//evil.example/")

    response = logged_in(me).post(f"/thong-bao/{row.pk}/mo/")

    assert response["Location"] == "/thong-bao/"


def test_mark_all_read_touches_only_the_users_own(people):
    me, neighbour = people
    give(me, 3, read=1)
    give(neighbour, 2)

    response = logged_in(me).post("/thong-bao/doc-het/", follow=True)

    html = response.content.decode()
    assert "Đã đánh dấu 2 thông báo là đã đọc." in html
    assert bell_label(html) == "Thông báo, 0 chưa đọc"
    assert "Đánh dấu đã đọc tất cả" not in html
    assert Notification.objects.filter(recipient=me, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=neighbour, read_at__isnull=True).count() == 2
    assert logged_in(me).get("/thong-bao/doc-het/").status_code == 405


def test_the_page_needs_a_login():
    response = Client().get("/thong-bao/")

    assert (response.status_code, response["Location"]) == (302, "/dang-nhap/?next=/thong-bao/")
