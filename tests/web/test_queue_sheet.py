"""The sheet opened from the work queue: "Đơn vị tiếp theo" in the queue's order,
the querystring kept through saving and workflow steps, and a save that returns to
the row being edited."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import AssessmentStatus, Role
from tests.factories import user_with_role
from tests.web.dashboard_data import build_group
from tests.web.queue_setup import queue_district
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    return queue_district()


def nav(client, sheet, query: str = "") -> dict[str, str]:
    """The sheet page's queue links: {"previous"|"next": href, "back": href, "end": text}."""
    page = client.get(f"/danh-gia/{sheet.pk}/{query}").content.decode()
    found = re.search(r'<nav class="links queue-nav".*?</nav>', page, re.S)
    if not found:
        return {}
    links = dict(re.findall(r'href="([^"]+)"[^>]*id="(\w+)-unit"', found.group()))
    links = {role: href for href, role in links.items()}
    links["back"] = re.search(r'href="([^"]+)">« Về danh sách', found.group()).group(1)
    if "cuối danh sách" in found.group():
        links["end"] = "Đây là đơn vị cuối danh sách."
    return links


def test_next_unit_follows_the_queues_order_with_its_filters(district):
    sheets = district["sheets"]
    client = logged_in(district["home_affairs"])
    # Drafts by self total, highest first: D-0000 (8,5) then D-0005 (none).
    query = "?nam=2023&trang_thai=draft&sort=-tu-cham"
    kept = "nam=2023&amp;trang_thai=draft&amp;sort=-tu-cham"

    first = nav(client, sheets["D-0000"], query)

    assert first["next"] == f"/danh-gia/{sheets['D-0005'].pk}/?{kept}"
    assert "previous" not in first
    assert first["back"] == f"/?{kept}"
    last = nav(client, sheets["D-0005"], query)
    assert last["previous"] == f"/danh-gia/{sheets['D-0000'].pk}/?{kept}"
    assert last["end"] == "Đây là đơn vị cuối danh sách."


def test_next_unit_follows_a_search_and_a_descending_sort_by_name(district):
    sheets = district["sheets"]
    client = logged_in(district["home_affairs"])
    # "xã" by name, Z to A: Yên, Cẩm Sơn, Cẩm Hà, An Lạc.
    query = "?q=x%C3%A3&sort=-ten"

    chain = [nav(client, sheets[code], query).get("next", "") for code in ("D-0005", "D-0000")]

    assert chain[0].startswith(f"/danh-gia/{sheets['D-0000'].pk}/?")
    assert chain[1].startswith(f"/danh-gia/{sheets['D-0003'].pk}/?")
    assert "q=x%C3%A3&amp;sort=-ten" in chain[1]


def test_a_sheet_that_left_the_filter_still_leads_on_to_the_rest(district):
    sheets = district["sheets"]
    client = logged_in(district["home_affairs"])
    # Appraising D-0001 from "Đã gửi thẩm định" moves it out of the filter.
    query = "?trang_thai=submitted"
    sheets["D-0001"].status = AssessmentStatus.APPRAISED
    sheets["D-0001"].save()

    links = nav(client, sheets["D-0001"], query)

    assert links["next"].startswith(f"/danh-gia/{sheets['D-0002'].pk}/?")
    assert "previous" not in links


def test_without_a_querystring_next_is_the_next_code_of_the_sheets_year(district):
    sheets = district["sheets"]

    links = nav(logged_in(district["home_affairs"]), sheets["D-0002"])

    assert links["previous"] == f"/danh-gia/{sheets['D-0001'].pk}/?nam=2023"
    assert links["next"] == f"/danh-gia/{sheets['D-0003'].pk}/?nam=2023"


