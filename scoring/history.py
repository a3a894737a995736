"""A criterion's history on the sheet: who changed what, when, old → new.

The rows are django-simple-history's snapshots of Score; each change is the
difference between a snapshot and the one before it.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser

from cchc.formatting import format_points
from cchc.people import full_name
from scoring.models import Assessment, Criterion, Score

TRACKED = {
    "self_score": "Điểm tự đánh giá",
    "declared_tier": "Mức đã chọn",
    "declared_ratio": "Tỷ lệ kê khai (%)",
    "note": "Ghi chú",
    "appraised_score": "Điểm thẩm định",
    "appraisal_comment": "Nhận xét thẩm định",
    "not_applicable": "Không áp dụng",
    "first_round_score": "Điểm thẩm định vòng 1",
    "first_round_comment": "Nhận xét thẩm định vòng 1",
    "explanation_agrees": "Đồng ý với thẩm định vòng 1",
    "explanation": "Giải trình",
    "not_applicable_reason": "Lý do không áp dụng",
}


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    what: str
    old: str
    new: str


def criterion_history(assessment: Assessment, criterion: Criterion) -> list[Change]:
    """Every change of this leaf's score, newest first."""
    records = list(
        Score.history.filter(assessment_id=assessment.pk, criterion_id=criterion.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes: list[Change] = []
    previous = None
    for record in records:
        who = _person(record.history_user)
        if record.history_change_reason:
            who = f"{who} ({record.history_change_reason})"
        for name, label in TRACKED.items():
            old = getattr(previous, name) if previous else _empty(name)
            new = getattr(record, name)
            if old != new:
                changes.append(Change(record.history_date, who, label, _text(old), _text(new)))
        previous = record
    return changes[::-1]


def _person(user: AbstractBaseUser | None) -> str:
    """Họ và tên, as documents name people; the user name where none was given."""
    if user is None:
        return "hệ thống"
    return full_name(user) or user.get_username()


def _empty(name: str) -> object:
    return False if name == "not_applicable" else Score._meta.get_field(name).get_default()


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, Decimal):
        return format_points(value)
    return value or "—"
