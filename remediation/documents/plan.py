"""The plan (Kế hoạch khắc phục, Mẫu 1.4 of Nghị định 30, ký hiệu KH) as a document,
worded as seed 004: every field numbered by the framework's own code, nothing printed
for what is still empty (no dotted gaps), the task matrix of seed 001 as a landscape
appendix when the plan prints it."""

from datetime import date

from cchc.documents.docx import document_docx
from cchc.documents.model import (
    Appendix,
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
from cchc.documents.pdf import document_pdf
from cchc.formatting import format_points
from cchc.text import in_sentence
from remediation import texts
from remediation.models import Plan, Task
from remediation.selectors import PlanDocument, SectionView, plan_document
from scoring.engine import Tally

SUBITEM = "+ "
FIELD_COLUMNS = (
    Column("TT", 7, "center"),
    Column("Nội dung", 51),
    Column("Điểm tối đa", 13, "center"),
    Column("Điểm thẩm định", 16, "center"),
    Column("Điểm bị trừ", 13, "center"),
)
TASK_COLUMNS = (  # seed 001's matrix
    Column("TT", 5, "center"),
    Column("Mục tiêu/Chỉ tiêu", 14),
    Column("Nhiệm vụ", 14),
    Column("Hoạt động", 14),
    Column("Kết quả, sản phẩm", 12),
    Column("Chủ trì", 11),
    Column("Phối hợp", 11),
    Column("Thời gian hoàn thành", 9, "center"),
    Column("Kinh phí (triệu đồng)", 10, "center"),
)


def plan_document_model(plan: Plan, on: date) -> Document:
    """The plan as printed on `on` (the day only matters to what is overdue)."""
    doc = plan_document(plan, on)
    return Document(
        metadata=_metadata(plan),
        header=Header(
            issuer_lines=tuple(doc.issuer_lines),
            number_line=doc.number_line,
            dated_line=doc.dated_line,
            kind="KẾ HOẠCH",
            summary=plan.summary,
            supervising_agency=plan.supervising_agency,
        ),
        body=(
            *_opening(doc),
            *_purpose(doc),
            *_results(doc),
            *_sections(doc),
            *_organisation(doc),
        ),
        signoff=Signoff(
            recipients=tuple(doc.recipients),
            authority=plan.signer_authority,
            position=plan.signer_position,
            signer_name=plan.signer_name,
        ),
        appendices=(_appendix(doc),) if doc.prints_appendix else (),
        filename=f"ke-hoach-khac-phuc-{plan.unit.code}-{plan.year}",
    )


def plan_pdf(plan: Plan, on: date, *, signature_field: bool = False) -> bytes:
    """The plan as PDF; with `signature_field`, an empty field for ký số where it is signed."""
    return document_pdf(plan_document_model(plan, on), signature_field=signature_field)


def plan_docx(plan: Plan, on: date) -> bytes:
    """The plan as a .docx with the same words and the Nghị định 30 layout."""
    return document_docx(plan_document_model(plan, on))


def _metadata(plan: Plan) -> Metadata:
    return Metadata(
        title=f"Kế hoạch {in_sentence(plan.summary)} - {plan.unit.name}",
        author=texts.agency_name(plan.unit),
        subject=plan.summary,
        keywords=("cải cách hành chính", "kế hoạch khắc phục", str(plan.year)),
        created=plan.issued_on,
    )


def _opening(doc: PlanDocument) -> list[Block]:
    year = doc.plan.year
    return [
        *(Paragraph(line, "basis") for line in doc.legal_bases),
        Paragraph(
            "Để kịp thời khắc phục các tồn tại, hạn chế và các tiêu chí bị trừ điểm trong công "
            f"tác cải cách hành chính năm {year}, {doc.own_name} xây dựng Kế hoạch khắc phục "
            "như sau:"
        ),
    ]


def _purpose(doc: PlanDocument) -> list[Block]:
    return [
        Heading("I. MỤC ĐÍCH, YÊU CẦU"),
        Heading("1. Mục đích", 2),
        *_items(doc.purpose),
        Heading("2. Yêu cầu", 2),
        *_items(doc.requirements),
    ]


def _results(doc: PlanDocument) -> list[Block]:
    blocks: list[Block] = [Heading("II. KẾT QUẢ ĐẠT ĐƯỢC"), Paragraph(doc.results_sentence)]
    if doc.fields and doc.total:
        rows = [Row((row.number, row.title, *_tally(row.tally))) for row in doc.fields]
        rows.append(Row(("", "Tổng điểm", *_tally(doc.total)), "total"))
        blocks.append(Table(FIELD_COLUMNS, tuple(rows), keep_together=True))
    return blocks


def _tally(tally: Tally) -> tuple[str, ...]:
    return _points(tally.max_points, tally.achieved, tally.deducted)


def _points(*values) -> tuple[str, ...]:
    return tuple(format_points(value) for value in values)


def _sections(doc: PlanDocument) -> list[Block]:
    blocks: list[Block] = [Heading("III. NỘI DUNG TRỪ ĐIỂM, NHIỆM VỤ VÀ GIẢI PHÁP KHẮC PHỤC")]
    for view in doc.sections:
        blocks += _section(view)
    return blocks


def _section(view: SectionView) -> list[Block]:
    """ "7.1. Điểm số bị trừ …", then only what the plan says: the sub-numbers follow
    each other whatever is left out."""
    section = view.section
    deducted = f"Điểm số bị trừ: {format_points(view.deducted)} điểm"
    parts: list[tuple[str, list[Block]]] = [
        (
            deducted + _opens(view),
            [_deduction_line(line, last) for line, last in _with_last(view.lines)],
        )
    ]
    for label, value in (
        ("Thời gian khắc phục", section.deadline),
        ("Chủ trì thực hiện", section.lead),
        ("Phối hợp", section.coordinators),
    ):
        if value.strip():
            parts.append((f"{label}: {value.strip().rstrip('.')}.", []))
    if view.solutions:
        parts.append(("Giải pháp thực hiện:", _items(view.solutions)))
    blocks: list[Block] = [Heading(f"{view.number}. {view.title}", 2)]
    for number, (text, under) in enumerate(parts, start=1):
        blocks += [Paragraph(f"{view.number}.{number}. {text}"), *under]
    return blocks


def _opens(view: SectionView) -> str:
    if not view.lines:
        return "."
    return ", đó là:" if view.whole_field else ", trong đó:"


def _deduction_line(line: str, last: bool) -> Paragraph:
    if line.startswith(SUBITEM.strip()):
        return Paragraph(_ended(line.lstrip("+ ").strip(), last), "subitem")
    return Paragraph(_ended(line.lstrip("-–• ").strip(), last), "item")


def _with_last(lines: list[str]) -> list[tuple[str, bool]]:
    return [(line, index == len(lines) - 1) for index, line in enumerate(lines)]


def _ended(text: str, last: bool) -> str:
    """Items end with ";" and the last with "." (a line ending in ":" opens sub-items)."""
    if text.endswith(":"):
        return text
    return text.rstrip(".;") + ("." if last else ";")


def _items(lines: list[str]) -> list[Block]:
    return [Paragraph(_ended(line, last), "item") for line, last in _with_last(lines)]


def _organisation(doc: PlanDocument) -> list[Block]:
    plan = doc.plan
    lines = list(doc.organisation)
    if doc.prints_appendix:
        budget = (
            f" (tổng kinh phí dự kiến {format_points(doc.budget_total)} triệu đồng)"
            if doc.budget_total
            else ""
        )
        lines.append(
            "Các nhiệm vụ cụ thể, cơ quan chủ trì, phối hợp, thời gian hoàn thành và kinh phí "
            f"tại Phụ lục kèm theo Kế hoạch này{budget}."
        )
    return [
        Heading("IV. TỔ CHỨC THỰC HIỆN"),
        *(Paragraph(f"{number}. {line}") for number, line in enumerate(lines, start=1)),
        Paragraph(
            "Trên đây là Kế hoạch khắc phục tồn tại, hạn chế trong công tác cải cách hành "
            f"chính năm {plan.year} của {doc.own_name}; đề nghị các cơ quan, bộ phận, cá nhân "
            "liên quan nghiêm túc triển khai thực hiện./.",
            "closing",
        ),
    ]


def _appendix(doc: PlanDocument) -> Appendix:
    rows: list[Row] = []
    for view in doc.sections:
        rows.append(Row((view.number, view.title.upper()), "group"))
        rows += [_task_row(number, task) for number, task in enumerate(view.tasks, start=1)]
    if doc.budget_total:
        blank = ("",) * (len(TASK_COLUMNS) - 3)
        total = format_points(doc.budget_total)
        rows.append(Row(("", "Tổng kinh phí (triệu đồng)", *blank, total), "total"))
    return Appendix(
        title="PHỤ LỤC",
        summary=(
            "NHIỆM VỤ KHẮC PHỤC TỒN TẠI, HẠN CHẾ TRONG CÔNG TÁC CẢI CÁCH HÀNH CHÍNH "
            f"NĂM {doc.plan.year}"
        ),
        note=(f"(Kèm theo Kế hoạch số {doc.number_short} {doc.date_phrase} của {doc.short_name})"),
        blocks=(Table(TASK_COLUMNS, tuple(rows), size="small"),),
    )


def _task_row(number: int, task: Task) -> Row:
    return Row(
        (
            str(number),
            task.objective,
            task.name,
            task.activities,
            task.output,
            task.lead,
            task.coordinators,
            task.deadline,
            task.budget,
        )
    )
