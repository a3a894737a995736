"""The rank sentence of a plan, from the published ranking."""

from remediation import texts
from scoring.engine import unit_rank
from scoring.models import Assessment, AssessmentStatus
from scoring.units.lineage import unit_lineage_label


def rank_clause(assessment: Assessment) -> str:
    """ "; xếp thứ 3/23 trong khối …; tăng 20 bậc so với năm 2022", from published results;
    a unit merged or split this year says so instead of a change."""
    group = assessment.ranking_group
    if group is None or assessment.status != AssessmentStatus.PUBLISHED:
        return ""
    rank = unit_rank(assessment, statuses=[AssessmentStatus.PUBLISHED])
    if rank is None:
        return ""
    clause = f"; xếp thứ {rank.rank}/{rank.group_size} trong {texts.in_sentence(group.name)}"
    change = rank.rank_change
    lineage = unit_lineage_label(assessment.unit, assessment.year)
    if change is None and lineage:
        clause += f"; {lineage} nên không so sánh thứ hạng với năm {assessment.year - 1}"
    elif change:
        verb = "tăng" if change > 0 else "giảm"
        clause += f"; {verb} {abs(change):02d} bậc so với năm {assessment.year - 1}"
    elif change == 0:
        clause += f"; giữ nguyên thứ hạng so với năm {assessment.year - 1}"
    return clause
