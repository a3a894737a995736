"""A plan's progress as of a date (the progress report, ký hiệu BC)."""

from dataclasses import dataclass
from datetime import date

from remediation import texts
from remediation.models import (
    Plan,
    ProgressUpdate,
    Task,
    TaskStatus,
    overdue,
)
from remediation.selectors.document import PlanDocument


@dataclass(frozen=True)
class TaskProgress:
    number: int
    task: Task
    status: str
    progress: int
    note: str
    overdue: bool

    @property
    def status_label(self) -> str:
        return TaskStatus(self.status).label


def progress_as_of(document: PlanDocument, on: date) -> list[TaskProgress]:
    """Each task's status and progress by the latest update reported on or before `on`."""
    latest: dict[int, ProgressUpdate] = {}
    updates = ProgressUpdate.objects.filter(task__plan=document.plan, reported_on__lte=on)
    for update in updates.order_by("reported_on", "pk"):
        latest[update.task_id] = update
    rows = []
    for number, task in enumerate(document.tasks, start=1):
        update = latest.get(task.pk)
        status = update.status if update else TaskStatus.NOT_STARTED
        rows.append(
            TaskProgress(
                number=number,
                task=task,
                status=status,
                progress=update.progress if update else 0,
                note=update.note if update else "",
                overdue=overdue(status, task.due_date, on),
            )
        )
    return rows


@dataclass(frozen=True)
class ProgressReport:
    """The progress report (ký hiệu BC) of a plan as of a date."""

    plan: Plan
    on: date
    rows: list[TaskProgress]

    def _count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        return self._count(TaskStatus.DONE)

    @property
    def in_progress(self) -> int:
        return self._count(TaskStatus.IN_PROGRESS)

    @property
    def not_started(self) -> int:
        return self._count(TaskStatus.NOT_STARTED)

    @property
    def cancelled(self) -> int:
        return self._count(TaskStatus.CANCELLED)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def number_line(self) -> str:
        return texts.number_line("/BC-UBND")

    @property
    def dated_line(self) -> str:
        return texts.dated_line(self.plan.place, None, self.on.year)

    @property
    def summary(self) -> str:
        return (
            "Kết quả thực hiện Kế hoạch khắc phục tồn tại, hạn chế trong công tác cải cách "
            f"hành chính năm {self.plan.year} (tính đến ngày {self.on:%d/%m/%Y})"
        )


def progress_report(document: PlanDocument, on: date) -> ProgressReport:
    return ProgressReport(plan=document.plan, on=on, rows=progress_as_of(document, on))
