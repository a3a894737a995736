"""The year's analysis report (seed 002: "BÁO CÁO Kết quả rà soát, đánh giá Chỉ số cải
cách hành chính huyện An Lão năm 2021") as a document, from a published result only.

It says what the data says: the decision that published the result, the total and
index, the two parts, the rank in the khối and its change since last year, the
classification, the table of fields, then per field (numbered by its framework code)
its points and what it lost and why (`scoring.reports.deductions`). The seed's own
appraisal of causes and next year's targets are the office's to write in Word.
"""

from decimal import Decimal

from cchc.documents.model import (
    Block,
    Column,
    Document,
    Header,
    Heading,
    Metadata,
    Paragraph,
    Row,
    Signoff,
    Table,
)
from cchc.formatting import format_percent, format_points
from cchc.text import in_sentence
from remediation import texts
from scoring.engine import AssessmentBreakdown, NodeResult, assessment_breakdown, classify
from scoring.engine.ranking import UnitRank, unit_rank
from scoring.models import (
    Assessment,
    AssessmentStatus,
    ClassificationBand,
    PublicationDecision,
    Unit,
    UnitLevel,
)
from scoring.reports.deductions import SUBITEM, deduction_reasons, field_deduction_lines
from scoring.units.lineage import unit_lineage_label

PUBLISHED = [AssessmentStatus.PUBLISHED]
FIELD_COLUMNS = (
    Column("Mã", 8, "center"),
    Column("Lĩnh vực", 50),
    Column("Điểm tối đa", 14, "right"),
    Column("Điểm đạt", 14, "right"),
    Column("Điểm bị trừ", 14, "right"),
)


class UnpublishedResult(ValueError):
    """The analysis report is of a published result: nothing else leaves its scope."""


def analysis_document_model(assessment: Assessment) -> Document:
    """The report of `assessment`; raises UnpublishedResult unless it is published."""
    if assessment.status != AssessmentStatus.PUBLISHED:
        raise UnpublishedResult(
            f"Kết quả năm {assessment.year} của {in_sentence(assessment.unit.name)} chưa được "
            "công bố nên chưa có báo cáo kết quả."
        )
    unit = assessment.unit
    breakdown = assessment_breakdown(assessment)
    decision = PublicationDecision.objects.filter(
        group_id=assessment.ranking_group_id, year=assessment.year
    ).first()
    summary = (
        "Kết quả rà soát, đánh giá Chỉ số cải cách hành chính "
        f"{in_sentence(unit.name)} năm {assessment.year}"
    )
    return Document(
        metadata=Metadata(
            title=f"Báo cáo {summary[0].lower()}{summary[1:]}",
            author=_agency(unit),
            subject=summary,
            keywords=("Chỉ số cải cách hành chính", "báo cáo", str(assessment.year)),
            created=decision.signed_on if decision else None,
        ),
        header=_header(unit, assessment.year, summary),
        body=(
            *_opening(unit, assessment.year, decision),
            *_results(breakdown, _rank(assessment), _classification(assessment, breakdown)),
            *_fields(breakdown),
        ),
        signoff=_signoff(unit),
        filename=f"bao-cao-chi-so-cchc-{unit.code}-{assessment.year}",
    )


def is_ubnd(unit: Unit) -> bool:
    """Whether the unit's documents are its UBND's: a UBND's own document carries no
    supervising line above its name (seeds 003, 004); a department's names its UBND."""
    return unit.level != UnitLevel.DEPARTMENT


def _agency(unit: Unit) -> str:
    return f"Ủy ban nhân dân {in_sentence(unit.name)}" if is_ubnd(unit) else unit.name


def _header(unit: Unit, year: int, summary: str) -> Header:
    supervising = "" if is_ubnd(unit) or not unit.parent else f"UBND {unit.parent.name}"
    return Header(
        issuer_lines=tuple(texts.agency_lines(_agency(unit).upper())),
        number_line=texts.number_line("/BC-UBND" if is_ubnd(unit) else "/BC"),
        dated_line=texts.dated_line(texts.place_name(unit), None, year + 1),
        kind="BÁO CÁO",
        summary=summary,
        supervising_agency=supervising.upper(),
    )


def _opening(unit: Unit, year: int, decision: PublicationDecision | None) -> list[Block]:
    blocks: list[Block] = []
    published = "được công bố"
    if decision is not None:
        blocks.append(Paragraph(texts.decision_citation(decision), style="basis"))
        by = f" {decision.issuer}" if decision.issuer else ""
        published = f"được{by} công bố ngày {decision.signed_on:%d/%m/%Y}"
    who = texts.short_name(unit) if is_ubnd(unit) else unit.name
    blocks.append(
        Paragraph(
            f"Trên cơ sở kết quả Chỉ số cải cách hành chính (CCHC) năm {year} {published}, "
            f"{who} tiến hành phân tích, rà soát kết quả Chỉ số CCHC năm {year} với những nội "
            "dung cụ thể như sau:"
        )
    )
    return blocks


def _rank(assessment: Assessment) -> UnitRank | None:
    return unit_rank(assessment, statuses=PUBLISHED)


def _classification(assessment: Assessment, breakdown: AssessmentBreakdown) -> str:
    bands = ClassificationBand.objects.filter(group_id=assessment.ranking_group_id)
    return classify(breakdown.total.index_pct, list(bands.order_by("-min_index")))


