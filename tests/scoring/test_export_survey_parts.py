"""export_results: the survey part and the fields' part apart, as the seeds publish them."""

import csv
import io

import pytest
from django.core.management import call_command

from tests.factories import load_demo_data
from tests.seed_000 import YEAR, build_seed_000
from tests.web.dashboard_data import build_group

pytestmark = pytest.mark.django_db

BINH_DINH = "Khối huyện, thị xã, thành phố tỉnh Bình Định"
CAM_XUYEN = "Khối xã, thị trấn huyện Cẩm Xuyên"


def exported(**options) -> list[dict]:
    out = io.StringIO()
    call_command("export_results", stdout=out, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))


def row_of(rows: list[dict], unit_code: str) -> dict:
    return next(row for row in rows if row["unit_code"] == unit_code)


def test_seed_000_ranking_export_gives_both_parts_after_the_total():
    build_seed_000()
    build_group(1, years=(YEAR,), prefix="N")  # another group, its framework without survey

    rows = exported(year=YEAR)

    assert list(rows[0])[4:7] == ["score", "assessment_part", "survey_part"]
    row = row_of(rows, "S0-H1")
    assert (row["score"], row["assessment_part"], row["survey_part"]) == ("88.21", "69.46", "18.75")
    other = row_of(rows, "N-0000")
    assert (other["score"], other["assessment_part"], other["survey_part"]) == ("10", "", "")


def test_seed_000_unit_export_ends_with_the_two_parts():
    build_seed_000()

    rows = exported(year=YEAR, unit="S0-H1")

    parts = [(r["code"], r["title"], r["max_points"], r["final_score"]) for r in rows[-2:]]
    assert parts == [
        ("", "Điểm thẩm định các lĩnh vực", "75", "69.46"),
        ("", "Điểm điều tra xã hội học", "25", "18.75"),
    ]
    assert rows[-3]["code"] == "8.2"


def test_an_lao_2021_exports_50_42_and_33_89():
    load_demo_data()

    row = row_of(exported(year=2021, group=BINH_DINH), "BD-AL")
    parts = exported(year=2021, unit="BD-AL")[-2:]

    assert (row["score"], row["assessment_part"], row["survey_part"]) == ("84.31", "50.42", "33.89")
    assert [(r["title"], r["final_score"], r["deducted"]) for r in parts] == [
        ("Điểm thẩm định các lĩnh vực", "50.42", "9.58"),
        ("Điểm điều tra xã hội học", "33.89", "6.11"),
    ]


def test_a_framework_without_survey_criteria_exports_no_part():
    load_demo_data()

    rows = exported(year=2023, group=CAM_XUYEN)
    unit_rows = exported(year=2023, unit="HT-CX-CS")

    assert "survey_part" not in rows[0]
    assert "assessment_part" not in rows[0]
    assert all(row["code"] for row in unit_rows)  # criteria only, no part rows
