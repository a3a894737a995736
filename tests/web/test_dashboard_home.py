"""Home page by role: Nội vụ sees the current cycle; charts are plain, labelled SVG."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from scoring.charts import BAR, BAR_ALT, Bar, bar_chart, column_chart
from scoring.models import Assessment, AssessmentEvent, AssessmentStatus, Role
from tests.factories import calendar_everywhere, user_with_role
from tests.web.dashboard_data import build_group

pytestmark = pytest.mark.django_db


def status_count(html: str, status: str) -> int:
    return int(re.search(rf'data-status="{status}">(\d+)<', html).group(1))


def test_home_affairs_sees_counts_by_status_of_the_latest_year(client):
    data = build_group(6, status=AssessmentStatus.PUBLISHED)
    units = data["units"]
    statuses = [AssessmentStatus.DRAFT] * 2 + [
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.APPRAISED,
    ]
    for unit, status in zip(units, statuses, strict=False):
        Assessment.objects.filter(unit=unit, year=2023).update(status=status)
    client.force_login(data["home_affairs"])

    html = client.get("/").content.decode()

    assert "Kỳ đánh giá năm 2023" in html
    counts = {s: status_count(html, s) for s in AssessmentStatus.values}
    assert counts == {"draft": 2, "submitted": 1, "appraised": 1, "published": 2}
    assert "chưa đặt lịch chấm điểm năm 2023" in html
    assert status_count(html, "overdue") == 0


def test_overdue_ones_are_worked_out_from_the_calendar_when_read(client):
    data = build_group(4)
    units = data["units"]
    Assessment.objects.filter(unit=units[0], year=2023).update(status=AssessmentStatus.DRAFT)
    Assessment.objects.filter(unit=units[1], year=2023).update(status=AssessmentStatus.SUBMITTED)
    today = timezone.localdate()
    calendar = calendar_everywhere(
        2023,
        self_assessment_closes=today - timedelta(days=1),
        appraisal_closes=today + timedelta(days=10),
    )
    client.force_login(data["home_affairs"])

    html = client.get("/").content.decode()

    assert status_count(html, "overdue") == 1
    overdue = html.split('id="overdue"')[1].split("</ul>")[0]
    assert units[0].name in overdue and units[1].name not in overdue

    calendar.appraisal_closes = today - timedelta(days=1)
    calendar.save()
    html = client.get("/").content.decode()
    assert status_count(html, "overdue") == 2
    assert f"hạn tự đánh giá {calendar.self_assessment_closes:%d/%m/%Y}" in html


def test_home_links_to_the_ranking_and_analysis_of_each_group(client):
    data = build_group(2)
    client.force_login(data["home_affairs"])

    html = client.get("/").content.decode()

    assert f"/xep-hang/?khoi={data['group'].pk}&amp;nam=2023" in html
    assert f"/phan-tich/?khoi={data['group'].pk}&amp;nam=2023" in html


def test_administrator_home_links_each_group_at_its_own_latest_year(client):
    current = build_group(2, years=(2022, 2023))
    behind = build_group(2, years=(2020, 2021), prefix="B")
    client.force_login(user_with_role(Role.ADMIN, username="qt"))

    html = client.get("/").content.decode()

    assert "Kỳ đánh giá năm 2023" in html
    assert f"/xep-hang/?khoi={current['group'].pk}&amp;nam=2023" in html
    assert f"/xep-hang/?khoi={behind['group'].pk}&amp;nam=2021" in html
    assert f"/phan-tich/?khoi={behind['group'].pk}&amp;nam=2021" in html
    assert f"{behind['group'].name} (năm 2021)" in html


def test_bar_chart_is_plain_svg_with_title_and_vietnamese_labels():
    svg = bar_chart(
        "Điểm đạt theo lĩnh vực",
        [
            Bar("1. Chỉ đạo", Decimal("9.13"), Decimal("11")),
            Bar("2. <Thể chế>", Decimal("6.75"), Decimal("7")),
        ],
    )

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "<title>Điểm đạt theo lĩnh vực</title>" in svg
    assert "9,13/11" in svg and "6,75/7" in svg
    assert "&lt;Thể chế&gt;" in svg
    assert "<script" not in svg and "9.13" not in svg


def test_bar_chart_labels_are_written_in_full_on_up_to_two_lines():
    title = "8. Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế"
    svg = bar_chart("Lĩnh vực", [Bar(title, Decimal("8.96"), Decimal("11.5"))])

    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert len(lines) == 2
    assert " ".join(lines) == title
    assert ">8,96/11,5<" in svg


def test_bar_chart_cuts_a_label_longer_than_two_lines_with_an_ellipsis():
    svg = bar_chart("Tiêu chí", [Bar("Tỷ lệ hồ sơ " * 20, Decimal(1), Decimal(2))])

    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert len(lines) == 2
    assert lines[1].endswith("…")


def test_column_chart_labels_each_year():
    svg = column_chart(
        "Tổng điểm qua các năm", [Bar("2022", Decimal("68.5")), Bar("2023", Decimal("85.08"))]
    )

    assert ">68,5<" in svg and ">85,08<" in svg and ">2022<" in svg


def test_column_chart_darkens_the_year_asked_for():
    columns = [Bar("2022", Decimal("68.5")), Bar("2023", Decimal("85.08"))]

    fills = re.findall(r'<rect [^>]*fill="(#\w+)"', column_chart("T", columns, highlight="2022"))
    default = re.findall(r'<rect [^>]*fill="(#\w+)"', column_chart("T", columns))

    assert fills == [BAR, BAR_ALT]
    assert default == [BAR_ALT, BAR]


def test_a_sheet_returned_to_the_unit_is_late_only_after_the_appraisal_deadline(client):
    data = build_group(2)
    returned, late = (Assessment.objects.get(unit=unit, year=2023) for unit in data["units"])
    today = timezone.localdate()
    calendar_everywhere(
        2023,
        self_assessment_closes=today - timedelta(days=1),
        appraisal_closes=today + timedelta(days=10),
        appraisal_rounds=2,
    )
    Assessment.objects.filter(pk__in=[returned.pk, late.pk]).update(status=AssessmentStatus.DRAFT)
    Assessment.objects.filter(pk=returned.pk).update(appraisal_round=2)
    AssessmentEvent.objects.create(
        assessment=returned,
        action=AssessmentEvent.Action.RETURN,
        from_status=AssessmentStatus.APPRAISED,
        to_status=AssessmentStatus.DRAFT,
        reason="Giải trình tiêu chí 1.1",
        user=data["home_affairs"],
    )
    client.force_login(data["home_affairs"])

    html = client.get("/").content.decode()

    assert status_count(html, "overdue") == 1
    overdue = html.split('id="overdue"')[1].split("</ul>")[0]
    assert late.unit.name in overdue and returned.unit.name not in overdue
