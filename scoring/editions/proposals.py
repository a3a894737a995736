"""Counterparts proposed for a pair of editions, for Nội vụ to confirm or correct.

Three kinds, tried in this order so a renumbered criterion is not taken for a
reworded one: the same code with the same wording; the same wording under another
code (renumbered); the same code with other wording, flagged for a person to decide
and never accepted on its own. Wording is compared folded: case, tone marks and
diacritics, whitespace and punctuation do not count.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from cchc.search import fold
from scoring.models import Framework

NOT_WORDS = re.compile(r"[\W_]+")


class ProposalKind(StrEnum):
    SAME = "same"
    RENAMED = "renamed"
    REWORDED = "reworded"


@dataclass(frozen=True)
class Proposal:
    criterion_id: int  # of the new edition
    previous_id: int  # of the previous edition
    kind: ProposalKind

    @property
    def accepted(self) -> bool:
        """Whether the page pre-fills it; a reworded criterion waits for a person."""
        return self.kind is not ProposalKind.REWORDED


@dataclass(frozen=True)
class _Node:
    id: int
    code: str
    wording: str


def wording_key(title: str) -> str:
    """A title as compared: folded, punctuation and runs of whitespace as one space."""
    return " ".join(NOT_WORDS.sub(" ", fold(title.lower())).split())


def propose_counterparts(framework: Framework, previous: Framework) -> dict[int, Proposal]:
    """New criterion id → its proposed counterpart in `previous` (two queries)."""
    new, old = _nodes(framework), _nodes(previous)
    proposals: dict[int, Proposal] = {}
    old_by_code = {node.code: node for node in old}
    for node in new:
        same = old_by_code.get(node.code)
        if same is not None and same.wording == node.wording:
            proposals[node.id] = Proposal(node.id, same.id, ProposalKind.SAME)
    taken = {proposal.previous_id for proposal in proposals.values()}
    new_left = [node for node in new if node.id not in proposals]
    old_left = [node for node in old if node.id not in taken]
    old_by_wording = _unique_wordings(old_left)
    new_wordings = _unique_wordings(new_left)
    for node in new_left:
        moved = old_by_wording.get(node.wording)
        if moved is not None and node.wording in new_wordings:
            proposals[node.id] = Proposal(node.id, moved.id, ProposalKind.RENAMED)
            taken.add(moved.id)
    for node in new_left:
        same = old_by_code.get(node.code)
        if node.id not in proposals and same is not None and same.id not in taken:
            proposals[node.id] = Proposal(node.id, same.id, ProposalKind.REWORDED)
    return proposals


def _nodes(framework: Framework) -> list[_Node]:
    rows = framework.criteria.order_by("sort_key").values_list("id", "code", "title")
    return [_Node(pk, code, wording_key(title)) for pk, code, title in rows]


def _unique_wordings(nodes: list[_Node]) -> dict[str, _Node]:
    """Wording → node, for the wordings only one of `nodes` has: "Các nội dung khác của
    lĩnh vực" closes several fields and says nothing about which one is which."""
    by_wording: dict[str, list[_Node]] = {}
    for node in nodes:
        by_wording.setdefault(node.wording, []).append(node)
    return {wording: found[0] for wording, found in by_wording.items() if len(found) == 1}
