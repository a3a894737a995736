"""The two real documents, reproduced through import (load_demo) and export_results."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.factories import load_demo_data

pytestmark = pytest.mark.django_db

CAM_XUYEN = "Khối xã, thị trấn huyện Cẩm Xuyên"
BINH_DINH = "Khối huyện, thị xã, thành phố tỉnh Bình Định"


@pytest.fixture
def demo():
    load_demo_data()


def exported(**options) -> list[dict]:
    out = io.StringIO()
    call_command("export_results", stdout=out, **options)
    return list(csv.DictReader(io.StringIO(out.getvalue().lstrip("\ufeff"))))


def row_of(rows: list[dict], unit_code: str) -> dict:
    return next(row for row in rows if row["unit_code"] == unit_code)


def test_cam_son_2023_matches_seed_004_table(demo):
    row = row_of(exported(year=2023, group=CAM_XUYEN), "HT-CX-CS")

    fields = [row[f"field_{code}"] for code in "12345678"]
    assert fields == ["9.13", "6.75", "12.99", "5.5", "14.62", "12.86", "14.27", "8.96"]
    assert (row["score"], row["max_points"], row["deducted"]) == ("85.08", "100", "14.92")
    assert (row["rank"], row["prev_rank"], row["rank_change"]) == ("3", "23", "20")


def test_an_lao_2021_matches_seed_002(demo):
    rows = exported(year=2021, group=BINH_DINH)
    row = row_of(rows, "BD-AL")

    fields = [row[f"field_{code}"] for code in "12345678"]
    assert fields == ["9.25", "5", "6.99", "6.5", "10.5", "3", "9.18", "33.89"]
    assert row["score"] == "84.31"
    assert (row["rank"], row["prev_rank"], row["rank_change"]) == ("3", "1", "-2")
    assert row["score_change"] == "0.96"
    assert len(rows) == 11


def test_an_lao_2021_criteria_export_adds_up(demo):
    rows = {row["code"]: row for row in exported(year=2021, unit="BD-AL")}

    assert rows["3"]["final_score"] == "6.99"
    assert rows["3"]["deducted"] == "3.01"
    assert rows["3.1"]["deducted"] == "2"
    assert rows["8.1"]["final_score"] == "26.21"
    assert rows["8.2"]["final_score"] == "7.68"
    implementation = sum(Decimal(rows[code]["final_score"]) for code in "1234567")
    assert implementation == Decimal("50.42")
