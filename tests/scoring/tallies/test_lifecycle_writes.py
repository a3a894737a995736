"""Opening a cycle, the workflow, the data commands and deleting an assessment leave the
stored tallies right (framework: 1.1 max 1 and 1.2 max 2 in field 1, 2.1 max 2 in
field 2, unless said)."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse

from scoring.demo import AN_LAO, CAM_SON
from scoring.models import (
    Assessment,
    AssessmentStatus,
    AssessmentTally,
    FieldTally,
    Score,
    UnitLevel,
)
from tests.factories import UnitFactory, build_framework, load_demo_data
from tests.scoring.tallies.stored import WHOLE, stored, tally
from tests.scoring.tallies.writes import post_sheet, step
from tests.web.rounds_setup import two_round_year
from tests.web.sheet_setup import SMALL_FRAMEWORK, logged_in, make_world

pytestmark = pytest.mark.django_db
Status = AssessmentStatus


def verify(*args: str) -> str:
    out = StringIO()
    call_command("verify_tallies", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_opening_a_cycle_gives_each_new_sheet_the_frameworks_max_and_zero_points():
    build_framework(SMALL_FRAMEWORK, level=UnitLevel.COMMUNE, year_from=2025)
    district = UnitFactory(code="H", level=UnitLevel.DISTRICT)
    communes = [UnitFactory(code=f"H-{n}", parent=district) for n in range(2)]
    args = ["--unit", "H", "--year", "2025", "--self-assessment-closes", "30/06/2025"]

    call_command("open_cycle", *args, "--appraisal-closes", "31/07/2025", stdout=StringIO())

    for commune in communes:
        assert stored(Assessment.objects.get(unit=commune, year=2025)) == {
            WHOLE: tally("5", "0", None, applicable=3),
            "1": tally("3", "0", None, applicable=2),
            "2": tally("2", "0", None, applicable=1),
        }


def test_every_workflow_step_of_a_two_round_year_leaves_the_tallies_as_they_were():
    world = make_world()
    two_round_year(world.mine.year)
    unit, home_affairs = logged_in(world.unit_user), logged_in(world.home_affairs)
    post_sheet(unit, world.mine, "self", {"1.1": "1", "1.2": "1,5", "2.1": "2"})
    assert step(unit, world.mine, "submit").status_code == 302
    post_sheet(home_affairs, world.mine, "appraised", {"1.1": "0,5", "1.2": "1,5", "2.1": "2"})
    expected = {
        WHOLE: tally("5", "4", "4.5", applicable=3, appraised=3),
        "1": tally("3", "2", "2.5", applicable=2, appraised=2),
        "2": tally("2", "2", "2", applicable=1, appraised=1),
    }
    assert stored(world.mine) == expected
    steps = [
        (home_affairs, "appraise", "", Status.APPRAISED),
        (home_affairs, "return", "Giải trình tiêu chí 1.1", Status.DRAFT),
        (unit, "submit", "", Status.SUBMITTED),
        (home_affairs, "appraise", "", Status.APPRAISED),
        (home_affairs, "publish", "", Status.PUBLISHED),
        (home_affairs, "reopen", "Sai sót khi công bố", Status.APPRAISED),
    ]

    for client, action, reason, status in steps:
        assert step(client, world.mine, action, reason).status_code == 302
        world.mine.refresh_from_db()
        assert world.mine.status == status, action
        assert stored(world.mine) == expected, action

    assert world.mine.appraisal_round == 2
    assert verify() == "Đã kiểm tra 3 kết quả: tổng điểm đã lưu đều đúng.\n"


def test_generate_data_stores_each_assessments_sum_of_its_scores():
    call_command("generate_data", units=6, criteria=10, years=2, groups=2, stdout=StringIO())

    sums = dict(Score.objects.values_list("assessment_id").annotate(total=Sum("appraised_score")))
    tallies = AssessmentTally.objects.all()
    assert len(tallies) == Assessment.objects.count() == 12
    for row in tallies:
        assert (row.max_milli, row.achieved_milli) == (100_000, int(sums[row.pk] * 1000))
        assert (row.applicable_leaves, row.appraised_leaves) == (10, 10)
    assert FieldTally.objects.count() == 12 * 8
    assert verify() == "Đã kiểm tra 12 kết quả: tổng điểm đã lưu đều đúng.\n"


def test_load_demo_stores_the_published_totals_of_the_real_results():
    load_demo_data()

    cam_son = stored(Assessment.objects.get(unit__code=CAM_SON, year=2023))
    assert (cam_son[WHOLE]["max"], cam_son[WHOLE]["achieved"]) == (Decimal(100), Decimal("85.08"))
    assert [cam_son[code]["achieved"] for code in "12345678"] == [
        Decimal(points)
        for points in ("9.13", "6.75", "12.99", "5.5", "14.62", "12.86", "14.27", "8.96")
    ]
    an_lao = stored(Assessment.objects.get(unit__code=AN_LAO, year=2021))
    assert (an_lao[WHOLE]["achieved"], an_lao[WHOLE]["survey_achieved"]) == (
        Decimal("84.31"),
        Decimal("33.89"),
    )
    checked = Assessment.objects.count()
    assert verify() == f"Đã kiểm tra {checked} kết quả: tổng điểm đã lưu đều đúng.\n"


def test_a_deleted_assessment_takes_its_tallies_with_it_and_leaves_the_others(admin_client):
    world = make_world()
    post_sheet(logged_in(world.unit_user), world.mine, "self", {"1.1": "1", "1.2": "2"})
    assert stored(world.mine)[WHOLE]["achieved"] == 3
    others = stored(world.other)

    url = reverse("admin:scoring_assessment_delete", args=[world.mine.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302

    assert not AssessmentTally.objects.filter(assessment_id=world.mine.pk).exists()
    assert not FieldTally.objects.filter(assessment_id=world.mine.pk).exists()
    assert stored(world.other) == others
    outside = world.outside.pk
    world.outside.delete()  # through the ORM, as a script would
    assert set(AssessmentTally.objects.values_list("pk", flat=True)) == {world.other.pk}
    assert not FieldTally.objects.filter(assessment_id=outside).exists()
