"""Two jurisdictions with their own dates in one year: each sheet locks on its own."""

from datetime import date

import pytest

from scoring.cycles.calendars import calendars_governing, past_deadline, with_deadlines
from scoring.cycles.opening import cycle_open
from scoring.models import Assessment
from scoring.workflow import sheet_state
from tests.cycles.world import make_province

pytestmark = pytest.mark.django_db

PROVINCE_CLOSES, DISTRICT_CLOSES = date(2025, 6, 30), date(2025, 5, 31)


@pytest.fixture
def opened():
    """Tỉnh Thử opens 2025 until 30/06; Huyện Một, inside it, opens its own until 31/05."""
    world = make_province()
    cycles = (
        (world.province, PROVINCE_CLOSES, date(2025, 7, 31)),
        (world.district, DISTRICT_CLOSES, date(2025, 8, 15)),
    )
    for jurisdiction, self_closes, appraisal_closes in cycles:
        cycle_open(
            jurisdiction=jurisdiction,
            year=2025,
            self_assessment_closes=self_closes,
            appraisal_closes=appraisal_closes,
            user=None,
        )
    return world


def state(code: str, today: date):
    return sheet_state(Assessment.objects.get(unit__code=code), last_event=None, today=today)


def test_each_sheet_locks_on_the_dates_of_its_nearest_jurisdiction(opened):
    june_15 = date(2025, 6, 15)
    assert not state("T-H1-A000", june_15).self_open  # Huyện Một's 31/05 passed
    assert state("T-H2-B000", june_15).self_open  # Huyện Hai follows the province
    assert state("T-X", june_15).self_open  # straight under the province
    assert state("T-SNV", june_15).self_open
    assert state("T-H1-A000", date(2025, 5, 31)).self_open  # open on its last day
    assert not state("T-X", date(2025, 7, 1)).self_open


def test_the_deadlines_worked_out_in_sql_agree_with_each_sheet_state(opened):
    rows = with_deadlines(Assessment.objects.all()).values_list(
        "unit__code", "deadline", "appraisal_closes"
    )
    assert {code: (deadline, closes) for code, deadline, closes in rows} == {
        "T-H1-A000": (DISTRICT_CLOSES, date(2025, 8, 15)),
        "T-H1-A001": (DISTRICT_CLOSES, date(2025, 8, 15)),
        "T-H2-B000": (PROVINCE_CLOSES, date(2025, 7, 31)),
        "T-H2-B001": (PROVINCE_CLOSES, date(2025, 7, 31)),
        "T-X": (PROVINCE_CLOSES, date(2025, 7, 31)),
        "T-SNV": (PROVINCE_CLOSES, date(2025, 7, 31)),
    }
    for code, deadline, closes in rows:
        sheet = state(code, date(2025, 6, 15))
        assert (sheet.self_closes, sheet.appraisal_closes) == (deadline, closes)
    overdue = with_deadlines(Assessment.objects.all()).filter(past_deadline(date(2025, 6, 15)))
    assert sorted(overdue.values_list("unit__code", flat=True)) == ["T-H1-A000", "T-H1-A001"]


def test_each_nội_vụ_sees_the_calendars_its_sheets_follow(opened):
    district_sheets = Assessment.objects.filter(unit__parent=opened.district)
    all_sheets = Assessment.objects.all()

    assert [c.unit for c in calendars_governing(district_sheets)] == [opened.district]
    assert {c.unit for c in calendars_governing(all_sheets)} == {opened.province, opened.district}
    assert not calendars_governing(Assessment.objects.filter(year=2024)).exists()
