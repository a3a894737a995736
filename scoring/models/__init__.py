"""Units, criteria frameworks, assessments and scores, one module per topic."""

from scoring.models.assessments import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Score,
    ScoringCalendar,
)
from scoring.models.evidence import Evidence, evidence_path
from scoring.models.frameworks import (
    FROZEN_MESSAGE,
    POINTS,
    Criterion,
    CriterionLink,
    CriterionSource,
    Framework,
)
from scoring.models.memberships import Membership, Role
from scoring.models.units import LEVEL_RANK, ClassificationBand, RankingGroup, Unit, UnitLevel

__all__ = [
    "FROZEN_MESSAGE",
    "LEVEL_RANK",
    "POINTS",
    "Assessment",
    "AssessmentEvent",
    "AssessmentStatus",
    "ClassificationBand",
    "Criterion",
    "CriterionLink",
    "CriterionSource",
    "Evidence",
    "Framework",
    "Membership",
    "RankingGroup",
    "Role",
    "Score",
    "ScoringCalendar",
    "Unit",
    "UnitLevel",
    "evidence_path",
]
