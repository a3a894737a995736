"""Small plans built without the demo data: one field of `tasks` deducted criteria."""

from remediation.models import Plan
from remediation.services import plan_draft
from scoring.models import RankingGroup, Unit, UnitLevel
from tests.factories import AssessmentFactory, UnitFactory, build_framework, score_assessment


def district_with_commune() -> tuple[Unit, Unit]:
    district = UnitFactory(code="H1", name="Huyện Thử", level=UnitLevel.DISTRICT)
    commune = UnitFactory(code="H1-X1", name="Xã Thử Một", parent=district)
    return district, commune


def plan_with_tasks(unit: Unit, tasks: int, year: int = 2023) -> Plan:
    rows = [("1", None, str(tasks))] + [(f"1.{i}", "1", "1") for i in range(1, tasks + 1)]
    framework = build_framework(rows)
    group = unit.ranking_group or RankingGroup.objects.create(name=f"Khối {unit.code}")
    assessment = AssessmentFactory(unit=unit, framework=framework, year=year, ranking_group=group)
    score_assessment(assessment, {f"1.{i}": "0,5" for i in range(1, tasks + 1)})
    plan = plan_draft(unit=unit, year=year)
    assert plan.tasks.count() == tasks
    return plan
