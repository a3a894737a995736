"""The task list as an Excel workbook, for people to read and print.

Task texts are typed by people, so they go through `cchc.spreadsheets` and open
as text, never as a live formula."""

import io
from datetime import date

import openpyxl
from openpyxl.styles import Alignment, Font

from cchc.spreadsheets import inert_cell
from remediation.selectors import PlanDocument

HEADERS = (
    "TT",
    "Lĩnh vực",
    "Tiêu chí bị trừ điểm",
    "Mục tiêu/Chỉ tiêu",
    "Nhiệm vụ",
    "Hoạt động",
    "Kết quả, sản phẩm",
    "Chủ trì",
    "Phối hợp",
    "Thời gian hoàn thành",
    "Hạn (quá hạn sau ngày)",
    "Kinh phí",
    "Kinh phí (triệu đồng)",
    "Trạng thái",
    "Tiến độ (%)",
    "Quá hạn",
)
WIDTHS = (5, 24, 30, 30, 30, 30, 24, 20, 20, 14, 12, 16, 12, 14, 9, 9)


def tasks_xlsx(document: PlanDocument) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Nhiệm vụ"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, task in enumerate(document.tasks, start=1):
        sheet.append([inert_cell(value) for value in _row(number, task, document.on)])
        sheet.cell(sheet.max_row, 11).number_format = "DD/MM/YYYY"
        sheet.cell(sheet.max_row, 13).number_format = "#,##0.###"
    sheet.append(["", "Tổng kinh phí (triệu đồng)", *[""] * 10, document.budget_total])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row(number: int, task, on: date) -> list:
    return [
        number,
        task.section.field.title,
        "; ".join(f"{c.code}. {c.title}" for c in task.criteria.all()),
        task.objective,
        task.name,
        task.activities,
        task.output,
        task.lead,
        task.coordinators,
        task.deadline,
        task.due_date,
        task.budget,
        task.budget_amount,
        task.get_status_display(),
        task.progress,
        "Quá hạn" if task.is_overdue(on) else "",
    ]
