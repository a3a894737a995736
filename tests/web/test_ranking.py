"""The ranking page and its Excel download: engine numbers, shared ranks, who sees what."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from cchc.formatting import format_percent, format_points
from scoring.engine import group_ranking
from scoring.exports import ranking_dataset
from scoring.models import Assessment, AssessmentStatus, RankingGroup, Role, Unit
from scoring.templatetags.dashboard_format import rank_change, signed_points
from tests.factories import user_with_role
from tests.web.dashboard_data import BINH_DINH, CAM_XUYEN, build_group, load_demo, query_counts

pytestmark = pytest.mark.django_db
URL = "/xep-hang/"


def rows_of(response) -> list[dict[str, str]]:
    """Each ranking row as {unit code, rank, total, max, index, deducted, change}."""
    html = response.content.decode()
    rows = []
    for unit, body in re.findall(r'<tr data-unit="([^"]+)">(.*?)</tr>', html, flags=re.S):
        cells = dict(re.findall(r'data-col="(\w+)">(.*?)</td>', body, flags=re.S))
        clean = {
            k: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", v)).strip() for k, v in cells.items()
        }
        rows.append({"unit": unit, **clean})
    return rows


def plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def xlsx_rows(response) -> list[list]:
    """The workbook's header and rows, below its title row."""
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    title, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert title[0].startswith("Xếp hạng Chỉ số cải cách hành chính năm ")
    return rows


@pytest.fixture
def demo():
    load_demo()


def test_cam_xuyen_ranking_equals_the_engine(client, demo):
    group = RankingGroup.objects.get(name=CAM_XUYEN)
    client.force_login(user_with_role(Role.UNIT, Unit.objects.get(code="HT-CX-CS")))

    response = client.get(URL, {"khoi": group.pk, "nam": 2023})

    shown = rows_of(response)
    engine = group_ranking(group, 2023, statuses=[AssessmentStatus.PUBLISHED])
    assert [r["unit"] for r in shown] == [row.unit_code for row in engine.rows]
    for page_row, row in zip(shown, engine.rows, strict=True):
        assert page_row["rank"].split()[0] == str(row.rank)
        assert page_row["total"] == format_points(row.tally.achieved)
        assert page_row["index"] == f"{format_percent(row.tally.index_pct)}%"
        assert page_row["deducted"] == format_points(row.tally.deducted)
    cam_son = next(r for r in shown if r["unit"] == "HT-CX-CS")
    assert (cam_son["rank"], cam_son["total"], cam_son["deducted"]) == ("3", "85,08", "14,92")
    assert cam_son["change"].startswith("tăng 20 bậc")


def test_field_columns_say_their_max_and_the_legend_names_each_field(client, demo):
    group = RankingGroup.objects.get(name=CAM_XUYEN)
    client.force_login(user_with_role(Role.UNIT, Unit.objects.get(code="HT-CX-CS")))

    html = client.get(URL, {"khoi": group.pk, "nam": 2023}).content.decode()

    headers = re.findall(r">LV (\w+)</a><br><span class=\"muted\">/([\d,]+)<", html)
    assert headers == [
        ("1", "11"), ("2", "7"), ("3", "14,5"), ("4", "6"),
        ("5", "16,5"), ("6", "13,5"), ("7", "20"), ("8", "11,5"),
    ]  # fmt: skip
    legend = plain_text(re.search(r'<p[^>]*id="field-legend">(.*?)</p>', html, re.S).group(1))
    assert "LV 3: Cải cách thủ tục hành chính (tối đa 14,5);" in legend


def test_an_lao_ranking_row(client, demo):
    group = RankingGroup.objects.get(name=BINH_DINH)
    client.force_login(user_with_role(Role.UNIT, Unit.objects.get(code="BD-AL")))

    shown = rows_of(client.get(URL, {"khoi": group.pk, "nam": 2021}))

    an_lao = next(r for r in shown if r["unit"] == "BD-AL")
    assert (an_lao["rank"], an_lao["total"]) == ("3", "84,31")
    assert an_lao["change"].startswith("giảm 2 bậc")
    assert len(shown) == 11


