"""The task list as an Excel workbook, for people to read and print.

Task texts are typed by people; `cchc.spreadsheets.table_workbook` writes them as
text, never as a live formula, and lays the sheet out for printing."""

from datetime import date

from cchc.spreadsheets import AMOUNT_FORMAT, DATE_FORMAT, Column, table_workbook
from remediation.selectors import PlanDocument

COLUMNS = (
    Column("TT", 4),
    Column("Lĩnh vực", 14),
    Column("Tiêu chí bị trừ điểm", 18),
    Column("Mục tiêu/Chỉ tiêu", 18),
    Column("Nhiệm vụ", 22),
    Column("Hoạt động", 22),
    Column("Kết quả, sản phẩm", 16),
    Column("Chủ trì", 14),
    Column("Phối hợp", 14),
    Column("Thời gian hoàn thành", 11),
    Column("Hạn (quá hạn sau ngày)", 10, DATE_FORMAT),
    Column("Kinh phí", 11),
    Column("Kinh phí (triệu đồng)", 9, AMOUNT_FORMAT),
    Column("Trạng thái", 10),
    Column("Tiến độ (%)", 7),
    Column("Quá hạn", 7),
)
BUDGET_COLUMN = 12  # 0-based index of "Kinh phí (triệu đồng)"


def tasks_xlsx(document: PlanDocument) -> bytes:
    plan = document.plan
    total = [""] * len(COLUMNS)
    total[1], total[BUDGET_COLUMN] = "Tổng kinh phí (triệu đồng)", document.budget_total
    return table_workbook(
        title=f"Nhiệm vụ của kế hoạch khắc phục năm {plan.year} · {plan.unit.name}",
        sheet_name="Nhiệm vụ",
        columns=COLUMNS,
        rows=(_row(n, task, document.on) for n, task in enumerate(document.tasks, start=1)),
        totals=[total],
    )


def _row(number: int, task, on: date) -> list:
    field = task.section.field
    return [
        number,
        f"{field.code}. {field.title}",
        "\n".join(f"{c.code}. {c.title}" for c in task.criteria.all()),
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
