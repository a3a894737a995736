"""The rank sentence of a plan, from the published ranking."""

from remediation import texts
from scoring.engine import unit_rank
from scoring.models import Assessment, AssessmentStatus


def rank_clause(assessment: Assessment) -> str:
    """ "; xếp thứ 3/23 trong khối …; tăng 20 bậc so với năm 2022", from published results."""
    group = assessment.ranking_group
    if group is None or assessment.status != AssessmentStatus.PUBLISHED:
        return ""
    rank = unit_rank(assessment, statuses=[AssessmentStatus.PUBLISHED])
    if rank is None:
        return ""
    clause = f"; xếp thứ {rank.rank}/{rank.group_size} trong {texts.in_sentence(group.name)}"
    change = rank.rank_change
    if change:
        verb = "tăng" if change > 0 else "giảm"
        clause += f"; {verb} {abs(change):02d} bậc so với năm {assessment.year - 1}"
    elif change == 0:
        clause += f"; giữ nguyên thứ hạng so với năm {assessment.year - 1}"
    return clause
