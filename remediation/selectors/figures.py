"""The figures of a plan's "nội dung bị trừ điểm" as people type them, checked with the
checks of a published table (`scoring.reconcile.checks`).

A line is read as it is drafted ("Tiêu chí 1.3. …: đạt 0,5/2 điểm, bị trừ 1,5 điểm.")
or as seed 004 types it: "1,43/1,5 điểm (bị trừ 0,7 điểm)", "bị trừ 1 điểm (tổng 0,5
điểm)", "bị trừ 0,53/2 điểm", "bị trừ 0,38 điểm". Lines under a line ("+ …", or "- …"
under a line ending in ":") belong to it; the other lines are the field's, whose
deduction the engine gives. Only sections whose deductions a person edited are
checked (the plan page warns in them): the drafted points are the engine's own, and
the reasons it quotes are the appraisers'.
"""

import re

from remediation.selectors.document import PlanDocument, SectionView
from scoring.reconcile.checks import check_detail
from scoring.reconcile.differences import Findings
from scoring.reconcile.reading import NUMBER, DetailRow, parse_number

SUBITEM = "+"
BULLETS = "-•–*"
LABEL_LENGTH = 80
# "bị trừ 0,7", "bị trừ: 0,25", "bị trừ 0,53/2" (deducted of max).
DEDUCTED = re.compile(rf"bị trừ\s*:?\s*({NUMBER})(?:\s*/\s*({NUMBER}))?", re.IGNORECASE)
# "1,43/1,5 điểm", "đạt 0,5/2 điểm" (achieved of max); not "42/2022/NĐ-CP".
ACHIEVED_OF = re.compile(rf"({NUMBER})\s*/\s*({NUMBER})\s*điểm", re.IGNORECASE)
# "(tổng 0,5 điểm)": the criterion's max.
TOTAL_OF = re.compile(rf"tổng\s*:?\s*({NUMBER})", re.IGNORECASE)


def line_figures(number: int, text: str) -> DetailRow:
    """One line's figures; a number that does not read is no figure."""
    row = DetailRow(number=number, content=_label(text))
    rest = text
    deducted = DEDUCTED.search(rest)
    if deducted:
        row.deducted = _number(deducted.group(1))
        row.max_points = _number(deducted.group(2))
        rest = rest[: deducted.start()] + " " + rest[deducted.end() :]
    achieved = ACHIEVED_OF.search(rest)
    if achieved:
        row.achieved, row.max_points = _number(achieved.group(1)), _number(achieved.group(2))
    elif row.max_points is None and (total := TOTAL_OF.search(rest)):
        row.max_points = _number(total.group(1))
    return row


def _number(text: str | None):
    try:
        return parse_number(text or "")
    except ValueError:
        return None


def _label(text: str) -> str:
    label = text.partition(":")[0].strip() or text
    return label if len(label) <= LABEL_LENGTH else label[: LABEL_LENGTH - 1].rstrip() + "…"


def section_lines(text: str) -> list[DetailRow]:
    """The text's lines with their figures. A "+ " line belongs to the line before it, as
    drafted; a bulleted line ("- ") to the line above that ends with ":" ("Điểm số bị
    trừ: 1,87 điểm, trong đó:"), as people type them; other lines are the field's."""
    rows: list[DetailRow] = []
    head: DetailRow | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        row = line_figures(number, line.lstrip(SUBITEM + BULLETS + " "))
        if line.startswith(SUBITEM) and rows:
            rows[-1].children.append(row)
        elif line[0] in BULLETS and head is not None:
            head.children.append(row)
        else:
            rows.append(row)
            head = row if line[0] not in BULLETS and line.endswith(":") else None
    return rows


def section_checks(view: SectionView) -> Findings:
    """A section's typed figures: each line, lines under a line, the field's sum."""
    field = DetailRow(
        number=None,
        item=view.number,
        content=view.title,
        deducted=view.deducted,
        children=section_lines(view.section.deductions),
    )
    findings = check_detail([field], None, what="các dòng")
    # The lines in their order, then the field's sum.
    findings.differences.sort(key=lambda d: (d.row is None, d.row or 0))
    return findings


def plan_figure_checks(document: PlanDocument) -> dict[int, Findings]:
    """Section pk → what its hand-edited deductions text gets wrong (or cannot verify)."""
    return {
        view.section.pk: section_checks(view)
        for view in document.sections
        if "deductions" in view.section.edited_fields and view.section.deductions.strip()
    }
