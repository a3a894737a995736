"""Whether an appraisal is complete, and who signs it off.

An appraisal is complete only when every applicable leaf has an appraised score:
"Hoàn tất thẩm định" and "Công bố" are refused until then (scoring.workflow), so a
published result is always an appraised one, never the unit's own estimate.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from cchc.people import full_name
from scoring.access import User
from scoring.models import Assessment, Criterion, CriterionSource, Score

# How many unappraised leaves a refusal names; the rest are counted ("và 12 tiêu chí khác").
LISTED = 20

NO_FULL_NAME = (
    "Tài khoản của bạn chưa có họ tên, nên chưa thể ký hoàn tất thẩm định (phiếu thẩm định "
    "ghi họ tên người thẩm định, không ghi tên đăng nhập). Đề nghị quản trị viên nhập họ "
    "tên của bạn rồi thử lại."
)


@dataclass(frozen=True)
class Leaf:
    criterion_id: int
    code: str
    title: str


# A leaf's score that needs no appraisal: appraised, or not applicable to the unit.
SETTLED = Q(not_applicable=True) | Q(appraised_score__isnull=False)


def unappraised_leaves(assessment: Assessment) -> list[Leaf]:
    """Applicable leaves (survey leaves included) with no appraised score, in sheet order.

    One query: a leaf with no score row at all is unappraised too.
    """
    settled = Score.objects.filter(SETTLED, criterion=OuterRef("pk"), assessment=assessment.pk)
    rows = (
        Criterion.objects.filter(framework_id=assessment.framework_id, is_leaf=True)
        .exclude(Exists(settled))
        .order_by("sort_key")
        .values_list("id", "code", "title")
    )
    return [Leaf(*row) for row in rows]


def unappraised_count() -> Coalesce:
    """For an Assessment queryset: how many leaves `unappraised_leaves` would list, for
    every row in the one query (a whole khối is checked before it is published)."""
    settled = Score.objects.filter(
        SETTLED, criterion=OuterRef("pk"), assessment=OuterRef(OuterRef("pk"))
    )
    missing = (
        Criterion.objects.filter(framework_id=OuterRef("framework_id"), is_leaf=True)
        .exclude(Exists(settled))
        .order_by()
        .values("framework_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(missing), Value(0), output_field=IntegerField())


class AppraisalIncomplete(ValidationError):
    """Refusal of a step that needs every applicable leaf appraised; carries the leaves
    so the sheet can link them."""

    def __init__(self, lead: str, leaves: list[Leaf]) -> None:
        self.lead = lead
        self.leaves = leaves
        self.listed = leaves[:LISTED]
        self.more = len(leaves) - len(self.listed)
        names = "; ".join(f"{leaf.code} {leaf.title}" for leaf in self.listed)
        rest = f" và {self.more} tiêu chí khác" if self.more else ""
        super().__init__(f"{lead}: {names}{rest}.")


def appraisal_check_complete(assessment: Assessment, *, step: str) -> None:
    """Refuse `step` ("hoàn tất thẩm định", "công bố") while any applicable leaf is
    unappraised (AppraisalIncomplete, listing them)."""
    leaves = unappraised_leaves(assessment)
    if leaves:
        raise AppraisalIncomplete(
            f"Chưa thể {step}: còn {len(leaves)} tiêu chí chưa có điểm thẩm định", leaves
        )


def appraisal_signer_name(user: User) -> str:
    """The full name the appraisal is signed off with; refused if the account has none."""
    name = full_name(user)
    if not name:
        raise ValidationError(NO_FULL_NAME)
    return name


def self_scores_to_accept(assessment: Assessment) -> QuerySet[Score]:
    """Scores "Chấp nhận điểm tự chấm" would fill: applicable, unappraised, self-scored.

    Survey leaves are Nội vụ's to enter from the survey, so a self score stored on one
    (before that was refused) is never taken as the appraisal."""
    return (
        Score.objects.filter(
            assessment=assessment.pk,
            not_applicable=False,
            appraised_score__isnull=True,
            self_score__isnull=False,
        )
        .exclude(criterion__source=CriterionSource.SURVEY)
        .select_related("criterion")
        .order_by("criterion__sort_key")
    )
