"""The progress report's part "Kết quả khắc phục so với năm Y+1": the figures of the
plan page (remediation.selectors.effectiveness) as document blocks."""

from itertools import count

from cchc.documents.model import Block, Column, Heading, Paragraph, Row, Table
from cchc.formatting import format_points
from remediation.selectors.effectiveness import FLAG, Losses, PlanEffectiveness


def effectiveness_blocks(effect: PlanEffectiveness, numeral: str) -> tuple[Block, ...]:
    """Nothing until Y+1 is appraised: the report then has no such part."""
    if not effect.ready:
        return ()
    year, next_year = effect.plan.year, effect.next_year
    columns = (
        Column("TT", 6, "center"),
        Column("Lĩnh vực, nhiệm vụ", 34),
        Column("Tiêu chí", 16),
        Column(f"Bị trừ năm {year}", 11, "center"),
        Column(f"Bị trừ năm {next_year}", 11, "center"),
        Column("Kết quả", 22),
    )
    notes = [effect.follow_up_sentence, effect.uncounted_note]
    return (
        Heading(f"{numeral}. KẾT QUẢ KHẮC PHỤC SO VỚI NĂM {next_year}"),
        Paragraph(effect.sentence),
        Table(columns=columns, rows=_rows(effect), size="small"),
        *(Paragraph(note) for note in notes if note),
        *_flagged(effect),
    )


def _rows(effect: PlanEffectiveness) -> tuple[Row, ...]:
    """Tasks numbered through the plan, as part II of the report numbers them."""
    rows: list[Row] = []
    numbers = count(1)
    for area in effect.fields:
        rows.append(Row((area.code, area.title, "", *_figures(area.losses)), kind="total"))
        rows.extend(
            Row((str(next(numbers)), o.name, o.criteria_label, *_figures(o.losses)))
            for o in area.tasks
        )
    rows.append(Row(("", "Cả kế hoạch", "", *_figures(effect.total)), kind="total"))
    return tuple(rows)


def _figures(losses: Losses) -> tuple[str, str, str]:
    return format_points(losses.before), format_points(losses.after) or "—", losses.verdict


def _flagged(effect: PlanEffectiveness) -> tuple[Block, ...]:
    if not effect.flagged:
        return ()
    return (
        Paragraph(f"{FLAG} năm {effect.next_year}, cần xem lại giải pháp:"),
        *(
            Paragraph(
                f"{outcome.name} (bị trừ {format_points(outcome.losses.after)} điểm);",
                style="item",
            )
            for outcome in effect.flagged
        ),
    )
