import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.cycles.opening import cycle_open
from scoring.models import Assessment, Role, ScoringCalendar
from tests.cycles.world import home_affairs_of, make_province
from tests.factories import UnitFactory, user_with_role
from tests.web.sheet_setup import logged_in

pytestmark = pytest.mark.django_db
URL = "/ky-danh-gia/"


@pytest.fixture
def world():
    return make_province()


@pytest.fixture
def province_noivu(world):
    return home_affairs_of(world.province, "noivu.tinh")


def form_data(unit, **fields) -> dict:
    return {
        "jurisdiction": unit.pk,
        "year": "2025",
        "self_assessment_closes": "30/06/2025",
        "appraisal_closes": "31/07/2025",
        "appraisal_rounds": "1",
        **fields,
    }


def open_by_hand(unit, self_closes=date(2025, 6, 30)) -> ScoringCalendar:
    return cycle_open(
        jurisdiction=unit,
        year=2025,
        self_assessment_closes=self_closes,
        appraisal_closes=date(2025, 7, 31),
        user=None,
    ).calendar


def calendar_rows(page: str) -> list[list[str]]:
    body = page.split('id="calendars"')[1].split("</table>")[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr data-calendar[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_home_affairs_opens_a_cycle_and_reads_what_it_did(world, province_noivu):
    client = logged_in(province_noivu)
    response = client.post(URL, form_data(world.province), follow=True)

    calendar = ScoringCalendar.objects.get()
    assert response.redirect_chain == [(f"/ky-danh-gia/{calendar.pk}/", 302)]
    page = response.content.decode()
    assert (
        "Kỳ đánh giá năm 2025 của Tỉnh Thử: đã tạo lịch (hạn tự đánh giá 30/06/2025, "
        "hạn thẩm định 31/07/2025, một vòng). Đã mở 6 phiếu mới, 0 đơn vị đã mở từ trước, "
        "3 đơn vị chưa mở được."
    ) in page
    assert '<dd id="sheet-count">6</dd>' in page
    assert "<li>Đang tự đánh giá: 6</li>" in page
    not_opened = re.findall(r'<td class="code">([^<]+)</td><td>[^<]*</td><td[^>]*>([^<]+)', page)
    assert not_opened == [
        ("T-H1", "Chưa có bộ chỉ số cấp «Huyện, thị xã, thành phố» áp dụng cho năm 2025."),
        ("T-H1-Z", "Đơn vị chưa thuộc khối xếp hạng nào; hãy chọn khối cho đơn vị rồi mở lại kỳ."),
        ("T-H2", "Chưa có bộ chỉ số cấp «Huyện, thị xã, thành phố» áp dụng cho năm 2025."),
    ]
    assert Assessment.history.filter(history_user=province_noivu).count() == 6


def test_the_list_shows_each_calendar_of_the_jurisdiction_with_its_sheets(world, province_noivu):
    open_by_hand(world.province)
    open_by_hand(world.district, date(2025, 5, 31))
    far = open_by_hand(world.far_commune.parent.parent)

    page = logged_in(province_noivu).get(URL).content.decode()

    assert calendar_rows(page) == [
        ["2025", "Tỉnh Thử", "30/06/2025", "31/07/2025", "1", "6", "Dời ngày"],
        ["2025", "Huyện Một", "31/05/2025", "31/07/2025", "1", "2", "Dời ngày"],
    ]
    assert f'href="/ky-danh-gia/{far.pk}/"' not in page
    assert '<a href="/ky-danh-gia/">Kỳ đánh giá</a>' in page


def test_moving_the_dates_fills_the_form_from_the_stored_calendar(world, province_noivu):
    calendar = open_by_hand(world.district)
    client = logged_in(province_noivu)
    page = client.get(URL, {"nam": 2025, "don_vi": world.district.pk}).content.decode()
    assert 'name="self_assessment_closes" value="30/06/2025"' in page
    assert f'<option value="{world.district.pk}" selected>' in page

    response = client.post(
        URL, form_data(world.district, self_assessment_closes="15/07/2025"), follow=True
    )
    assert "Kỳ đánh giá năm 2025 của Huyện Một: đã dời lịch (hạn tự đánh giá 15/07/2025," in (
        response.content.decode()
    )
    calendar.refresh_from_db()
    assert calendar.self_assessment_closes == date(2025, 7, 15)
    assert Assessment.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"self_assessment_closes": ""}, ["Cần nhập hạn tự đánh giá."]),
        ({"appraisal_closes": "31/13/2025"}, ["Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."]),
        ({"appraisal_closes": "29/06/2025"}, ["Hạn thẩm định không được trước hạn tự đánh giá."]),
        ({"year": "năm nay"}, ["Năm đánh giá là một số, ví dụ 2025."]),
    ],
)
def test_bad_input_is_told_in_vietnamese_keeps_what_was_typed_and_writes_nothing(
    world, province_noivu, fields, errors
):
    response = logged_in(province_noivu).post(URL, form_data(world.province, **fields))

    page = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<div class="cell-error">([^<]+)</div>', page) == errors
    for name, typed in fields.items():
        if typed:
            assert f'name="{name}" value="{typed}"' in page
    assert (ScoringCalendar.objects.count(), Assessment.objects.count()) == (0, 0)


