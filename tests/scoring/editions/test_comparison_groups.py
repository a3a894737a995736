"""Criteria linked through a mapping, however tangled, compare as one row of sums."""

from decimal import Decimal

import pytest

from scoring.analysis import compare_years
from scoring.editions.services import edition_mapping_save
from scoring.models import Assessment, Role, Unit
from tests.factories import build_framework, score_assessment, user_with_role

pytestmark = pytest.mark.django_db


def test_criteria_sharing_old_counterparts_are_one_row_of_sums():
    old = build_framework(
        [("1", None, "4"), ("1.1", "1", "1"), ("1.2", "1", "1"), ("1.3", "1", "2")],
        year_from=2022,
    )
    new = build_framework(
        [("1", None, "4"), ("1.1", "1", "1"), ("1.2", "1", "1"), ("1.3", "1", "1"),
         ("1.4", "1", "1")],
        year_from=2023,
    )  # fmt: skip
    o = dict(old.criteria.values_list("code", "id"))
    n = dict(new.criteria.values_list("code", "id"))
    # 1.1 and 1.2 continue one old criterion each, until 1.3 continues both of theirs:
    # three new criteria and two old ones, one row. 1.4 continues the old 1.3 alone.
    links = [("1", "1"), ("1.1", "1.1"), ("1.2", "1.2"), ("1.3", "1.1"), ("1.3", "1.2"),
             ("1.4", "1.3")]  # fmt: skip
    edition_mapping_save(
        framework=new,
        previous=old,
        pairs=[(n[a], o[b]) for a, b in links],
        by=user_with_role(Role.HOME_AFFAIRS),
    )
    unit = Unit.objects.create(code="XA", name="Xã", level="commune")
    then = Assessment.objects.create(unit=unit, year=2022, framework=old)
    now = Assessment.objects.create(unit=unit, year=2023, framework=new)
    score_assessment(then, {"1.1": "1", "1.2": "0", "1.3": "2"})
    score_assessment(now, {"1.1": "1", "1.2": "1", "1.3": "0,5", "1.4": "0"})

    cmp = compare_years(now, then)

    rows = {
        row.code: (row.other_code, row.other_max, row.current_max, row.change)
        for row in cmp.criteria
    }
    assert rows == {
        "1.1 + 1.2 + 1.3": ("1.1 + 1.2", Decimal(2), Decimal(3), Decimal("1.5")),
        "1.4": ("1.3", Decimal(2), Decimal(1), Decimal(-2)),
    }
    assert cmp.unmatched_current == [] and cmp.unmatched_other == []
    assert cmp.mapped
