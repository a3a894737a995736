"""A unit that keeps its code through a reorganisation has no "last year" before
`formed_in`: the engine's unit rank and listings leave last year out, and the years
before rank as they did."""

import pytest
from django.core.exceptions import ValidationError

from scoring.engine import group_ranking, ranking_page, unit_rank
from scoring.models import RankingGroup, Unit, UnitLevel
from scoring.units.predecessors import unit_set_predecessors
from tests.factories import build_framework
from tests.web.dashboard_data import SMALL_FRAMEWORK
from tests.web.predecessors_setup import score

pytestmark = pytest.mark.django_db


@pytest.fixture
def reformed():
    """Xã Giữ Mã ranked 2nd of 2 in 2024 and 1st of 2 in 2025; Xã Nhập had 2024 only."""
    framework = build_framework(SMALL_FRAMEWORK)
    group = RankingGroup.objects.create(name="Khối xã")
    units = {
        code: Unit.objects.create(code=code, name=name, level=UnitLevel.COMMUNE)
        for code, name in (("K", "Xã Giữ Mã"), ("N", "Xã Nhập"), ("O", "Xã Khác"))
    }
    score(units["K"], 2024, group, framework, "7")
    score(units["N"], 2024, group, framework, "9")
    score(units["O"], 2025, group, framework, "8")
    return {
        "group": group,
        "units": units,
        "current": score(units["K"], 2025, group, framework, "9,5"),
    }


def ranks(group, year: int) -> list[tuple]:
    return [(r.unit_code, r.rank, r.prev_rank, r.tally) for r in group_ranking(group, year).rows]


def test_last_year_is_left_out_once_the_unit_is_formed_anew(reformed):
    current, group = reformed["current"], reformed["group"]
    assert unit_rank(current).prev_rank == 2
    before_2024 = ranks(group, 2024)

    unit_set_predecessors(reformed["units"]["K"], [reformed["units"]["N"]], 2025)

    rank = unit_rank(current)
    assert (rank.rank, rank.group_size, rank.prev_rank, rank.prev_tally) == (1, 2, None, None)
    row = ranking_page(group, 2025).rows[0]
    assert (row.unit_code, row.prev_rank, row.rank_change, row.score_change) == (
        "K",
        None,
        None,
        None,
    )
    assert ranks(group, 2024) == before_2024
    assert [(code, rank) for code, rank, _, _ in before_2024] == [("N", 1), ("K", 2)]


def test_formed_in_a_later_year_still_compares_the_years_after(reformed):
    unit_set_predecessors(reformed["units"]["K"], [reformed["units"]["N"]], 2025)
    framework = reformed["current"].framework

    following = score(reformed["units"]["K"], 2026, reformed["group"], framework, "8")

    assert unit_rank(following).prev_rank == 1


def test_the_service_refuses_and_writes_nothing(reformed):
    unit = reformed["units"]["K"]

    with pytest.raises(ValidationError) as refused:
        unit_set_predecessors(unit, [reformed["units"]["N"]], 2024)

    assert refused.value.message_dict == {
        "formed_in": [
            "Đơn vị «N» còn có kết quả riêng năm 2024: năm đơn vị mới có kết quả riêng "
            "phải sau năm 2024, nếu không kết quả đó bị che mất."
        ]
    }
    unit.refresh_from_db()
    assert (unit.formed_in, unit.predecessors.count()) == (None, 0)
