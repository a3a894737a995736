"""Nội vụ's work queue on the home page: rows, filters, search, sorting, paging, the
year selector and refusals; bounded queries at 5 and 500 units."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    AssessmentTally,
    Role,
    Score,
    Unit,
)
from tests.factories import calendar_everywhere, user_with_role
from tests.web.dashboard_data import build_group, query_counts, work_done
from tests.web.queue_setup import codes, queue_district, queue_rows

pytestmark = pytest.mark.django_db

Status = AssessmentStatus


@pytest.fixture
def district():
    return queue_district()


def home(client, user, query: str = "") -> str:
    client.force_login(user)
    response = client.get(f"/?{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_each_row_shows_unit_group_status_totals_and_max(client, district):
    html = home(client, district["home_affairs"])

    rows = {row["code"]: row for row in queue_rows(html)}
    assert list(rows) == [f"D-{i:04d}" for i in range(6)]
    assert rows["D-0000"]["unit"] == "Xã Cẩm Sơn · tổng quan"
    assert rows["D-0001"]["group"] == "Khối phường"
    assert rows["D-0000"] | {"unit": ""} == {
        "code": "D-0000",
        "unit": "",
        "group": "Khối xã huyện D",
        "status": "Đang tự đánh giá",
        "self": "8,5",
        "appraised": "—",
        "max": "10",
        "deadline": "—",
    }
    assert rows["D-0002"]["appraised"] == "8,5 1/4 tiêu chí"  # 2,5 + 2 + 3 + 1, appraisal begun
    assert (rows["D-0003"]["self"], rows["D-0003"]["appraised"]) == ("8,5", "8,5")
    assert (rows["D-0005"]["self"], rows["D-0005"]["appraised"]) == ("—", "—")
    sheet = district["sheets"]["D-0000"]
    assert f'href="/danh-gia/{sheet.pk}/?nam=2023"' in html
    assert f'href="/don-vi/{sheet.unit.pk}/tong-quan/?nam=2023"' in html


def test_status_group_and_overdue_filters_give_their_rows(client, district):
    user = district["home_affairs"]
    today = timezone.localdate()
    calendar_everywhere(
        2023,
        self_assessment_closes=today - timedelta(days=2),
        appraisal_closes=today + timedelta(days=3),
    )

    assert codes(home(client, user, "trang_thai=submitted")) == ["D-0001", "D-0002"]
    assert codes(home(client, user, f"khoi={district['wards'].pk}")) == ["D-0001", "D-0002"]
    overdue = home(client, user, "qua_han=1")
    assert codes(overdue) == ["D-0000", "D-0005"]
    late = today - timedelta(days=2)
    assert queue_rows(overdue)[0]["deadline"] == f"{late:%d/%m/%Y} (quá hạn 2 ngày)"
    both = home(client, user, f"trang_thai=draft&khoi={district['group'].pk}&qua_han=1")
    assert codes(both) == ["D-0000", "D-0005"]
    submitted = {row["code"]: row for row in queue_rows(home(client, user, "trang_thai=submitted"))}
    assert submitted["D-0001"]["deadline"] == f"{today + timedelta(days=3):%d/%m/%Y} (còn 3 ngày)"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Cẩm", ["D-0000", "D-0003"]),
        ("cẩm", ["D-0000", "D-0003"]),
        ("CẨM SƠN", ["D-0000"]),
        ("cam son", ["D-0000"]),
        ("  cam   son ", ["D-0000"]),
        ("đống", ["D-0001"]),
        ("ĐỐNG ĐA", ["D-0001"]),
        ("dong da", ["D-0001"]),
        ("ẩm thượng", ["D-0002"]),
        ("d-0004", ["D-0004"]),
        ("  An Lạc ", ["D-0004"]),
        ("100%", []),
    ],
)
def test_search_finds_names_and_codes_whatever_the_case_and_tone_marks(
    client, district, typed, expected
):
    html = home(client, district["home_affairs"], f"q={typed}")

    assert codes(html) == expected if expected else "Không có đơn vị nào khớp bộ lọc." in html


def test_search_matches_a_name_stored_decomposed(client, district):
    import unicodedata

    Unit.objects.filter(code="D-0005").update(name=unicodedata.normalize("NFD", "Xã Yên Hòa"))

    assert codes(home(client, district["home_affairs"], "q=Yên Hòa")) == ["D-0005"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("ma", ["D-0000", "D-0001", "D-0002", "D-0003", "D-0004", "D-0005"]),
        ("-ma", ["D-0005", "D-0004", "D-0003", "D-0002", "D-0001", "D-0000"]),
        # By the name as shown, tone marks aside: Phường Đống Đa, Thị trấn Ẩm Thượng,
        # Xã An Lạc, Xã Cẩm Hà, Xã Cẩm Sơn, Xã Yên.
        ("ten", ["D-0001", "D-0002", "D-0004", "D-0003", "D-0000", "D-0005"]),
        ("trang-thai", ["D-0000", "D-0005", "D-0001", "D-0002", "D-0003", "D-0004"]),
        ("-trang-thai", ["D-0004", "D-0003", "D-0001", "D-0002", "D-0000", "D-0005"]),
        # Self totals 8,5 · 9,5 · 9 · 8,5 · 10 · none: the sheet with none comes last.
        ("tu-cham", ["D-0000", "D-0003", "D-0002", "D-0001", "D-0004", "D-0005"]),
        ("-tu-cham", ["D-0004", "D-0001", "D-0002", "D-0000", "D-0003", "D-0005"]),
        # Appraised: D-0002 8,5 · D-0003 8,5 · D-0004 10; the rest none.
        ("-tham-dinh", ["D-0004", "D-0002", "D-0003", "D-0000", "D-0001", "D-0005"]),
    ],
)
def test_sorting_orders_every_column_both_ways(client, district, sort, expected):
    assert codes(home(client, district["home_affairs"], f"sort={sort}")) == expected


def test_sorting_by_deadline_puts_sheets_without_one_last(client, district):
    today = timezone.localdate()
    calendar_everywhere(2023, self_assessment_closes=today, appraisal_closes=today + timedelta(5))
    sheet = district["sheets"]["D-0005"]
    AssessmentEvent.objects.create(
        assessment=sheet,
        action=AssessmentEvent.Action.EXTEND,
        from_status=Status.DRAFT,
        to_status=Status.DRAFT,
        deadline=today + timedelta(days=2),
        reason="Xã mới sáp nhập",
        user=district["home_affairs"],
    )

    html = home(client, district["home_affairs"], "sort=han")

    assert codes(html) == ["D-0000", "D-0005", "D-0001", "D-0002", "D-0003", "D-0004"]
    rows = {row["code"]: row for row in queue_rows(html)}
    assert rows["D-0000"]["deadline"] == f"{today:%d/%m/%Y} (hết hạn hôm nay)"
    assert rows["D-0005"]["deadline"] == f"{today + timedelta(2):%d/%m/%Y} (còn 2 ngày)"
    assert rows["D-0004"]["deadline"] == "—"  # published: nothing is due


def test_the_sort_links_keep_the_filters_and_turn_the_current_column_around(client, district):
    html = home(client, district["home_affairs"], "q=xã&trang_thai=draft&sort=-tu-cham")

    assert 'href="?nam=2023&amp;q=x%C3%A3&amp;trang_thai=draft&amp;sort=tu-cham"' in html
    assert 'aria-sort="descending">Tự chấm' in html
    assert 'href="?nam=2023&amp;q=x%C3%A3&amp;trang_thai=draft&amp;sort=ten"' in html
    sheet = district["sheets"]["D-0000"]
    kept = "nam=2023&amp;q=x%C3%A3&amp;trang_thai=draft&amp;sort=-tu-cham"
    assert f'href="/danh-gia/{sheet.pk}/?{kept}"' in html
    assert 'value="xã"' in html  # the search box keeps what was typed


def test_a_two_round_sheet_back_with_the_unit_says_it_is_explaining(client, district):
    sheet = district["sheets"]["D-0000"]
    Assessment.objects.filter(pk=sheet.pk).update(appraisal_round=2)

    rows = queue_rows(home(client, district["home_affairs"], "q=D-0000"))

    assert rows[0]["status"] == "Đang giải trình"


def test_pages_hold_fifty_rows_and_keep_filters_and_sort_across_them(client):
    data = build_group(120, years=(2023,))
    html = home(client, data["home_affairs"], "sort=-ma")
    assert len(queue_rows(html)) == 50
    assert codes(html)[0] == "D-0119"
    assert "120 đơn vị · trang 1/3" in html
    assert 'href="?nam=2023&amp;sort=-ma&amp;trang=2"' in html

    second = home(client, data["home_affairs"], "sort=-ma&trang=2")
    assert codes(second)[0] == "D-0069"
    # Sorted by total across pages: self totals 10, 9,5, 9, 8,5 by code mod 4; the
    # lowest (8,5, codes ending 3, 7, ...) open the ascending list on page 1.
    by_total = home(client, data["home_affairs"], "sort=tu-cham&trang=1")
    assert {row["self"] for row in queue_rows(by_total)[:30]} == {"8,5"}
    last = home(client, data["home_affairs"], "sort=tu-cham&trang=3")
    assert {row["self"] for row in queue_rows(last)} == {"10"}
    assert home(client, data["home_affairs"], "trang=99").count("<tr data-unit=") == 20


def test_the_year_selector_offers_the_years_in_scope_and_shows_the_one_chosen(client, district):
    user = district["home_affairs"]

    html = home(client, user, "nam=2022")

    assert "Kỳ đánh giá năm 2022" in html
    assert '<option value="2022" selected>2022</option>' in html
    assert '<option value="2023">2023</option>' in html
    assert {row["status"] for row in queue_rows(html)} == {"Đã công bố"}
    assert re.search(r'data-status="published">6<', html)


def test_a_year_outside_the_scope_or_a_bad_filter_is_said_and_ignored(client, district):
    user = district["home_affairs"]

    html = home(client, user, "nam=1999&trang_thai=xyz&khoi=abc&q=l%E1%BA%A1c")

    assert "Không có kết quả đánh giá năm «1999» trong phạm vi của bạn." in html
    assert "năm, " not in html.split("Đã bỏ qua")[1].split("</li>")[0]
    assert "Đã bỏ qua bộ lọc không hợp lệ: trạng thái, khối." in html
    assert "Kỳ đánh giá năm 2023" in html
    assert codes(html) == ["D-0004"]  # the search for "lạc" (An Lạc) still applies


def test_a_year_that_is_not_a_number_is_said_once(client, district):
    html = home(client, district["home_affairs"], "nam=hai-nghin")

    assert "Không có kết quả đánh giá năm «hai-nghin» trong phạm vi của bạn." in html
    assert "Đã bỏ qua" not in html
    assert "Kỳ đánh giá năm 2023" in html


def test_a_search_with_a_control_character_is_refused_with_a_message(client, district):
    html = home(client, district["home_affairs"], "q=C%E1%BA%A9m%00")

    assert "Đã bỏ qua bộ lọc không hợp lệ: tìm kiếm." in html
    assert len(queue_rows(html)) == 6


def test_home_affairs_sees_only_its_jurisdiction(client, district):
    elsewhere = build_group(3, years=(2023,), prefix="B")
    Unit.objects.filter(code="B-0000").update(name="Xã Cẩm Sơn Khác")
    user = district["home_affairs"]

    assert codes(home(client, user, "q=cẩm sơn")) == ["D-0000"]
    assert codes(home(client, user, f"khoi={elsewhere['group'].pk}")) == []
    html = home(client, user)
    assert "B-0000" not in html and "Xã Cẩm Sơn Khác" not in html
    assert re.search(r'data-status="draft">2<', html)
    everyone = home(client, user_with_role(Role.ADMIN, username="qt"), "q=cẩm sơn")
    assert codes(everyone) == ["B-0000", "D-0000"]


def test_a_unit_user_gets_its_dashboard_not_the_queue(client, district):
    html = home(client, district["unit_user"], "trang_thai=submitted&q=Đống")

    assert 'id="queue"' not in html
    assert "Phường Đống Đa" not in html
    assert "Xã Cẩm Sơn" in html


def test_a_user_with_no_role_sees_no_queue(client, district):
    from django.contrib.auth import get_user_model

    html = home(client, get_user_model().objects.create_user("ai.do", password="x" * 12))

    assert "Chưa được phân quyền" in html
    assert "Chưa có kết quả đánh giá nào trong phạm vi của bạn." in html
    assert 'id="queue"' not in html


@pytest.mark.parametrize(
    "query", ["", "?q=x%C3%A3&trang_thai=published&khoi=1&sort=-tham-dinh&qua_han=1&trang=2"]
)
def test_the_queue_runs_the_same_queries_at_5_and_500_units(client, query):
    counts = query_counts(client, lambda data: f"/{query}", "home_affairs")

    assert counts[0] == counts[1]
    assert counts[0] <= 15  # session and login included


def test_the_queue_reads_the_same_rows_at_60_and_120_units(client):
    done = work_done(client, lambda data: "/?sort=-tham-dinh", "home_affairs", (60, 120))

    assert done[0] == done[1]


def test_the_queue_sorts_on_the_stored_tallies_and_folds_names_only_to_search(client):
    """Totals are a join to the tally table, not a sum over scores; the folded names
    a search compares are not worked out for every sheet as page columns."""
    data = build_group(5)
    client.force_login(data["home_affairs"])

    with CaptureQueriesContext(connection) as captured:
        html = client.get("/", {"sort": "-tham-dinh", "q": "xa"}).content.decode()

    sheets = [q["sql"] for q in captured if 'FROM "scoring_assessment"' in q["sql"]]
    page = next(sql for sql in sheets if "ORDER BY" in sql and '"max_milli"' in sql)
    assert not any(Score._meta.db_table in sql for sql in sheets)
    assert f'JOIN "{AssessmentTally._meta.db_table}"' in page
    columns = page.split(' FROM "scoring_assessment"')[0].lower()
    assert "translate(" not in columns and "fold(" not in columns
    assert codes(html) == [f"D-{i:04d}" for i in (0, 4, 1, 2, 3)]


def test_totals_on_the_page_match_the_engines_breakdown(client, district):
    from scoring.engine import assessment_breakdown

    rows = {row["code"]: row for row in queue_rows(home(client, district["home_affairs"]))}

    for code in ("D-0002", "D-0003", "D-0004"):
        total = assessment_breakdown(district["sheets"][code]).total
        assert rows[code]["appraised"].split()[0] == f"{total.achieved.normalize():f}".replace(
            ".", ","
        )
        assert Decimal(rows[code]["max"]) == total.max_points
