"""Checks and derived data for a criteria tree, independent of the database.

Both the framework import (which must name the row of every error before it
writes anything) and `framework_rebuild_tree` (after edits in the admin) use it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from cchc.formatting import format_points

SORT_WIDTH = 5


@dataclass(frozen=True)
class TreeNode:
    key: int | str  # a database id, or a code before anything is saved
    parent_key: int | str | None
    code: str
    max_points: Decimal
    order: int
    row: int | None = None  # the file row, for messages


@dataclass(frozen=True)
class TreeProblem:
    node: TreeNode
    column: str
    message: str


@dataclass(frozen=True)
class TreeShape:
    depth: dict
    sort_key: dict
    is_leaf: dict
    ancestors: dict  # key -> [(ancestor key, distance)], self included at distance 0


def check_tree(nodes: Iterable[TreeNode]) -> list[TreeProblem]:
    """Unknown parents, cycles and parents whose max is not the sum of their children."""
    nodes = list(nodes)
    by_key = {node.key: node for node in nodes}
    problems = [
        TreeProblem(node, "parent_code", f"Không có tiêu chí cha mã «{node.parent_key}».")
        for node in nodes
        if node.parent_key is not None and node.parent_key not in by_key
    ]
    if problems:
        return problems
    problems = [
        TreeProblem(node, "parent_code", f"Tiêu chí «{node.code}» nằm trong một vòng lặp cha-con.")
        for node in nodes
        if _in_cycle(node, by_key)
    ]
    if problems:
        return problems
    return _sum_problems(nodes)


def _in_cycle(node: TreeNode, by_key: dict) -> bool:
    seen = {node.key}
    parent_key = node.parent_key
    while parent_key is not None:
        if parent_key in seen:
            return True
        seen.add(parent_key)
        parent_key = by_key[parent_key].parent_key
    return False


def _sum_problems(nodes: list[TreeNode]) -> list[TreeProblem]:
    children_total: dict = defaultdict(Decimal)
    has_children = set()
    for node in nodes:
        if node.parent_key is not None:
            children_total[node.parent_key] += node.max_points
            has_children.add(node.parent_key)
    return [
        TreeProblem(
            node,
            "max_points",
            f"Điểm tối đa của «{node.code}» là {format_points(node.max_points)} nhưng tổng "
            f"điểm tối đa các tiêu chí con là {format_points(children_total[node.key])}.",
        )
        for node in nodes
        if node.key in has_children and children_total[node.key] != node.max_points
    ]


def tree_shape(nodes: Iterable[TreeNode]) -> TreeShape:
    """Depth, a sort key giving document order, leaf flags and closure pairs.

    Call only on a tree that `check_tree` accepted.
    """
    nodes = list(nodes)
    by_key = {node.key: node for node in nodes}
    children: dict = defaultdict(list)
    for node in nodes:
        children[node.parent_key].append(node)
    position = {}
    for siblings in children.values():
        siblings.sort(key=lambda n: (n.order, _natural_code(n.code)))
        for index, node in enumerate(siblings, start=1):
            position[node.key] = index

    depth, sort_key, ancestors = {}, {}, {}
    for node in nodes:
        chain = [node]
        while chain[-1].parent_key is not None:
            chain.append(by_key[chain[-1].parent_key])
        depth[node.key] = len(chain) - 1
        sort_key[node.key] = ".".join(
            str(position[n.key]).zfill(SORT_WIDTH) for n in reversed(chain)
        )
        ancestors[node.key] = [(n.key, distance) for distance, n in enumerate(chain)]
    is_leaf = {node.key: not children.get(node.key) for node in nodes}
    return TreeShape(depth=depth, sort_key=sort_key, is_leaf=is_leaf, ancestors=ancestors)


def _natural_code(code: str) -> list:
    """'7b.2.10' sorts after '7b.2.9': numbers compare as numbers."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split(".")]
