"""Year comparison, also across framework editions.

Criteria (and fields) of the two years are matched through
`scoring.editions.edition_counterparts`: within one framework each criterion is
itself; across editions, Nội vụ's mapping where the pair is mapped, else the same
code. Criteria linked to each other form one compared row, taken as their sum: a new
criterion that merged two old ones is compared with the two together, and an old one
split in two with the two new parts together.
"""

from dataclasses import dataclass
from decimal import Decimal

from scoring.editions import Counterparts, edition_counterparts
from scoring.engine import (
    AssessmentBreakdown,
    NodeResult,
    Tally,
    assessment_breakdown,
    tally_sum,
)
from scoring.models import Assessment, EditionMapping

Links = dict[int, tuple[int, ...]]  # criterion id of the current year → ids of the other's


@dataclass(frozen=True)
class ComparedNode:
    """One or more criteria of one year against their counterparts in the other."""

    currents: tuple[NodeResult, ...]
    others: tuple[NodeResult, ...]

    @property
    def current(self) -> NodeResult | None:
        return self.currents[0] if self.currents else None

    @property
    def other(self) -> NodeResult | None:
        return self.others[0] if self.others else None

    @property
    def code(self) -> str:
        return " + ".join(node.code for node in self.currents or self.others)

    @property
    def other_code(self) -> str:
        return " + ".join(node.code for node in self.others)

    @property
    def current_tally(self) -> Tally | None:
        return tally_sum(node.tally for node in self.currents) if self.currents else None

    @property
    def other_tally(self) -> Tally | None:
        return tally_sum(node.tally for node in self.others) if self.others else None

    @property
    def current_max(self) -> Decimal:
        return sum((node.framework_max for node in self.currents), Decimal(0))

    @property
    def other_max(self) -> Decimal:
        return sum((node.framework_max for node in self.others), Decimal(0))

    @property
    def combined(self) -> bool:
        """Several criteria on a side: merged or split between the editions."""
        return len(self.currents) > 1 or len(self.others) > 1

    @property
    def renamed(self) -> bool:
        """Matched under other codes or other wording: the other year's is worth showing."""
        return [(n.code, n.title) for n in self.currents] != [
            (n.code, n.title) for n in self.others
        ]

    @property
    def same_max(self) -> bool:
        return bool(self.currents and self.others) and self.current_max == self.other_max

    @property
    def change(self) -> Decimal | None:
        if not (self.currents and self.others):
            return None
        return self.current_tally.achieved - self.other_tally.achieved

    @property
    def index_change(self) -> Decimal | None:
        if not (self.currents and self.others):
            return None
        return index_change(self.current_tally, self.other_tally)


@dataclass
class Comparison:
    current: AssessmentBreakdown
    other: AssessmentBreakdown
    same_framework: bool
    fields: list[ComparedNode]
    criteria: list[ComparedNode]
    unmatched_current: list[NodeResult]
    unmatched_other: list[NodeResult]
    # Nội vụ's mapping of the two editions; None where matched by code.
    mapping: EditionMapping | None = None

    @property
    def mapped(self) -> bool:
        return self.mapping is not None

    @property
    def total_change(self) -> Decimal:
        return self.current.total.achieved - self.other.total.achieved

    @property
    def index_change(self) -> Decimal | None:
        return index_change(self.current.total, self.other.total)


def index_change(now: Tally, then: Tally) -> Decimal | None:
    """Change of the % achieved, in percentage points: the fair comparison where the max changed."""
    if now.index_pct is None or then.index_pct is None:
        return None
    return now.index_pct - then.index_pct


def compare_years(current: Assessment, other: Assessment) -> Comparison:
    """Two years of one unit, criteria matched through the editions' counterparts."""
    now, then = assessment_breakdown(current), assessment_breakdown(other)
    if current.framework_id == other.framework_id:
        links, mapping = {node.criterion_id: (node.criterion_id,) for node in now.nodes}, None
    else:
        links, mapping = _links(current, other)
    rows = _compared(now.nodes, then.nodes, links)
    matched_other = {node.criterion_id for row in rows for node in row.others}
    fields = [row for row in rows if row.current.depth == 0]
    fields += [
        ComparedNode((), (node,)) for node in then.fields if node.criterion_id not in matched_other
    ]
    return Comparison(
        current=now,
        other=then,
        same_framework=current.framework_id == other.framework_id,
        fields=fields,
        criteria=[row for row in rows if row.current.depth > 0 and row.others],
        unmatched_current=[row.current for row in rows if row.current.depth > 0 and not row.others],
        unmatched_other=[
            n for n in then.nodes if n.depth > 0 and n.criterion_id not in matched_other
        ],
        mapping=mapping,
    )


def _links(current: Assessment, other: Assessment) -> tuple[Links, EditionMapping | None]:
    """The current year's criteria → the other's, whichever year is the newer edition."""
    if current.framework.year_from >= other.framework.year_from:
        counterparts: Counterparts = edition_counterparts(current.framework, other.framework)
        return counterparts.previous_of, counterparts.mapping
    counterparts = edition_counterparts(other.framework, current.framework)
    return counterparts.next_of, counterparts.mapping


def _compared(now: list[NodeResult], then: list[NodeResult], links: Links) -> list[ComparedNode]:
    """Each current node with no counterpart alone, the linked ones grouped: nodes linked
    to a shared node (through any number of links) are one row, in the current tree's order."""
    then_by_id = {node.criterion_id: node for node in then}
    group_of: dict[int, int] = {}  # other node id → the row that holds it
    rows: list[tuple[list[NodeResult], list[NodeResult]]] = []
    for node in now:
        others = [then_by_id[pk] for pk in links.get(node.criterion_id, ()) if pk in then_by_id]
        joined = sorted({group_of[o.criterion_id] for o in others if o.criterion_id in group_of})
        if joined:
            index = joined[0]
            for merged in reversed(joined[1:]):  # a later row linked to this node too
                rows[index][0].extend(rows[merged][0])
                rows[index][1].extend(rows[merged][1])
                rows[merged] = ([], [])
        else:
            index = len(rows)
            rows.append(([], []))
        rows[index][0].append(node)
        rows[index][1].extend(o for o in others if o.criterion_id not in group_of)
        for held in rows[index][1]:
            group_of[held.criterion_id] = index
    now_place = {node.criterion_id: index for index, node in enumerate(now)}
    then_place = {node.criterion_id: index for index, node in enumerate(then)}
    return [
        ComparedNode(_in_order(currents, now_place), _in_order(others, then_place))
        for currents, others in rows
        if currents
    ]


def _in_order(nodes: list[NodeResult], place: dict[int, int]) -> tuple[NodeResult, ...]:
    """`nodes` in their tree's order (`place`: criterion id → position)."""
    return tuple(sorted(nodes, key=lambda node: place[node.criterion_id]))
