"""Seed 000 as data: a district's 2019 result, "tổng điểm 88,21, trong đó điểm thành phần
theo các lĩnh vực đạt 69,46 điểm, điểm điều tra xã hội học đạt 18,75 điểm". The document
gives no framework, so this is a small one with a survey field that gives those parts."""

from dataclasses import dataclass
from decimal import Decimal

from scoring.engine import refresh_tallies
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    CriterionSource,
    RankingGroup,
    Score,
    Unit,
    UnitLevel,
)
from tests.factories import build_framework

YEAR = 2019
FRAMEWORK = [
    ("1", None, "40"),
    ("1.1", "1", "20"),
    ("1.2", "1", "20"),
    ("2", None, "35"),
    ("2.1", "2", "35"),
    ("8", None, "25"),
    ("8.1", "8", "15"),
    ("8.2", "8", "10"),
]
# Appraised points: fields 1–2 add up to 69,46, survey field 8 to 18,75.
SEED_UNIT = {"1.1": "18.5", "1.2": "19.71", "2.1": "31.25", "8.1": "11.5", "8.2": "7.25"}
PEER = {"1.1": "20", "1.2": "20", "2.1": "35", "8.1": "13", "8.2": "9.5"}


@dataclass
class Seed000:
    province: Unit
    unit: Unit
    peer: Unit
    group: RankingGroup
    assessment: Assessment


def build_seed_000() -> Seed000:
    framework = build_framework(FRAMEWORK, name="Bộ chỉ số cấp huyện 2019", level="district")
    Criterion.objects.filter(framework=framework, code__startswith="8").update(
        source=CriterionSource.SURVEY
    )
    province = Unit.objects.create(code="S0", name="Tỉnh Mẫu", level=UnitLevel.PROVINCE)
    group = RankingGroup.objects.create(name="Khối huyện tỉnh Mẫu")
    leaves = {c.code: c for c in framework.criteria.filter(is_leaf=True)}
    assessments = []
    for code, name, points in (("S0-H1", "Huyện Mẫu", SEED_UNIT), ("S0-H2", "Huyện Bên", PEER)):
        unit = Unit.objects.create(
            code=code, name=name, level=UnitLevel.DISTRICT, parent=province, ranking_group=group
        )
        assessment = Assessment.objects.create(
            unit=unit,
            year=YEAR,
            framework=framework,
            ranking_group=group,
            status=AssessmentStatus.PUBLISHED,
        )
        Score.objects.bulk_create(
            Score(
                assessment=assessment,
                criterion=leaves[leaf],
                self_score=None if leaf.startswith("8") else Decimal(value),
                appraised_score=Decimal(value),
            )
            for leaf, value in points.items()
        )
        refresh_tallies([assessment.pk])
        assessments.append(assessment)
    return Seed000(
        province=province,
        unit=assessments[0].unit,
        peer=assessments[1].unit,
        group=group,
        assessment=assessments[0],
    )
