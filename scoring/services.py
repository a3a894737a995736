"""Writes to scoring data. Views, admin, importers and commands call these."""

from django.core.exceptions import ValidationError
from django.db import transaction

from scoring.models import FROZEN_MESSAGE, Criterion, CriterionLink, Framework
from scoring.tree import TreeNode, check_tree, tree_shape


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
