"""Writes to scoring data. Views, admin, importers and commands call these."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from scoring.models import FROZEN_MESSAGE, Assessment, Criterion, CriterionLink, Framework
from scoring.tree import TreeNode, check_tree, tree_shape


# No savepoint: the sheet's save counts its queries, and the caller's transaction is
# the one that matters (the token must move with the scores, or not at all).
@transaction.atomic(savepoint=False)
def assessments_bump_version(*, assessment_ids: Iterable[int | None]) -> int:
    """Move the concurrency token of these assessments: version + 1, updated_at now.

    Every write that changes what a scoring sheet shows (its scores, the assessment
    itself) calls this in the transaction of that write, so a sheet form read before
    it is refused on save instead of silently putting the old values back. One UPDATE
    whatever the number of assessments, none for an empty set (a write that changed
    nothing must not refuse a colleague's form). Call it before writing the scores
    (unless the assessment rows are locked already): the UPDATE locks them as the
    sheet's save does, in the same order (assessment, then scores), so two writes
    wait for each other and never deadlock. Returns how many assessments moved.
    """
    ids = {pk for pk in assessment_ids if pk is not None}
    if not ids:
        return 0
    return Assessment.objects.filter(pk__in=ids).update(
        version=F("version") + 1, updated_at=timezone.now()
    )


def framework_tree_nodes(framework: Framework) -> list[TreeNode]:
    return [
        TreeNode(
            key=c.pk, parent_key=c.parent_id, code=c.code, max_points=c.max_points, order=c.order
        )
        for c in framework.criteria.all()
    ]


@transaction.atomic
def framework_rebuild_tree(*, framework: Framework) -> None:
    """Check the criteria tree and rewrite its derived fields and closure links.

    Refuses (ValidationError, nothing written) a tree with a cycle or a parent
    whose max is not the sum of its children's, and a framework already in use.
    """
    if framework.is_frozen:
        raise ValidationError(FROZEN_MESSAGE.format(name=framework.name))
    nodes = framework_tree_nodes(framework)
    problems = check_tree(nodes)
    if problems:
        raise ValidationError([problem.message for problem in problems])
    shape = tree_shape(nodes)

    criteria = list(framework.criteria.all())
    for criterion in criteria:
        criterion.depth = shape.depth[criterion.pk]
        criterion.sort_key = shape.sort_key[criterion.pk]
        criterion.is_leaf = shape.is_leaf[criterion.pk]
    Criterion.objects.bulk_update(criteria, ["depth", "sort_key", "is_leaf"], batch_size=500)

    CriterionLink.objects.filter(descendant__framework=framework).delete()
    CriterionLink.objects.bulk_create(
        [
            CriterionLink(ancestor_id=ancestor, descendant_id=key, distance=distance)
            for key, pairs in shape.ancestors.items()
            for ancestor, distance in pairs
        ],
        batch_size=1000,
    )
