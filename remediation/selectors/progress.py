"""A plan's progress as of a date (the progress report, ký hiệu BC)."""

from dataclasses import dataclass
from datetime import date

from remediation.models import Plan, ProgressUpdate, Task, TaskStatus, overdue
from remediation.selectors.document import plan_tasks


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


def _latest_update(task: Task, on: date) -> ProgressUpdate | None:
    """The last update reported on or before `on` (updates come prefetched in order)."""
    reported = [update for update in task.updates.all() if update.reported_on <= on]
    return reported[-1] if reported else None


def progress_as_of(tasks: list[Task], on: date) -> list[TaskProgress]:
    """Each task's status and progress by the latest update reported on or before `on`;
    `tasks` from `plan_tasks` (updates prefetched)."""
    rows = []
    for number, task in enumerate(tasks, start=1):
        update = _latest_update(task, on)
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
    def overdue_rows(self) -> list[TaskProgress]:
        return [row for row in self.rows if row.overdue]


def progress_report(plan: Plan, on: date) -> ProgressReport:
    """The plan's tasks as they stood on `on` (3 queries: `plan_tasks`)."""
    return ProgressReport(plan=plan, on=on, rows=progress_as_of(list(plan_tasks(plan)), on))
