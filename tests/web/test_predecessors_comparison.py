"""The comparison page of a merged unit offers its predecessors' years and compares with
one of them as with a year of its own."""

import re

import pytest
from django.urls import reverse

from scoring.models import AssessmentStatus
from tests.web.predecessors_setup import build_merger
from tests.web.test_dashboard import text_of

pytestmark = pytest.mark.django_db


def options(response) -> list[tuple[str, str]]:
    select = re.search(r'<select id="id_voi".*?</select>', response.content.decode(), re.S)
    return re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', select.group(0))


def total_cells(response) -> list[str]:
    foot = re.search(
        r'id="field-comparison".*?<tfoot>(.*?)</tfoot>', response.content.decode(), re.S
    )
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<th[^>]*>.*?</th>", foot.group(1))]


def comparison(client, user, unit, **params):
    client.force_login(user)
    return client.get(reverse("scoring:comparison", args=[unit.pk]), params)


def test_the_merged_unit_compares_with_each_predecessor(client, tmp_path):
    world = build_merger(tmp_path)

    first = comparison(client, world["unit_user"], world["merged"])
    with_chau = comparison(client, world["unit_user"], world["merged"], nam=2025, voi="2024-C")

    assert options(first) == [
        ("2025", "2025"),
        ("2024-A", "2024 · Xã An (đơn vị trước)"),
        ("2024-B", "2024 · Xã Bình (đơn vị trước)"),
        ("2024-C", "2024 · Xã Châu (đơn vị trước)"),
    ]
    # By default the newest earlier result: Xã An's 9 points against 9,5.
    assert total_cells(first) == ["Tổng", "10", "9", "90%", "10", "9,5", "95%", "+0,5", "+5%"]
    assert "Năm 2024 là kết quả của Xã An, đơn vị trước khi Xã Hợp Nhất" in text_of(first)
    assert total_cells(with_chau)[1:4] == ["10", "6", "60%"]
    assert "+3,5" in total_cells(with_chau)


def test_a_unit_head_is_offered_published_predecessors_only(client, tmp_path):
    world = build_merger(tmp_path)
    an = world["units"]["A"].assessments.get()
    an.status = AssessmentStatus.APPRAISED
    an.save(update_fields=["status"])

    response = comparison(client, world["unit_user"], world["merged"], voi="2024-A")

    assert [value for value, _ in options(response)] == ["2025", "2024-B", "2024-C"]
    # An unpublished predecessor asked for by name falls back to the newest visible one.
    assert total_cells(response)[2] == "8"


def test_a_unit_without_predecessors_or_a_second_year_has_nothing_to_compare(client, tmp_path):
    world = build_merger(tmp_path, predecessors=())

    response = comparison(client, world["unit_user"], world["merged"])

    assert "Cần ít nhất hai năm có kết quả đánh giá để so sánh." in text_of(response)
