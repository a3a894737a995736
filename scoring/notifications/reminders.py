"""What `send_reminders` sends: deadlines coming and plan tasks gone overdue.

- to a unit's staff, REMINDER_DAYS_BEFORE days (or fewer) before the deadline its sheet
  runs to while the sheet is still with the unit (draft);
- to Nội vụ, as many days before the appraisal deadline, one reminder listing the
  sheets of that deadline still waiting for appraisal;
- to a unit and its Nội vụ, once a remediation task is overdue (one e-mail each listing
  the tasks new to them).

Deadlines are the sheets' own (`with_deadlines`). Each reminder's key names what it is
about and the date it is due, so it is sent once; a deadline moved (an extension, new
dates) or a task given a new due date is a new reminder.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils.text import Truncator

from remediation.models import Task
from remediation.selectors import overdue_q
from scoring.cycles.calendars import with_deadlines
from scoring.models import Assessment, AssessmentStatus, Notification
from scoring.notifications.recipients import home_affairs, unit_staff
from scoring.notifications.services import Notice, notify, notify_digest

Kind = Notification.Kind
# A task overdue for longer was overdue before reminders could tell of it: the first
# run on a server with past years' plans would otherwise mail every old task.
OVERDUE_LOOKBACK_DAYS = 30


@dataclass(frozen=True)
class ReminderRun:
    """The notifications one run created, by kind."""

    created: dict[str, list[Notification]]

    def count(self, kind: str) -> int:
        return len(self.created.get(kind, []))

    @property
    def emailed(self) -> int:
        ids = [row.pk for rows in self.created.values() for row in rows]
        return Notification.objects.filter(pk__in=ids, emailed_at__isnull=False).count()


def send_reminders(*, today: date, days_before: int | None = None) -> ReminderRun:
    """Everything due on `today` that nobody was told yet."""
    days = settings.REMINDER_DAYS_BEFORE if days_before is None else days_before
    horizon = today + timedelta(days=days)
    return ReminderRun(
        {
            Kind.SELF_DEADLINE: _self_deadlines(today, horizon),
            Kind.APPRAISAL_DEADLINE: _appraisal_deadlines(today, horizon),
            Kind.TASK_OVERDUE: _overdue_tasks(today),
        }
    )


def _due_sheets(status: str, today: date, horizon: date) -> list[Assessment]:
    sheets = with_deadlines(Assessment.objects.filter(status=status))
    return list(
        sheets.filter(deadline__gte=today, deadline__lte=horizon)
        .select_related("unit")
        .order_by("deadline", "unit__name", "pk")
    )


def _days_left(deadline: date, today: date) -> str:
    days = (deadline - today).days
    return "hôm nay là hạn cuối" if days == 0 else f"còn {days} ngày"


def _self_deadlines(today: date, horizon: date) -> list[Notification]:
    sheets = _due_sheets(AssessmentStatus.DRAFT, today, horizon)
    staff = unit_staff(sheet.unit_id for sheet in sheets)
    created = []
    for sheet in sheets:
        when = f"{sheet.deadline:%d/%m/%Y} ({_days_left(sheet.deadline, today)})"
        created += notify(
            staff[sheet.unit_id],
            Kind.SELF_DEADLINE,
            f"Phiếu tự đánh giá năm {sheet.year} của {sheet.unit.name} chưa gửi thẩm định; "
            f"hạn gửi là {when}.",
            reverse("scoring:sheet", args=[sheet.pk]),
            key=f"self-deadline:{sheet.pk}:{sheet.deadline.isoformat()}",
            subject=f"Sắp hết hạn tự đánh giá năm {sheet.year}: {sheet.unit.name}",
        )
    return created


def _appraisal_deadlines(today: date, horizon: date) -> list[Notification]:
    sheets = _due_sheets(AssessmentStatus.SUBMITTED, today, horizon)
    officers = home_affairs(sheet.unit_id for sheet in sheets)
    waiting: dict[tuple[AbstractBaseUser, int, date], list[Assessment]] = defaultdict(list)
    for sheet in sheets:
        for user in officers[sheet.unit_id]:
            waiting[user, sheet.year, sheet.deadline].append(sheet)
    created = []
    for (user, year, deadline), due in waiting.items():
        names = "; ".join(sheet.unit.name for sheet in due)
        created += notify(
            [user],
            Kind.APPRAISAL_DEADLINE,
            f"Hạn thẩm định năm {year} là {deadline:%d/%m/%Y} ({_days_left(deadline, today)}); "
            f"{len(due)} phiếu đang chờ thẩm định: {names}.",
            reverse("home"),
            key=f"appraisal-deadline:{year}:{deadline.isoformat()}",
            subject=f"Sắp hết hạn thẩm định năm {year}: {len(due)} phiếu đang chờ",
        )
    return created


def _overdue_tasks(today: date) -> list[Notification]:
    tasks = list(
        Task.objects.filter(
            overdue_q(today), due_date__gte=today - timedelta(days=OVERDUE_LOOKBACK_DAYS)
        )
        .select_related("plan__unit")
        .order_by("plan__unit__name", "plan__year", "due_date", "pk")
    )
    unit_ids = {task.plan.unit_id for task in tasks}
    staff, officers = unit_staff(unit_ids), home_affairs(unit_ids)
    notices: dict[AbstractBaseUser, list[Notice]] = defaultdict(list)
    for task in tasks:
        unit_id = task.plan.unit_id
        for user in [*staff[unit_id], *officers.get(unit_id, [])]:
            notices[user].append(_task_notice(task))
    created = []
    for user, theirs in notices.items():
        created += notify_digest(
            user,
            theirs,
            title="Nhiệm vụ khắc phục quá hạn",
            intro="Các nhiệm vụ khắc phục sau đã quá hạn mà chưa hoàn thành:",
        )
    return created


def _task_notice(task: Task) -> Notice:
    plan, name = task.plan, Truncator(str(task)).chars(120)
    return Notice(
        Kind.TASK_OVERDUE,
        # The task's own words come last, unquoted: they often quote a criterion «…».
        f"Kế hoạch khắc phục kết quả năm {plan.year} của {plan.unit.name}, quá hạn "
        f"{task.due_date:%d/%m/%Y} mà chưa hoàn thành: {name}",
        reverse("remediation:plan", args=[plan.pk]),
        f"task-overdue:{task.pk}:{task.due_date.isoformat()}",
    )
