"""Builders for the reminder tests: running the command, a plan with tasks."""

import io
from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from remediation.models import Plan, Section, Task, TaskStatus
from scoring.models import Assessment


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    return today() + timedelta(days=n)


def run_reminders() -> str:
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue().strip()


def summary(self_deadline: int, appraisal: int, tasks: int, emailed: int) -> str:
    return (
        f"Nhắc việc ngày {today():%d/%m/%Y}: {self_deadline} nhắc hạn tự đánh giá, "
        f"{appraisal} nhắc hạn thẩm định, {tasks} nhắc nhiệm vụ quá hạn; "
        f"{emailed} đã gửi qua e-mail."
    )


def plan_with_tasks(assessment: Assessment, tasks: dict[str, tuple[int, str]]) -> Plan:
    """The unit's plan with a task per name: (due in days from today, status)."""
    plan = Plan.objects.create(
        unit=assessment.unit,
        year=assessment.year,
        summary="Kế hoạch khắc phục",
        issuing_agency="Ủy ban nhân dân xã",
    )
    section = Section.objects.create(plan=plan, field=assessment.framework.criteria.get(code="1"))
    for order, (name, (due_in, status)) in enumerate(tasks.items()):
        Task.objects.create(
            plan=plan, section=section, order=order, name=name, due_date=days(due_in), status=status
        )
    return plan


OPEN, DONE = TaskStatus.NOT_STARTED, TaskStatus.DONE