def _results(breakdown: AssessmentBreakdown, rank: UnitRank | None, label: str) -> list[Block]:
    assessment, total = breakdown.assessment, breakdown.total
    sentence = (
        f"Kết quả Chỉ số CCHC năm {assessment.year} của {in_sentence(assessment.unit.name)} "
        f"đạt {_points(total.achieved, total.max_points)}, "
        f"chỉ số {format_percent(total.index_pct)}%"
    )
    if rank is not None:
        sentence += _change(rank, total.achieved, assessment.year - 1) or _lineage(assessment)
        group = in_sentence(assessment.ranking_group.name)
        sentence += f", xếp thứ {rank.rank}/{rank.group_size} trong {group}"
    if label:
        sentence += f", xếp loại {label}"
    blocks: list[Block] = [Heading("I. KẾT QUẢ CHUNG")]
    parts = breakdown.parts
    if parts is None:
        return [*blocks, Paragraph(f"{sentence}.")]
    return [
        *blocks,
        Paragraph(f"{sentence}, cụ thể:"),
        Paragraph(
            "Kết quả thẩm định các lĩnh vực đạt "
            f"{_points(parts.assessment.achieved, parts.assessment.max_points)};",
            style="subitem",
        ),
        Paragraph(
            "Kết quả điều tra xã hội học đạt "
            f"{_points(parts.survey.achieved, parts.survey.max_points)}.",
            style="subitem",
        ),
    ]


def _change(rank: UnitRank, achieved: Decimal, last_year: int) -> str:
    """ ", tăng 0,96 điểm và giảm 02 bậc so với năm 2020"; nothing without last year."""
    if rank.prev_tally is None:
        return ""
    diff = achieved - rank.prev_tally.achieved
    points = f"{'tăng' if diff >= 0 else 'giảm'} {format_points(abs(diff))} điểm"
    places = rank.rank_change or 0
    if places:
        steps = f"{'tăng' if places > 0 else 'giảm'} {abs(places):02d} bậc"
    else:
        steps = "giữ nguyên thứ hạng"
    return f", {points} và {steps} so với năm {last_year}"


def _lineage(assessment: Assessment) -> str:
    """ " (đơn vị mới hợp nhất từ …, không so sánh với năm 2024)" in the first year of a
    merged or split unit; nothing otherwise."""
    lineage = unit_lineage_label(assessment.unit, assessment.year)
    return f" ({lineage}, không so sánh với năm {assessment.year - 1})" if lineage else ""


def _points(achieved: Decimal, max_points: Decimal) -> str:
    return f"{format_points(achieved)}/{format_points(max_points)} điểm"


def _fields(breakdown: AssessmentBreakdown) -> list[Block]:
    total = breakdown.total
    rows = [
        Row(
            (
                node.code,
                node.title,
                format_points(node.tally.max_points),
                format_points(node.tally.achieved),
                format_points(node.tally.deducted),
            )
        )
        for node in breakdown.fields
    ]
    rows.append(
        Row(
            (
                "",
                "Tổng cộng",
                format_points(total.max_points),
                format_points(total.achieved),
                format_points(total.deducted),
            ),
            kind="total",
        )
    )
    reasons = deduction_reasons(breakdown)
    blocks: list[Block] = [
        Heading("II. KẾT QUẢ TỪNG LĨNH VỰC"),
        Table(columns=FIELD_COLUMNS, rows=tuple(rows), keep_together=True),
    ]
    for node in breakdown.fields:
        blocks += _field_blocks(breakdown, node, reasons)
    return blocks


def _field_blocks(
    breakdown: AssessmentBreakdown, node: NodeResult, reasons: dict[int, str]
) -> list[Block]:
    heading = Heading(f"{node.code}. {node.title}", level=2)
    tally = node.tally
    opening = f"Kết quả năm {breakdown.assessment.year}, lĩnh vực đạt "
    if node.not_applicable or not tally.max_points:
        return [heading, Paragraph("Lĩnh vực không áp dụng đối với đơn vị.")]
    if tally.deducted <= 0:
        return [heading, Paragraph(f"{opening}{_points(tally.achieved, tally.max_points)}.")]
    lines = field_deduction_lines(breakdown, node, reasons)
    sentence = (
        f"{opening}{_points(tally.achieved, tally.max_points)}, "
        f"bị trừ {format_points(tally.deducted)} điểm"
    )
    if not lines:
        return [heading, Paragraph(f"{sentence}.")]
    # A field scored as a whole has only its reasons to list, no criterion.
    found = ":" if node.is_leaf else "; các tiêu chí bị trừ điểm gồm:"
    last = len(lines) - 1
    items = [_line(line, "." if n == last else ";") for n, line in enumerate(lines)]
    return [heading, Paragraph(f"{sentence}{found}"), *items]


def _line(line: str, end: str) -> Paragraph:
    """A list item as Nghị định 30 ends them: ";", the last one "."."""
    text = line.removeprefix(SUBITEM).rstrip(" .;:")
    style = "subitem" if line.startswith(SUBITEM) else "item"
    return Paragraph(text + (":" if line.endswith(":") else end), style=style)


def _signoff(unit: Unit) -> Signoff:
    """To the jurisdiction's UBND and its Nội vụ; signed by the chairman (or director)."""
    parent = unit.parent
    recipients = []
    if parent is not None:
        recipients.append(f"UBND {in_sentence(parent.name)}")
        recipients.append("Sở Nội vụ" if parent.level == UnitLevel.PROVINCE else "Phòng Nội vụ")
    recipients.append("Lưu: VT")
    if not is_ubnd(unit):
        return Signoff(recipients=tuple(recipients), position="GIÁM ĐỐC")
    return Signoff(
        recipients=tuple(recipients), authority="TM. ỦY BAN NHÂN DÂN", position="CHỦ TỊCH"
    )
