"""`manage.py verify_tallies`: silent success on right tallies; every wrong value named
by unit, year, field and column with a non-zero exit; --repair rewrites them; --year
checks one year only."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from scoring.engine.stored import COUNTED
from scoring.models import AssessmentTally, Criterion, FieldTally
from tests.factories import AssessmentFactory, build_framework, score_assessment
from tests.scoring.tallies.stored import WHOLE, stored, tally
from tests.web.sheet_setup import make_world

pytestmark = pytest.mark.django_db

CLEAN = "Đã kiểm tra {} kết quả: tổng điểm đã lưu đều đúng.\n"


@pytest.fixture
def world():
    """Mine 1.1=1, 1.2=2 of field 1 (max 3), 2.1 unscored of field 2 (max 2), in 2023;
    the neighbour and the one outside unscored; one more sheet in 2024."""
    world = make_world()
    score_assessment(world.mine, {"1.1": "1", "1.2": "2"})
    world.next_year = AssessmentFactory(
        unit=world.mine.unit, framework=world.mine.framework, year=2024
    )
    return world


def verify(*args: str) -> tuple[str, list[str]]:
    out, err = StringIO(), StringIO()
    call_command("verify_tallies", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue().splitlines()


def verify_failing(*args: str) -> tuple[str, list[str]]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("verify_tallies", *args, stdout=StringIO(), stderr=err)
    assert raised.value.returncode != 0
    return str(raised.value), err.getvalue().splitlines()


def field_row(assessment, code: str):
    return FieldTally.objects.filter(assessment=assessment, field__code=code)


def test_right_tallies_exit_zero_with_how_many_were_checked(world):
    assert verify() == (CLEAN.format(4), [])


@pytest.mark.tallies_left_wrong
def test_a_wrong_stored_value_is_named_by_unit_year_field_and_column(world):
    AssessmentTally.objects.filter(pk=world.mine.pk).update(
        achieved_milli=F("achieved_milli") + 250
    )
    field_row(world.mine, "2").update(scored_leaves=5)

    message, lines = verify_failing()

    code = world.mine.unit.code
    assert lines == [
        f"{code} năm 2023 (cả kết quả), achieved_milli: đã lưu 3,25 điểm, tính lại 3 điểm",
        f"{code} năm 2023 (lĩnh vực 2), scored_leaves: đã lưu 5, tính lại 0",
    ]
    assert message == "2 chỗ khác nhau ở 1 trong 4 kết quả đã kiểm tra."


@pytest.mark.tallies_left_wrong
def test_a_missing_tally_row_is_every_column_missing(world):
    AssessmentTally.objects.filter(pk=world.other.pk).delete()
    field_row(world.outside, "1").delete()

    message, lines = verify_failing()

    missing = "đã lưu (không có dòng này)"
    other, outside = world.other.unit.code, world.outside.unit.code
    assert f"{other} năm 2023 (cả kết quả), max_milli: {missing}, tính lại 5 điểm" in lines
    assert f"{outside} năm 2023 (lĩnh vực 1), applicable_leaves: {missing}, tính lại 2" in lines
    assert f"{outside} năm 2023 (lĩnh vực 2)" not in "\n".join(lines)
    assert message == "20 chỗ khác nhau ở 2 trong 4 kết quả đã kiểm tra."


@pytest.mark.tallies_left_wrong
def test_a_stray_field_row_is_reported_even_with_a_code_the_framework_also_has(world):
    stranger = build_framework([("1", None, "10"), ("1.1", "1", "10")])
    FieldTally.objects.create(
        assessment=world.mine,
        field=Criterion.objects.get(framework=stranger, code="1"),
        **({column: 0 for column in COUNTED} | {"max_milli": 10_000, "self_milli": None}),
    )

    message, lines = verify_failing()

    code = world.mine.unit.code
    assert (
        f"{code} năm 2023 (lĩnh vực 1), max_milli: đã lưu 10 điểm, tính lại (không có dòng này)"
        in lines
    )
    assert len(lines) == len(COUNTED)  # the row in every column, under the framework's code
    assert all(line.startswith(f"{code} năm 2023 (lĩnh vực 1), ") for line in lines)
    assert message == "10 chỗ khác nhau ở 1 trong 4 kết quả đã kiểm tra."


def test_repair_rewrites_every_wrong_tally_and_a_second_run_is_clean(world):
    AssessmentTally.objects.filter(pk=world.mine.pk).update(max_milli=1)
    AssessmentTally.objects.filter(pk=world.other.pk).delete()
    field_row(world.outside, "2").delete()
    stranger = build_framework([("9", None, "1")])
    FieldTally.objects.create(
        assessment=world.next_year,
        field=Criterion.objects.get(framework=stranger),
        **{column: 1 for column in COUNTED},
    )

    out, lines = verify("--repair")

    assert len(lines) == 1 + 10 + 10 + 10
    assert out == (
        "31 chỗ khác nhau ở 4 trong 4 kết quả đã kiểm tra; đã tính và ghi lại tổng điểm "
        "của 4 kết quả, nay đều đúng.\n"
    )
    assert stored(world.mine)[WHOLE] == tally("5", "3", "3", applicable=3, self_scored=2)
    assert stored(world.other)[WHOLE] == tally("5", "0", None, applicable=3)
    assert stored(world.outside)["2"] == tally("2", "0", None, applicable=1)
    assert set(stored(world.next_year)) == {WHOLE, "1", "2"}
    assert verify() == (CLEAN.format(4), [])


@pytest.mark.tallies_left_wrong
def test_year_checks_and_repairs_only_that_years_sheets(world):
    AssessmentTally.objects.filter(pk=world.mine.pk).update(self_milli=None)
    AssessmentTally.objects.filter(pk=world.next_year.pk).update(max_milli=0)

    assert verify("--year", "2022") == (CLEAN.format(0), [])
    message, lines = verify_failing("--year", "2024")
    assert (message, len(lines)) == ("1 chỗ khác nhau ở 1 trong 1 kết quả đã kiểm tra.", 1)
    assert verify("--year", "2024", "--repair")[0].startswith("1 chỗ khác nhau ở 1 trong 1")

    assert verify("--year", "2024") == (CLEAN.format(1), [])
    assert stored(world.mine)[WHOLE]["self"] is None  # 2023 left as it was
    message, lines = verify_failing()
    code = world.mine.unit.code
    assert lines == [
        f"{code} năm 2023 (cả kết quả), self_milli: đã lưu (không có), tính lại 3 điểm"
    ]
