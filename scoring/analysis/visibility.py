"""Who sees which ranking: published results only, or everything in their scope."""

from django.db.models import QuerySet

from scoring.access import assessments_in_scope, is_home_affairs, units_in_scope
from scoring.models import SETTLED_STATUSES, Assessment, AssessmentStatus, RankingGroup

PUBLISHED = [AssessmentStatus.PUBLISHED]
# Criterion analysis reads points that no longer move: appraised or published.
SETTLED = list(SETTLED_STATUSES)


# Nội vụ's provisional ranking: every sheet the unit has sent. A sheet still in
# self-assessment is no result yet: ranking it would show every unit of a cycle just
# opened tied at 0 points.
PROVISIONAL = [AssessmentStatus.SUBMITTED, *SETTLED_STATUSES]


def ranking_statuses(user, group: RankingGroup, year: int) -> list[str]:
    """PROVISIONAL for Nội vụ whose scope covers the whole group that year, else
    published results only."""
    if not is_home_affairs(user):
        return PUBLISHED
    outside = (
        Assessment.objects.filter(year=year, ranking_group=group)
        .exclude(unit__in=units_in_scope(user))
        .exists()
    )
    return PUBLISHED if outside else PROVISIONAL


def ranking_groups_for_user(user) -> QuerySet[RankingGroup]:
    """Groups whose ranking the user may open in some year."""
    if is_home_affairs(user):
        assessments = assessments_in_scope(user)
    else:
        groups = assessments_in_scope(user).values("ranking_group")
        assessments = Assessment.objects.filter(ranking_group__in=groups, status__in=PUBLISHED)
    return RankingGroup.objects.filter(assessments__in=assessments).distinct().order_by("name")


def ranking_years(user, group: RankingGroup) -> list[int]:
    assessments = Assessment.objects.filter(ranking_group=group)
    if not is_home_affairs(user):
        assessments = assessments.filter(status__in=PUBLISHED)
    else:
        assessments = assessments.filter(unit__in=units_in_scope(user))
    # The distinct years from the database: a khối of 3,000 units has 3,000 rows a year.
    return list(assessments.order_by("-year").values_list("year", flat=True).distinct())
