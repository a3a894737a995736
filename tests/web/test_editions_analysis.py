"""The criterion analysis beside last year's losses, through the editions' counterparts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import RankingGroup, Role, Unit
from tests.factories import user_with_role
from tests.scoring.editions.builders import mapping_file, scored_unit, two_editions
from tests.scoring.editions.test_mapping_file import _import
from tests.web.test_analysis import table_rows

pytestmark = pytest.mark.django_db
URL = "/phan-tich/"


def _group(units: int, old, new, prefix: str = "H"):
    district = Unit.objects.create(code=prefix, name=f"Huyện {prefix}", level="district")
    group = RankingGroup.objects.create(name=f"Khối xã {prefix}")
    for number in range(units):
        scored_unit(old, new, group, parent=district, code=f"{prefix}-{number}")
    user = user_with_role(Role.HOME_AFFAIRS, district, username=f"noivu.{prefix}")
    return group, user


def test_last_years_losses_follow_the_mapping(client, tmp_path):
    old, new = two_editions()
    group, user = _group(1, old, new)
    _import(mapping_file(tmp_path), old, new, user=user.username)
    client.force_login(user)

    html = client.get(URL, {"khoi": group.pk, "nam": 2023}).content.decode()

    assert "Bị trừ năm 2022" in html
    criteria = {code: cells[-1] for code, cells in table_rows(html, "criterion-losses").items()}
    # 2022 lost 1 at the old 1.1 and 0 at 1.2, which 1.1 continues; 1,5 at the old 1.3.
    assert criteria == {
        "2.2": "1 TB 1 · mã 2.1",
        "1.2": "1,5 TB 1,5 · mã 1.3",
        "4.1": "— không có tiêu chí tương ứng",
        "1.1": "1 TB 1 · mã 1.1 + 1.2",
    }
    fields = {code: cells[-1] for code, cells in table_rows(html, "field-losses").items()}
    assert fields == {"1": "2,5 TB 2,5", "2": "1 TB 1", "4": "— không có tiêu chí tương ứng"}


def test_unmapped_editions_compare_last_year_by_code(client):
    old, new = two_editions()
    group, user = _group(1, old, new)
    client.force_login(user)

    html = client.get(URL, {"khoi": group.pk, "nam": 2023}).content.decode()

    criteria = {code: cells[-1] for code, cells in table_rows(html, "criterion-losses").items()}
    assert criteria["1.1"] == "1 TB 1"
    assert criteria["1.2"] == "0 TB 0"
    assert criteria["2.2"] == "— không có tiêu chí tương ứng"


def test_the_first_year_has_no_last_year_column(client):
    old, new = two_editions()
    group, user = _group(1, old, new)
    client.force_login(user)

    html = client.get(URL, {"khoi": group.pk, "nam": 2022}).content.decode()

    assert "Tổng bị trừ" in html and "Bị trừ năm" not in html


def test_last_year_costs_the_same_queries_for_2_or_20_units(client, tmp_path):
    old, new = two_editions()
    mapper = user_with_role(Role.ADMIN, username="quan.tri")
    _import(mapping_file(tmp_path), old, new, user=mapper.username)
    counts = []
    for units, prefix in ((2, "A"), (20, "B")):
        group, user = _group(units, old, new, prefix)
        client.force_login(user)
        client.get(URL, {"khoi": group.pk, "nam": 2023})
        with CaptureQueriesContext(connection) as captured:
            client.get(URL, {"khoi": group.pk, "nam": 2023})
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 20
