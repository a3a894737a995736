"""Reporting a task's progress."""

from datetime import date
from pathlib import PurePath

from django.db import transaction

from remediation.models import (
    ProgressUpdate,
    Task,
    TaskStatus,
)


@transaction.atomic
def progress_update_create(
    *,
    task: Task,
    reported_on: date,
    status: str,
    progress: int,
    note: str = "",
    evidence=None,
    user=None,
) -> ProgressUpdate:
    """Record a progress report. The task takes the status and percentage of its latest
    report by date, so a report typed in late for an earlier date changes nothing."""
    if status == TaskStatus.DONE:
        progress = 100
    update = ProgressUpdate(
        task=task,
        reported_on=reported_on,
        status=status,
        progress=progress,
        note=note,
        evidence=evidence or "",
        evidence_name=PurePath(evidence.name).name[:255] if evidence else "",
        created_by=user,
    )
    update.full_clean()
    update.save()
    latest = task.updates.order_by("-reported_on", "-pk").first()
    task.status, task.progress = latest.status, latest.progress
    task.full_clean()
    task.save(update_fields=["status", "progress"])
    return update
