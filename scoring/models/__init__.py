"""Units, criteria frameworks, assessments and scores, cycles and notifications, one
module per topic."""

from scoring.models.assessments import (
    SETTLED_STATUSES,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Score,
)
from scoring.models.cycles import PublicationDecision, ScoringCalendar
from scoring.models.editions import CriterionCounterpart, EditionMapping
from scoring.models.evidence import Evidence, evidence_path
from scoring.models.frameworks import (
    FROZEN_MESSAGE,
    POINTS,
    SPAN_FIELDS,
    Criterion,
    CriterionLink,
    CriterionSource,
    Framework,
)
from scoring.models.memberships import Membership, Role
from scoring.models.notifications import Notification
from scoring.models.tallies import AssessmentTally, FieldTally
from scoring.models.units import LEVEL_RANK, ClassificationBand, RankingGroup, Unit, UnitLevel

__all__ = [
    "FROZEN_MESSAGE",
    "LEVEL_RANK",
    "POINTS",
    "SETTLED_STATUSES",
    "SPAN_FIELDS",
    "Assessment",
    "AssessmentEvent",
    "AssessmentStatus",
    "AssessmentTally",
    "ClassificationBand",
    "Criterion",
    "CriterionCounterpart",
    "CriterionLink",
    "CriterionSource",
    "EditionMapping",
    "Evidence",
    "FieldTally",
    "Framework",
    "Membership",
    "Notification",
    "PublicationDecision",
    "RankingGroup",
    "Role",
    "Score",
    "ScoringCalendar",
    "Unit",
    "UnitLevel",
    "evidence_path",
]
