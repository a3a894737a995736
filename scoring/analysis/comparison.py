"""Year comparison, also across framework editions."""

from dataclasses import dataclass
from decimal import Decimal

from scoring.engine import (
    AssessmentBreakdown,
    NodeResult,
    Tally,
    assessment_breakdown,
)
from scoring.models import (
    Assessment,
)


@dataclass(frozen=True)
class ComparedNode:
    current: NodeResult | None
    other: NodeResult | None

    @property
    def code(self) -> str:
        return (self.current or self.other).code

    @property
    def same_max(self) -> bool:
        return (
            self.current is not None
            and self.other is not None
            and self.current.framework_max == self.other.framework_max
        )

    @property
    def change(self) -> Decimal | None:
        if self.current is None or self.other is None:
            return None
        return self.current.tally.achieved - self.other.tally.achieved

    @property
    def index_change(self) -> Decimal | None:
        if self.current is None or self.other is None:
            return None
        return index_change(self.current.tally, self.other.tally)


@dataclass
class Comparison:
    current: AssessmentBreakdown
    other: AssessmentBreakdown
    same_framework: bool
    fields: list[ComparedNode]
    criteria: list[ComparedNode]
    unmatched_current: list[NodeResult]
    unmatched_other: list[NodeResult]

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
    """Two years of one unit, criteria matched by code; fields always compared."""
    now, then = assessment_breakdown(current), assessment_breakdown(other)
    then_by_code = {node.code: node for node in then.nodes}
    now_codes = {node.code for node in now.nodes}
    fields = [ComparedNode(node, then_by_code.get(node.code)) for node in now.fields]
    fields += [ComparedNode(None, node) for node in then.fields if node.code not in now_codes]
    criteria = [
        ComparedNode(node, then_by_code[node.code])
        for node in now.nodes
        if node.depth > 0 and node.code in then_by_code
    ]
    return Comparison(
        current=now,
        other=then,
        same_framework=current.framework_id == other.framework_id,
        fields=fields,
        criteria=criteria,
        unmatched_current=[n for n in now.nodes if n.depth > 0 and n.code not in then_by_code],
        unmatched_other=[n for n in then.nodes if n.depth > 0 and n.code not in now_codes],
    )
