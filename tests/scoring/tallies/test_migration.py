"""Upgrading a database that already holds scores (migration 0007) gives every existing
assessment its stored tallies, equal to the engine's recompute."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scoring.models import Assessment, Score
from tests.factories import RankingGroupFactory, build_framework
from tests.scoring.tallies.stored import WHOLE, assert_right, stored, tally
from tests.web.sheet_setup import SMALL_FRAMEWORK

BEFORE_TALLIES = [("scoring", "0006_operations")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def units_before_tallies(count: int) -> list:
    """Units as the 0006 schema holds them: later migrations added columns to units."""
    state = MigrationExecutor(connection).loader.project_state(BEFORE_TALLIES)
    Unit = state.apps.get_model("scoring", "Unit")
    group = RankingGroupFactory()
    return [
        Unit.objects.create(
            code=f"M{n}", name=f"Xã {n}", level="commune", ranking_group_id=group.pk
        )
        for n in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_tallies_every_assessment_already_scored():
    migrate(BEFORE_TALLIES)
    # Written as the data stood before: no signal, no tally table yet.
    framework = build_framework(SMALL_FRAMEWORK)
    leaves = {c.code: c for c in framework.criteria.filter(is_leaf=True)}
    scored, blank = Assessment.objects.bulk_create(
        Assessment(
            unit_id=unit.pk, year=2023, framework=framework, ranking_group_id=unit.ranking_group_id
        )
        for unit in units_before_tallies(2)
    )
    Score.objects.bulk_create(
        [
            Score(assessment=scored, criterion=leaves["1.1"], self_score=1, appraised_score="0.5"),
            Score(assessment=scored, criterion=leaves["2.1"], self_score=2, not_applicable=True),
        ]
    )

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert stored(scored) == {
        WHOLE: tally("3", "0.5", "1", applicable=2, appraised=1),
        "1": tally("3", "0.5", "1", applicable=2, appraised=1),
        "2": tally("0", "0", None, applicable=0),
    }
    assert stored(blank)[WHOLE] == tally("5", "0", None, applicable=3)
    assert_right(scored)