def test_next_never_leads_outside_the_jurisdiction(district):
    build_group(2, years=(2023,), prefix="E")  # codes E-0000, E-0001 come after D-…
    sheets = district["sheets"]

    mine = nav(logged_in(district["home_affairs"]), sheets["D-0005"])
    admin = nav(logged_in(user_with_role(Role.ADMIN, username="qt")), sheets["D-0005"])

    assert "next" not in mine and mine["end"]
    assert admin["next"].startswith("/danh-gia/")
    assert admin["next"] != mine.get("next")


def test_a_unit_user_sees_no_queue_links(district):
    page = logged_in(district["unit_user"]).get(f"/danh-gia/{district['sheets']['D-0000'].pk}/")

    assert page.status_code == 200
    assert "queue-nav" not in page.content.decode()
    assert "Đơn vị tiếp theo" not in page.content.decode()


def test_another_jurisdictions_sheet_is_refused_whatever_the_querystring(district):
    world = make_world(tag="-x")
    client = logged_in(district["home_affairs"])

    response = client.get(f"/danh-gia/{world.mine.pk}/?nam=2023&sort=-ma")

    assert response.status_code == 403
    assert "Xã Của Tôi" not in response.content.decode()


def test_saving_returns_to_the_edited_row_keeping_the_queue():
    world = make_world(status=AssessmentStatus.SUBMITTED)
    ids = leaf_ids(world.mine)
    client = logged_in(world.home_affairs)
    data = {"token": token(world.mine), f"appraised-{ids['1.2']}": "1,5", "dong": ids["1.2"]}

    response = client.post(f"/danh-gia/{world.mine.pk}/luu/?nam=2023&sort=-tu-cham", data)

    assert response.status_code == 302
    assert response["Location"] == (
        f"/danh-gia/{world.mine.pk}/?nam=2023&sort=-tu-cham#leaf-{ids['1.2']}"
    )


def test_without_the_row_field_or_with_junk_in_it_the_save_returns_to_the_top():
    world = make_world(status=AssessmentStatus.SUBMITTED)
    ids = leaf_ids(world.mine)
    client = logged_in(world.home_affairs)
    url = f"/danh-gia/{world.mine.pk}/luu/"

    plain = client.post(url, {"token": token(world.mine), f"appraised-{ids['1.1']}": "1"})
    junk = client.post(url, {"token": token(world.mine), "dong": "1#x?y", "appraised-0": ""})

    assert plain["Location"] == f"/danh-gia/{world.mine.pk}/"
    assert junk["Location"] == f"/danh-gia/{world.mine.pk}/"


def test_the_sheets_forms_carry_the_queue_and_a_workflow_step_returns_to_it():
    world = make_world(status=AssessmentStatus.SUBMITTED)
    client = logged_in(world.home_affairs)
    query = "?nam=2023&trang_thai=submitted"

    page = client.get(f"/danh-gia/{world.mine.pk}/{query}").content.decode()
    step = client.post(f"/danh-gia/{world.mine.pk}/buoc/return/{query}", {"reason": "Bổ sung"})

    assert f'action="/danh-gia/{world.mine.pk}/luu/?nam=2023&amp;trang_thai=submitted"' in page
    assert f'action="/danh-gia/{world.mine.pk}/buoc/return/?nam=2023&amp;trang_thai=submitted"' in (
        page
    )
    assert '<input type="hidden" name="dong" value="">' in page
    assert step["Location"] == f"/danh-gia/{world.mine.pk}/?nam=2023&trang_thai=submitted"


def sheet_queries(size: int) -> int:
    data = build_group(size, years=(2023,), prefix=f"S{size}")
    client = logged_in(data["home_affairs"])
    sheet = data["units"][1].assessments.get()
    url = f"/danh-gia/{sheet.pk}/?trang_thai=published&sort=-tham-dinh&q=x%C3%A3"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert "Đơn vị tiếp theo" in response.content.decode()
    return len(captured)


def test_the_sheet_with_its_queue_links_runs_the_same_queries_at_5_and_500_units():
    assert sheet_queries(5) == sheet_queries(500)
