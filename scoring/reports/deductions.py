"""What a field lost and why, one line per deducted criterion (seeds 002 and 004).

    Tiêu chí 1.1. Thực hiện Kế hoạch CCHC: đạt 1,43/1,5 điểm, bị trừ 0,07 điểm
    Tiêu chí 3.2. Một cửa, một cửa liên thông: đạt 0,5/1,5 điểm, bị trừ 1 điểm, trong đó:
    + Tiêu chí 3.2.1. …: đạt 0/0,5 điểm, bị trừ 0,5 điểm. <the appraisers' comment>
    Tiêu chí 7.11. …: đạt 7,74/9,5 điểm, bị trừ 1,76 điểm:
    + <the first line of its reason>
    + <the second line>

A leaf's reason is the appraisers' comment, else the unit's note (the imported
results carry theirs there). A field scored as a whole has no criterion to name: its
lines are its reason, one a line. Lines under a criterion start with "+ ".
"""

from cchc.formatting import format_points
from scoring.engine import AssessmentBreakdown, NodeResult
from scoring.models import Score

SUBITEM = "+ "


def deduction_reasons(breakdown: AssessmentBreakdown) -> dict[int, str]:
    """The reason each deducted leaf lost points, by criterion id (1 query)."""
    deducted = [node.criterion_id for node in _deducted_leaves(breakdown.nodes)]
    scores = Score.objects.filter(
        assessment=breakdown.assessment, criterion_id__in=deducted
    ).values_list("criterion_id", "appraisal_comment", "note")
    return {criterion: (comment or note).strip() for criterion, comment, note in scores}


def field_deduction_lines(
    breakdown: AssessmentBreakdown, field: NodeResult, reasons: dict[int, str]
) -> list[str]:
    """The field's deducted criteria in document order, grouped under their criterion."""
    if field.is_leaf:
        return _reason_lines(reasons.get(field.criterion_id, ""))
    children = _children(breakdown.nodes)
    lines: list[str] = []
    for criterion in children.get(field.criterion_id, []):
        if criterion.not_applicable or criterion.tally.deducted <= 0:
            continue
        if criterion.is_leaf:
            lines += _leaf_lines(criterion, reasons)
            continue
        lines.append(f"{_points_line(criterion)}, trong đó:")
        lines += [
            SUBITEM + _leaf_line(leaf, reasons)
            for leaf in _deducted_leaves(_descendants(criterion, children))
        ]
    return lines


def _leaf_lines(leaf: NodeResult, reasons: dict[int, str]) -> list[str]:
    """A leaf whose reason has several lines (seed 004's field 7 remainder) lists them
    under its points; one line follows them."""
    reason = _reason_lines(reasons.get(leaf.criterion_id, ""))
    if len(reason) < 2:
        return [_leaf_line(leaf, reasons)]
    return [f"{_points_line(leaf)}:", *(SUBITEM + line for line in reason)]


def _leaf_line(leaf: NodeResult, reasons: dict[int, str]) -> str:
    reason = "; ".join(_reason_lines(reasons.get(leaf.criterion_id, "")))
    return f"{_points_line(leaf)}. {reason}" if reason else _points_line(leaf)


def _points_line(node: NodeResult) -> str:
    tally = node.tally
    name = f"Tiêu chí {node.code}"
    name += "" if node.title == name else f". {node.title}"
    return (
        f"{name}: đạt {format_points(tally.achieved)}/"
        f"{format_points(tally.max_points)} điểm, bị trừ {format_points(tally.deducted)} điểm"
    )


def _reason_lines(reason: str) -> list[str]:
    return [line.strip().rstrip(".;").strip() for line in reason.splitlines() if line.strip()]


def _children(nodes: list[NodeResult]) -> dict[int, list[NodeResult]]:
    children: dict[int, list[NodeResult]] = {}
    for node in nodes:
        if node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node)
    return children


def _descendants(node: NodeResult, children: dict[int, list[NodeResult]]) -> list[NodeResult]:
    found = []
    for child in children.get(node.criterion_id, []):
        found += [child, *_descendants(child, children)]
    return found


def _deducted_leaves(nodes: list[NodeResult]) -> list[NodeResult]:
    return [n for n in nodes if n.is_leaf and not n.not_applicable and n.tally.deducted > 0]