def test_excel_download_has_exactly_the_numbers_of_the_page(client, demo):
    group = RankingGroup.objects.get(name=CAM_XUYEN)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, Unit.objects.get(code="HT-CX")))

    page = rows_of(client.get(URL, {"khoi": group.pk, "nam": 2023, "sort": "don-vi"}))
    response = client.get(URL, {"khoi": group.pk, "nam": 2023, "sort": "don-vi", "tai": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    header, *rows = xlsx_rows(response)
    field_codes = [h.split(".")[0] for h in header[7:-4]]
    assert field_codes == [str(n) for n in range(1, 9)]
    assert header[7] == "1. Chỉ đạo điều hành (11 điểm)"
    assert header[:7] == [
        "Hạng", "Mã đơn vị", "Đơn vị", "Tổng điểm", "Điểm tối đa", "Chỉ số (%)", "Điểm bị trừ"
    ]  # fmt: skip
    assert [row[1] for row in rows] == [r["unit"] for r in page]
    for row, shown in zip(rows, page, strict=True):
        assert str(row[0]) == shown["rank"].split()[0]
        assert format_points(Decimal(str(row[3]))) == shown["total"]
        assert format_points(Decimal(str(row[4]))) == shown["max"]
        assert f"{format_percent(Decimal(str(row[5])))}%" == shown["index"]
        assert format_points(Decimal(str(row[6]))) == shown["deducted"]
        fields = row[7 : 7 + len(field_codes)]
        for number, points in enumerate(fields, start=1):
            assert format_points(Decimal(str(points))) == shown[f"field{number}"]
        prev_rank, places, score_change, classification = row[7 + len(field_codes) :]
        assert shown["change"] == (
            f"{rank_change(places)} năm trước hạng {prev_rank}, "
            f"{signed_points(Decimal(str(score_change)))} điểm"
        )
        assert shown["classification"] == classification
    # Nội vụ's full view matches the export command's table, number for number.
    exported = {r["unit_code"]: r for r in ranking_dataset([group], 2023).dict}
    for row in rows:
        assert Decimal(str(row[3])) == exported[row[1]]["score"]
        assert Decimal(str(row[6])) == exported[row[1]]["deducted"]


def test_tied_units_share_a_rank_and_say_so(client):
    data = build_group(5)
    client.force_login(data["home_affairs"])

    response = client.get(URL, {"khoi": data["group"].pk, "nam": 2023})

    shown = rows_of(response)
    assert [r["rank"] for r in shown] == ["1 đồng hạng", "1 đồng hạng", "3", "4", "5"]
    assert [r["total"] for r in shown] == ["10", "10", "9,5", "9", "8,5"]


def test_sorting_by_name_and_by_deducted(client):
    data = build_group(5)
    client.force_login(data["home_affairs"])

    by_deducted = rows_of(client.get(URL, {"khoi": data["group"].pk, "sort": "bi-tru"}))
    by_unknown = rows_of(client.get(URL, {"khoi": data["group"].pk, "sort": "xyz"}))

    assert [r["deducted"] for r in by_deducted] == ["1,5", "1", "0,5", "0", "0"]
    assert [r["rank"].split()[0] for r in by_unknown] == ["1", "1", "3", "4", "5"]


def test_unit_user_sees_only_published_results_of_its_group(client):
    data = build_group(4)
    draft = data["units"][1].assessments.get(year=2023)
    draft.status = AssessmentStatus.DRAFT
    draft.save()
    client.force_login(data["unit_user"])

    shown = rows_of(client.get(URL, {"khoi": data["group"].pk, "nam": 2023}))

    assert [r["unit"] for r in shown] == ["D-0000", "D-0002", "D-0003"]


def test_home_affairs_sees_unpublished_results(client):
    data = build_group(4, status=AssessmentStatus.APPRAISED)
    client.force_login(data["home_affairs"])

    response = client.get(URL, {"khoi": data["group"].pk, "nam": 2023})

    assert len(rows_of(response)) == 4
    assert "chưa công bố" in response.content.decode()


def test_home_affairs_provisional_ranking_leaves_out_sheets_still_in_self_assessment(client):
    """A cycle just opened is all drafts: they are not ranked tied at 0 points."""
    data = build_group(4, status=AssessmentStatus.APPRAISED)
    Assessment.objects.filter(year=2023, unit__code__in=["D-0001", "D-0003"]).update(
        status=AssessmentStatus.DRAFT
    )
    Assessment.objects.filter(year=2023, unit__code="D-0002").update(
        status=AssessmentStatus.SUBMITTED
    )
    client.force_login(data["home_affairs"])

    shown = rows_of(client.get(URL, {"khoi": data["group"].pk, "nam": 2023}))

    assert [r["unit"] for r in shown] == ["D-0000", "D-0002"]


def test_unit_user_cannot_open_an_unpublished_year_or_another_group(client):
    data = build_group(3, status=AssessmentStatus.APPRAISED)
    other = build_group(2, prefix="K")
    client.force_login(data["unit_user"])

    assert client.get(URL, {"khoi": data["group"].pk, "nam": 2023}).status_code == 403
    assert client.get(URL, {"khoi": other["group"].pk}).status_code == 403
    assert "Chưa có kết quả xếp hạng" in client.get(URL).content.decode()


def test_unit_user_gets_no_links_to_other_units_details(client):
    data = build_group(3)
    client.force_login(data["unit_user"])

    html = client.get(URL, {"khoi": data["group"].pk}).content.decode()

    own = reverse("scoring:dashboard", args=[data["units"][0].pk])
    other = reverse("scoring:dashboard", args=[data["units"][1].pk])
    assert own in html
    assert other not in html


def test_ranking_refuses_post(client):
    data = build_group(2)
    client.force_login(data["unit_user"])

    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("role", ["unit_user", "home_affairs"])
def test_ranking_query_count_is_flat_from_5_to_500_units(client, role):
    counts = query_counts(client, lambda data: f"{URL}?khoi={data['group'].pk}", role)

    assert counts[0] == counts[1]
    # Of them: session, user, membership, the bell's count and (Nội vụ) whether the whole
    # khối is theirs to publish.
    assert counts[0] <= 16


def test_excel_query_count_is_flat_from_5_to_500_units(client):
    counts = query_counts(
        client, lambda data: f"{URL}?khoi={data['group'].pk}&tai=xlsx", "home_affairs"
    )

    assert counts[0] == counts[1]


def test_excel_gives_tied_units_the_same_rank(client):
    data = build_group(5)
    client.force_login(data["home_affairs"])

    response = client.get(URL, {"khoi": data["group"].pk, "nam": 2023, "tai": "xlsx"})

    _, *rows = xlsx_rows(response)
    assert [row[0] for row in rows] == [1, 1, 3, 4, 5]
    assert [Decimal(str(row[3])) for row in rows] == [10, 10, Decimal("9.5"), 9, Decimal("8.5")]


def test_a_year_the_group_has_no_results_for_shows_its_latest_and_says_so(client):
    data = build_group(3, years=(2021, 2022))
    client.force_login(data["home_affairs"])

    response = client.get(URL, {"khoi": data["group"].pk, "nam": 2023})

    assert response.status_code == 200
    html = response.content.decode()
    assert f"{data['group'].name} không có kết quả năm 2023; đang xem năm 2022." in html
    assert "<h1>Xếp hạng năm 2022</h1>" in html
    assert len(rows_of(response)) == 3
