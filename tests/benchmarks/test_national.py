"""The national benchmark's own pieces: timing in turn, the table, the choice of rows,
and floors that return what the app's pages show.

The run itself (gunicorn, a million scores, minutes) is `make benchmark`, not a test.
"""

import argparse
from decimal import Decimal

import pytest
from django.db import connection

from benchmarks.national import data, floors
from benchmarks.national.run import rows_chosen
from benchmarks.national.timing import Check, Result, Sample, interleaved, table
from scoring.analysis import group_losses
from scoring.engine import group_ranking
from scoring.models import Assessment, AssessmentStatus, RankingGroup, Role, Unit, UnitLevel
from scoring.synthetic import dataset_create
from tests.factories import user_with_role


def test_app_and_floor_run_in_turn_after_an_untimed_round_each_after_the_reset():
    calls = []

    engine, floor = interleaved(
        lambda: calls.append("app"),
        lambda: calls.append("floor"),
        runs=2,
        before=lambda: calls.append("reset"),
    )

    assert calls == ["reset", "app", "reset", "floor"] * 3
    assert (len(engine.runs), len(floor.runs)) == (2, 2)


def test_a_row_reads_median_and_spread_and_meets_its_goal_on_the_ratio_of_medians():
    result = Result("ranking", Sample((130.0, 90.0, 100.0)), Sample((80.0, 100.0, 75.0)), 1.3)

    assert str(result.engine) == "100 (90–130)"
    assert result.ratio == 1.25
    assert result.met
    assert not Result("x", Sample((140.0,)), Sample((100.0,)), 1.3).met


def test_the_table_has_a_row_per_result_and_per_check():
    rows = [
        Result("ranking", Sample((2600.0,)), Sample((1000.0,)), 1.3),
        Check("import peak memory", "250 → 260 MiB (1.04×)", "same ± 20%", met=True),
    ]

    assert table(rows).splitlines()[2:] == [
        "| ranking | 2,600 (2,600–2,600) | 1,000 (1,000–1,000) | 2.60× | ≤ 1.3× | **no** |",
        "| import peak memory | 250 → 260 MiB (1.04×) |  |  | same ± 20% | yes |",
    ]


def test_only_names_known_rows_and_keeps_the_run_order():
    assert rows_chosen("pdf, ranking") == ["ranking", "pdf"]
    with pytest.raises(argparse.ArgumentTypeError):
        rows_chosen("ranking,pages")


# --- The floors return the app's numbers (PostgreSQL: they are PostgreSQL statements) ---

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the floors are PostgreSQL statements"
)


def small_targets() -> tuple[data.Targets, RankingGroup]:
    dataset_create(units=40, leaves=16, years=2, groups=2, seed=1)
    group = RankingGroup.objects.order_by("pk").first()
    some = Assessment.objects.filter(ranking_group=group, year=2024).order_by("pk").first()
    prev = Assessment.objects.get(unit=some.unit, year=2023)
    targets = data.Targets(
        year=2024,
        group_id=group.pk,
        group_size=Assessment.objects.filter(ranking_group=group, year=2024).count(),
        unit_id=some.unit_id,
        unit_name=some.unit.name,
        assessment_id=some.pk,
        prev_assessment_id=prev.pk,
        framework_id=some.framework_id,
        plan_id=0,
    )
    return targets, group


@postgres_only
@pytest.mark.django_db
def test_the_ranking_floor_returns_the_pages_ranks_totals_last_year_and_field_points():
    targets, group = small_targets()
    # One unit not yet settled last year: it has no previous rank.
    Assessment.objects.filter(year=2023, unit_id=targets.unit_id).update(
        status=AssessmentStatus.DRAFT
    )
    statuses = list(AssessmentStatus.values)

    got = floors.ranking(targets, statuses)()
    app = group_ranking(group, 2024, statuses=statuses, with_fields=True).rows

    milli = Decimal(1000)
    assert [
        (code, rank, Decimal(achieved) / milli, prev_rank, [Decimal(f) / milli for f in fields])
        for _, code, _, rank, _, achieved, prev_rank, _, fields in got
    ] == [
        (r.unit_code, r.rank, r.tally.achieved, r.prev_rank, list(r.field_points.values()))
        for r in app
    ]
    assert len(got) == targets.group_size and got[0][8] and len(got[0][8]) == 8


@postgres_only
@pytest.mark.django_db
def test_the_analysis_floor_returns_the_pages_losses_per_field():
    targets, group = small_targets()
    province = Unit.objects.create(code="T", name="Tỉnh thử", level=UnitLevel.PROVINCE)
    Unit.objects.filter(ranking_group=group).update(parent=province)
    user = user_with_role(Role.HOME_AFFAIRS, unit=province)
    # A leaf that does not apply, a leaf not scored, a leaf with no score row at all.
    sheets = Assessment.objects.filter(ranking_group=group, year=2024).order_by("pk")
    left_out, unscored, missing = (sheet.scores.order_by("pk")[2] for sheet in sheets[:3])
    left_out.not_applicable = True
    left_out.save()
    unscored.self_score = unscored.appraised_score = None
    unscored.save()
    missing.delete()

    got = {pk: row for pk, *row in floors.analysis(targets, province.pk)()}
    losses = group_losses(user, group, 2024)

    assert losses.fields
    for field in losses.fields + losses.criteria:
        deducted, units, units_lost = got[field.criterion_id]
        assert (Decimal(deducted) / 1000, units, units_lost) == (
            field.deducted,
            field.units,
            field.units_lost,
        )
