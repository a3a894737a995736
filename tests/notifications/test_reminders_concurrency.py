"""Two servers' crons run `send_reminders` at the same moment: each reminder goes once."""

import re
import threading

import pytest
from django.core import mail
from django.db import connection

from scoring.models import AssessmentStatus, Notification
from tests.notifications.reminder_setup import OPEN, plan_with_tasks, run_reminders, summary
from tests.notifications.setup import people_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite locks the whole database per write, so two runs cannot overlap; "
            "run with DATABASE_URL=postgres://... to test the unique row between two runs"
        )


def counts(line: str) -> list[int]:
    """The numbers of a summary line: self, appraisal, task reminders, mailed."""
    return [int(n) for n in re.findall(r"(\d+) (?:nhắc|đã gửi)", line)]


def test_two_runs_at_once_send_each_reminder_once():
    world = people_world(AssessmentStatus.DRAFT, self_in=1)
    plan_with_tasks(world.mine, {f"Nhiệm vụ {n}": (-1, OPEN) for n in range(30)})
    outputs: dict[str, str] = {}
    start = threading.Barrier(2)

    def run(name: str) -> None:
        try:
            start.wait()
            outputs[name] = run_reminders()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Between them: the unit's self-assessment reminder, 30 tasks for each of the unit
    # and its Nội vụ, all mailed; each once.
    totals = [sum(column) for column in zip(*map(counts, outputs.values()), strict=True)]
    assert totals == [1, 0, 60, 61]
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 61
    subjects = [message.subject for message in mail.outbox]
    assert sum("Sắp hết hạn tự đánh giá" in subject for subject in subjects) == 1
    assert (
        sum(message.body.count("- Kế hoạch khắc phục kết quả năm") for message in mail.outbox) == 60
    )
    assert run_reminders() == summary(0, 0, 0, 0)