def test_a_unit_user_is_refused_the_pages(world):
    client = logged_in(user_with_role(Role.UNIT, world.direct_commune, username="xa"))
    calendar = open_by_hand(world.province)

    for response in (
        client.get(URL),
        client.post(URL, form_data(world.province)),
        client.get(f"{URL}{calendar.pk}/"),
    ):
        assert response.status_code == 403
        assert "Chỉ cán bộ Nội vụ hoặc quản trị viên được mở kỳ đánh giá." in (
            response.content.decode()
        )
    assert "Kỳ đánh giá</a>" not in client.get("/xep-hang/").content.decode()


@pytest.mark.parametrize("target", ["province", "other_district", "far_province"])
def test_district_home_affairs_cannot_open_above_or_outside_its_jurisdiction(world, target):
    noivu = home_affairs_of(world.district, "noivu.huyen")
    unit = {
        "province": world.province,
        "other_district": world.other_district,
        "far_province": world.far_commune.parent.parent,
    }[target]

    response = logged_in(noivu).post(URL, form_data(unit))

    assert response.status_code == 403
    assert "Bạn chỉ mở được kỳ đánh giá cho đơn vị trong phạm vi của mình." in (
        response.content.decode()
    )
    assert (ScoringCalendar.objects.count(), Assessment.objects.count()) == (0, 0)


def test_home_affairs_cannot_read_a_cycle_outside_its_jurisdiction(world):
    calendar = open_by_hand(world.province)
    response = logged_in(home_affairs_of(world.district, "noivu.huyen")).get(f"{URL}{calendar.pk}/")
    assert response.status_code == 403
    assert "Lịch chấm điểm này là của đơn vị ngoài phạm vi của bạn." in response.content.decode()


def test_an_administrator_picks_any_jurisdiction(world):
    admin = user_with_role(Role.ADMIN, username="quantri")
    page = logged_in(admin).get(URL).content.decode()
    select = page.split('name="jurisdiction"')[1].split("</select>")[0]
    options = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)
    assert options == [
        "Tỉnh Khác (K)",
        "Huyện Xa (K-H)",
        "Tỉnh Thử (T)",
        "Huyện Một (T-H1)",
        "Huyện Hai (T-H2)",
        "Sở Nội vụ (T-SNV)",
    ]

    response = logged_in(admin).post(URL, form_data(world.far_commune.parent.parent))
    assert response.status_code == 302
    assert list(Assessment.objects.values_list("unit__code", flat=True)) == ["K-H-X"]


def test_the_cycle_page_offers_to_open_the_units_that_became_possible(world, province_noivu):
    calendar = open_by_hand(world.province)
    world.ungrouped.ranking_group = world.communes[0].ranking_group
    world.ungrouped.save()
    client = logged_in(province_noivu)

    page = client.get(f"{URL}{calendar.pk}/").content.decode()
    assert "1 đơn vị trực thuộc chưa có phiếu nay đã mở được" in page
    form = page.split('id="open-more"')[1].split("</form>")[0]
    data = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    del data["csrfmiddlewaretoken"]
    client.post(URL, data)

    assert Assessment.objects.filter(unit=world.ungrouped).exists()
    calendar.refresh_from_db()
    assert calendar.self_assessment_closes == date(2025, 6, 30)


def test_the_pages_run_a_bounded_number_of_queries(world, province_noivu):
    def queries(url: str) -> int:
        client = logged_in(province_noivu)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    calendar = open_by_hand(world.province)
    small = queries(URL), queries(f"{URL}{calendar.pk}/")
    for n in range(30):
        UnitFactory(code=f"T-H2-N{n}", parent=world.other_district, ranking_group=None)
    open_by_hand(world.district)
    open_by_hand(world.other_district)
    assert (queries(URL), queries(f"{URL}{calendar.pk}/")) == small
