"""The dashboard and the ranking page show the fields' part and the survey part apart."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from scoring.models import RankingGroup, Role, Unit
from tests.factories import user_with_role
from tests.seed_000 import YEAR, build_seed_000
from tests.web.dashboard_data import BINH_DINH, CAM_XUYEN, load_demo

pytestmark = pytest.mark.django_db
URL = "/xep-hang/"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def parts_line(response) -> str:
    match = re.search(r'<p class="parts" id="parts">(.*?)</p>', response.content.decode(), re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def cells(response, unit_code: str) -> dict[str, str]:
    html = response.content.decode()
    body = re.search(rf'<tr data-unit="{unit_code}">(.*?)</tr>', html, re.S).group(1)
    return {k: text_of(v) for k, v in re.findall(r'data-col="(\w+)">(.*?)</td>', body, re.S)}


def test_seed_000_dashboard_says_88_21_of_which_69_46_and_18_75(client):
    seed = build_seed_000()
    client.force_login(user_with_role(Role.UNIT, seed.unit))

    response = client.get(reverse("scoring:dashboard", args=[seed.unit.pk]), {"nam": YEAR})

    assert parts_line(response) == (
        "Tổng điểm 88,21, trong đó điểm thẩm định các lĩnh vực 69,46/75, "
        "điểm điều tra xã hội học 18,75/25."
    )


def test_seed_000_ranking_shows_the_two_parts_as_columns(client):
    seed = build_seed_000()
    client.force_login(user_with_role(Role.HOME_AFFAIRS, seed.province))

    response = client.get(URL, {"khoi": seed.group.pk, "nam": YEAR})

    html = response.content.decode()
    assert '<th class="num">Điểm thẩm định các lĩnh vực</th>' in html
    assert '<th class="num">Điểm điều tra xã hội học</th>' in html
    row = cells(response, "S0-H1")
    assert (row["total"], row["assessment_part"], row["survey_part"]) == ("88,21", "69,46", "18,75")
    assert cells(response, "S0-H2")["survey_part"] == "22,5"


def test_seed_000_ranking_download_has_the_two_parts_after_the_total(client):
    seed = build_seed_000()
    client.force_login(user_with_role(Role.HOME_AFFAIRS, seed.province))

    response = client.get(URL, {"khoi": seed.group.pk, "nam": YEAR, "tai": "xlsx"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    _, header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert header[3:6] == ["Tổng điểm", "Điểm thẩm định các lĩnh vực", "Điểm điều tra xã hội học"]
    seed_row = next(row for row in rows if row[1] == "S0-H1")
    assert [str(value) for value in seed_row[3:6]] == ["88.21", "69.46", "18.75"]


def test_an_lao_2021_dashboard_and_ranking_give_50_42_and_33_89(client):
    load_demo()
    an_lao = Unit.objects.get(code="BD-AL")
    client.force_login(user_with_role(Role.UNIT, an_lao))

    dashboard = client.get(reverse("scoring:dashboard", args=[an_lao.pk]), {"nam": 2021})
    group = RankingGroup.objects.get(name=BINH_DINH)
    ranking = client.get(URL, {"khoi": group.pk, "nam": 2021})

    assert parts_line(dashboard) == (
        "Tổng điểm 84,31, trong đó điểm thẩm định các lĩnh vực 50,42/60, "
        "điểm điều tra xã hội học 33,89/40."
    )
    row = cells(ranking, "BD-AL")
    assert (row["total"], row["assessment_part"], row["survey_part"]) == ("84,31", "50,42", "33,89")


def test_a_framework_without_survey_criteria_shows_no_survey_part(client):
    load_demo()
    cam_son = Unit.objects.get(code="HT-CX-CS")
    client.force_login(user_with_role(Role.UNIT, cam_son))

    dashboard = client.get(reverse("scoring:dashboard", args=[cam_son.pk]), {"nam": 2023})
    group = RankingGroup.objects.get(name=CAM_XUYEN)
    ranking = client.get(URL, {"khoi": group.pk, "nam": 2023})

    assert parts_line(dashboard) == ""
    assert "điều tra xã hội học" not in dashboard.content.decode()
    assert "điều tra xã hội học" not in ranking.content.decode()
    assert "survey_part" not in cells(ranking, "HT-CX-CS")
