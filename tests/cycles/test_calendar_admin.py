import re
from datetime import date

import pytest

from scoring.models import Role, ScoringCalendar, UnitLevel
from tests.factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db
ADD = "/admin/scoring/scoringcalendar/add/"
LIST = "/admin/scoring/scoringcalendar/"


@pytest.fixture
def admin_client(client):
    client.force_login(user_with_role(Role.ADMIN))
    return client


@pytest.fixture
def district():
    return UnitFactory(code="H-CX", name="Huyện Cẩm Xuyên", level=UnitLevel.DISTRICT)


def post(client, unit, self_closes: str, appraisal_closes: str = "31/12/2030"):
    return client.post(
        ADD,
        {
            "unit": unit.pk if unit else "",
            "year": "2030",
            "self_assessment_closes": self_closes,
            "appraisal_closes": appraisal_closes,
            "appraisal_rounds": "1",
        },
    )


def errors(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<ul class="errorlist"[^>]*><li>(.*?)</li>', response.content.decode())


@pytest.mark.parametrize("typed", ["30/11/2030", "2030-11-30", "30/11/30"])
def test_a_date_typed_day_first_or_iso_is_saved(admin_client, district, typed):
    response = post(admin_client, district, typed)

    assert response.status_code == 302
    calendar = ScoringCalendar.objects.get()
    assert (calendar.self_assessment_closes, calendar.appraisal_closes) == (
        date(2030, 11, 30),
        date(2030, 12, 31),
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Cần nhập hạn tự đánh giá."),
        ("31/02/2030", "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
        ("ngày mai", "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
        ("12/31/2030", "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
    ],
)
def test_a_blank_or_bad_date_is_a_form_error_and_keeps_what_was_typed(
    admin_client, district, typed, message
):
    response = post(admin_client, district, typed)

    assert errors(response) == [message]
    if typed:
        assert f'name="self_assessment_closes" value="{typed}"' in response.content.decode()
    assert not ScoringCalendar.objects.exists()


def test_a_calendar_without_a_unit_is_refused_with_a_clear_message(admin_client):
    response = post(admin_client, None, "", "garbage")

    assert errors(response) == [
        "Cần chọn đơn vị (tỉnh, huyện) mở kỳ đánh giá này.",
        "Cần nhập hạn tự đánh giá.",
        "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy.",
    ]


def test_appraisal_before_self_assessment_is_a_form_error(admin_client, district):
    response = post(admin_client, district, "31/12/2030", "30/12/2030")
    assert errors(response) == ["Hạn thẩm định không được trước hạn tự đánh giá."]


def test_the_list_shows_dates_day_first_filters_by_year_and_searches_by_unit(
    admin_client, district
):
    other = UnitFactory(code="T-BD", name="Tỉnh Bình Định", level=UnitLevel.PROVINCE)
    for unit, year in ((district, 2030), (other, 2030), (district, 2029)):
        ScoringCalendar.objects.create(
            unit=unit,
            year=year,
            self_assessment_closes=date(year, 11, 30),
            appraisal_closes=date(year, 12, 31),
        )

    def rows(query: str) -> list[str]:
        page = admin_client.get(LIST + query).content.decode()
        return re.findall(
            r'<th class="field-year"><a [^>]*>(\d+)</a></th><td class="field-unit[^"]*">([^<]*)',
            page,
        )

    assert rows("?year=2030") == [
        ("2030", "Huyện Cẩm Xuyên (H-CX)"),
        ("2030", "Tỉnh Bình Định (T-BD)"),
    ]
    assert rows("?q=Cẩm+Xuyên") == [
        ("2030", "Huyện Cẩm Xuyên (H-CX)"),
        ("2029", "Huyện Cẩm Xuyên (H-CX)"),
    ]
    assert rows("?q=T-BD") == [("2030", "Tỉnh Bình Định (T-BD)")]
    page = admin_client.get(LIST + "?year=2029").content.decode()
    assert "30/11/2029" in page and "31/12/2029" in page


def test_the_change_form_shows_the_stored_dates_day_first(admin_client, district):
    calendar = ScoringCalendar.objects.create(
        unit=district,
        year=2030,
        self_assessment_closes=date(2030, 11, 5),
        appraisal_closes=date(2030, 12, 31),
    )
    page = admin_client.get(f"{LIST}{calendar.pk}/change/").content.decode()
    assert 'name="self_assessment_closes" value="05/11/2030"' in page
    assert 'name="appraisal_closes" value="31/12/2030"' in page
