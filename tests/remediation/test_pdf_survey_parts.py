"""Section II of the plan PDF gives the fields' part and the survey part of the total."""

from datetime import date

import pytest

from remediation.documents import plan_pdf
from remediation.services import plan_draft
from scoring.models import Unit
from tests.remediation.pdfs import all_text, read
from tests.seed_000 import YEAR, build_seed_000

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]
ON = date(2024, 3, 1)


def pdf_text(plan) -> str:
    return all_text(read(plan_pdf(plan, ON)))


def test_an_lao_2021_plan_says_84_31_of_which_50_42_and_33_89(demo):
    plan = plan_draft(unit=Unit.objects.get(code="BD-AL"), year=2021)

    text = pdf_text(plan)

    assert (
        "đạt 84,31/100 điểm, trong đó điểm thẩm định các lĩnh vực đạt 50,42 điểm, "
        "điểm điều tra xã hội học đạt 33,89 điểm; xếp thứ 3/11" in text
    )


def test_seed_000_plan_says_88_21_of_which_69_46_and_18_75(db):
    seed = build_seed_000()
    plan = plan_draft(unit=seed.unit, year=YEAR)

    text = pdf_text(plan)

    assert (
        "đạt 88,21/100 điểm, trong đó điểm thẩm định các lĩnh vực đạt 69,46 điểm, "
        "điểm điều tra xã hội học đạt 18,75 điểm; xếp thứ 2/2" in text
    )


def test_a_plan_without_survey_criteria_prints_no_survey_part(cam_son_plan):
    text = pdf_text(cam_son_plan)

    assert "đạt 85,08/100 điểm; xếp thứ 3/23" in text
    assert "điều tra xã hội học" not in text
