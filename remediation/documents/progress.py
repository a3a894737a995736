"""The progress report (Báo cáo kết quả thực hiện kế hoạch khắc phục, ký hiệu BC) as a
document: what each task of the plan had reached on a date, the overdue ones named."""

from datetime import date

from cchc.documents.model import (
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
from cchc.text import in_sentence
from remediation import texts
from remediation.documents.effectiveness import effectiveness_blocks
from remediation.models import Plan
from remediation.selectors.effectiveness import plan_effectiveness
from remediation.selectors.progress import ProgressReport, TaskProgress, progress_report
from scoring.reports.analysis import is_ubnd

COLUMNS = (
    Column("TT", 5, "center"),
    Column("Nhiệm vụ", 33),
    Column("Chủ trì", 16),
    Column("Thời gian hoàn thành", 14, "center"),
    Column("Trạng thái", 13, "center"),
    Column("Tiến độ", 9, "center"),
    Column("Quá hạn", 10, "center"),
)


def progress_document_model(plan: Plan, on: date) -> Document:
    """The report as of `on`, from the plan's tasks and their progress updates."""
    report = progress_report(plan, on)
    overdue = _overdue_blocks(report)
    effect = plan_effectiveness(
        plan, [row.task for row in report.rows], statuses={r.task.pk: r.status for r in report.rows}
    )
    summary = (
        "Kết quả thực hiện Kế hoạch khắc phục tồn tại, hạn chế trong công tác cải cách "
        f"hành chính năm {plan.year} (tính đến ngày {on:%d/%m/%Y})"
    )
    return Document(
        metadata=Metadata(
            title=f"Báo cáo {summary[0].lower()}{summary[1:]} - {plan.unit.name}",
            author=f"Ủy ban nhân dân {in_sentence(plan.unit.name)}",
            subject=summary,
            keywords=("cải cách hành chính", "báo cáo", str(plan.year)),
            created=on,
        ),
        header=Header(
            issuer_lines=tuple(texts.agency_lines(plan.issuing_agency)),
            number_line=texts.number_line("/BC-UBND"),
            dated_line=texts.dated_line(plan.place, None, on.year),
            kind="BÁO CÁO",
            summary=summary,
            supervising_agency="" if is_ubnd(plan.unit) else plan.supervising_agency,
        ),
        body=(
            Paragraph(_opening(plan, on)),
            Heading("I. KẾT QUẢ CHUNG"),
            Paragraph(_counts(report)),
            Heading("II. KẾT QUẢ TỪNG NHIỆM VỤ"),
            Table(columns=COLUMNS, rows=_task_rows(report.rows), size="small"),
            *overdue,
            *effectiveness_blocks(effect, "IV" if overdue else "III"),
        ),
        signoff=Signoff(
            recipients=tuple(_lines(plan.recipients)),
            authority=plan.signer_authority,
            position=plan.signer_position,
            signer_name=plan.signer_name,
        ),
        filename=f"bao-cao-{plan.unit.code}-{on:%Y%m%d}",
    )


def _opening(plan: Plan, on: date) -> str:
    short = texts.short_name(plan.unit)
    number = texts.number_line(plan.number).removeprefix("Số: ")
    when = texts.date_phrase(plan.issued_on, plan.work_year)
    return (
        f"Thực hiện Kế hoạch số {number} {when} của {short} về khắc phục tồn tại, hạn chế "
        f"trong công tác cải cách hành chính năm {plan.year}, {short} báo cáo kết quả thực "
        f"hiện tính đến ngày {on:%d/%m/%Y} như sau:"
    )


def _counts(report: ProgressReport) -> str:
    counts = (
        f"Kế hoạch có {report.total} nhiệm vụ: hoàn thành {report.done}; đang thực hiện "
        f"{report.in_progress}; chưa thực hiện {report.not_started}"
    )
    if report.cancelled:
        counts += f"; không thực hiện {report.cancelled}"
    return f"{counts}. Số nhiệm vụ quá hạn: {len(report.overdue_rows)}."


def _task_rows(rows: list[TaskProgress]) -> tuple[Row, ...]:
    """The tasks under their field's row, in the plan's order."""
    table: list[Row] = []
    field_id = None
    for row in rows:
        field = row.task.section.field
        if field.pk != field_id:
            field_id = field.pk
            table.append(Row((field.code, field.title), kind="group"))
        table.append(
            Row(
                (
                    str(row.number),
                    _task_text(row),
                    row.task.lead,
                    row.task.deadline,
                    row.status_label,
                    f"{row.progress}%",
                    "Quá hạn" if row.overdue else "",
                )
            )
        )
    return tuple(table)


def _task_name(row: TaskProgress) -> str:
    return row.task.name or row.task.objective


def _task_text(row: TaskProgress) -> str:
    return f"{_task_name(row)}\n{row.note}" if row.note else _task_name(row)


def _overdue_blocks(report: ProgressReport) -> tuple:
    """The tasks past their deadline, each named with who leads it: nothing to say
    (and no section) when none is."""
    if not report.overdue_rows:
        return ()
    return (
        Heading("III. NHIỆM VỤ QUÁ HẠN"),
        Paragraph(
            "Các nhiệm vụ sau đã quá thời hạn hoàn thành, cần tập trung chỉ đạo thực hiện dứt điểm:"
        ),
        *(Paragraph(_overdue_line(row), style="item") for row in report.overdue_rows),
    )


def _overdue_line(row: TaskProgress) -> str:
    task = row.task
    facts = [f"chủ trì: {task.lead}"] if task.lead else []
    facts.append(f"thời hạn: {task.deadline or f'{task.due_date:%d/%m/%Y}'}")
    facts.append(f"{row.status_label.lower()}, {row.progress}%")
    return f"{_task_name(row)} ({'; '.join(facts)});"


def _lines(text: str) -> list[str]:
    return [
        line.strip().lstrip("-–•+ ").rstrip(";.").strip()
        for line in text.splitlines()
        if line.strip()
    ]
