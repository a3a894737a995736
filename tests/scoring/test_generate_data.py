import random
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum

from scoring.engine import assessment_breakdown, group_ranking
from scoring.models import Assessment, Criterion, Framework, RankingGroup, Score, Unit
from scoring.synthetic import FINAL_YEAR, leaves_per_field, split_cap, spread
from tests.factories import row_counts

pytestmark = pytest.mark.django_db


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_data", stdout=out, **options)
    return out.getvalue()


def snapshot() -> list[tuple]:
    return list(
        Score.objects.order_by(
            "assessment__unit__code", "assessment__year", "criterion__code"
        ).values_list(
            "assessment__unit__code",
            "assessment__year",
            "assessment__ranking_group__name",
            "criterion__code",
            "criterion__max_points",
            "appraised_score",
        )
    )


def wipe() -> None:
    Score.objects.all().delete()
    Assessment.objects.all().delete()
    Framework.objects.all().delete()
    Unit.objects.all().delete()
    RankingGroup.objects.all().delete()


def test_small_data_set_has_exactly_the_numbers_asked_for():
    out = generate(units=30, criteria=12, years=2, groups=3)
    framework = Framework.objects.get()

    assert Unit.objects.count() == 30
    assert framework.criteria.filter(is_leaf=True).count() == 12
    assert framework.criteria.filter(depth=0).count() == 8
    assert (framework.year_from, framework.year_to) == (FINAL_YEAR - 1, FINAL_YEAR)
    assert Assessment.objects.count() == 60
    assert Score.objects.count() == 720
    assert "30 đơn vị, 60 kết quả đánh giá, 720 điểm" in out


def test_framework_totals_100_and_scores_stay_within_their_max():
    generate(units=30, criteria=12, years=2)

    leaves = Criterion.objects.filter(is_leaf=True)
    assert leaves.aggregate(total=Sum("max_points"))["total"] == Decimal(100)
    assert not Score.objects.filter(appraised_score__gt=F("criterion__max_points")).exists()
    assert not Score.objects.filter(appraised_score__lt=0).exists()


def test_units_are_spread_over_groups_the_first_holding_three_fifths():
    generate(units=30, criteria=12, years=1, groups=3)

    sizes = RankingGroup.objects.annotate(size=Count("units")).order_by("name")
    assert [group.size for group in sizes] == [18, 6, 6]


def test_ranks_are_computable_with_last_year():
    generate(units=30, criteria=12, years=2, groups=3)
    group = RankingGroup.objects.order_by("name").first()

    ranking = group_ranking(group, FINAL_YEAR, with_fields=True)

    assert len(ranking.rows) == 18
    assert ranking.rows[0].rank == 1
    assert all(row.prev_rank is not None for row in ranking.rows)
    assert ranking.field_codes == [str(code) for code in range(1, 9)]
    top = Assessment.objects.get(pk=ranking.rows[0].assessment_id)
    assert assessment_breakdown(top).total.achieved == ranking.rows[0].tally.achieved


def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    generate(units=12, criteria=10, years=2, seed=7)
    first = snapshot()
    wipe()

    generate(units=12, criteria=10, years=2, seed=7)
    again = snapshot()
    generate(units=12, criteria=10, years=2, seed=8)

    assert again == first
    points = [(year, code, score) for _, year, _, code, _, score in first]
    other = [(year, code, score) for unit, year, _, code, _, score in snapshot() if "GL8-" in unit]
    assert len(other) == len(points)
    assert other != points


def test_refuses_a_seed_already_in_the_database():
    generate(units=5, criteria=8, years=1, seed=3)
    before = row_counts()

    with pytest.raises(CommandError, match="seed 3"):
        generate(units=5, criteria=8, years=1, seed=3)

    assert row_counts() == before


def test_refuses_fewer_leaves_than_fields():
    with pytest.raises(CommandError, match="ít nhất 8"):
        generate(units=5, criteria=7, years=1)


@pytest.mark.parametrize("target", [0, 1, 999, 1000])
def test_spread_meets_the_target_exactly_within_every_cap(target):
    caps = [50, 150, 400, 400]

    values = spread(caps, target, random.Random(1))

    assert sum(values) == target
    assert all(0 <= value <= cap for value, cap in zip(values, caps, strict=True))


def test_spread_refuses_a_target_beyond_the_caps():
    with pytest.raises(ValueError):
        spread([100, 100], 201, random.Random(1))


def test_leaves_follow_the_field_maxes_with_at_least_one_each():
    assert leaves_per_field(8) == [1] * 8
    counts = leaves_per_field(100)
    assert sum(counts) == 100
    assert counts.index(max(counts)) == 6  # field 7 has the biggest max, 20 of 100
    assert split_cap(1450, 4) == [363, 363, 362, 362]
