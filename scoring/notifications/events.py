"""Who hears of a workflow step: a sheet sent (or its explanation) → the unit's Nội vụ;
returned or published → the unit's staff. Called inside the step's transaction, so a
step refused or rolled back tells nobody; a handful of queries per sheet, so a group
published at once tells every unit cheaply."""

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse

from cchc.people import full_name
from scoring.models import Assessment, AssessmentEvent, Notification
from scoring.notifications.recipients import home_affairs, unit_staff
from scoring.notifications.services import notify

Action = AssessmentEvent.Action
Kind = Notification.Kind


def notify_transition(*, event: AssessmentEvent, assessment: Assessment) -> None:
    """Tell whoever must know of `event`, just taken on `assessment` (its state after it)."""
    handler = {
        Action.SUBMIT: _submitted,
        Action.RETURN: _returned,
        Action.PUBLISH: _published,
    }.get(event.action)
    if handler:
        handler(event, assessment)


def _person(user: AbstractBaseUser | None) -> str:
    return (full_name(user) or user.get_username()) if user else "không rõ"


def _sheet_link(assessment: Assessment) -> str:
    return reverse("scoring:sheet", args=[assessment.pk])


def _submitted(event: AssessmentEvent, assessment: Assessment) -> None:
    unit, year = assessment.unit, assessment.year
    if assessment.appraisal_round == 2:
        what = f"{unit.name} gửi giải trình năm {year}, chờ thẩm định vòng 2"
    else:
        what = f"{unit.name} gửi phiếu tự đánh giá năm {year} để thẩm định"
    notify(
        home_affairs([unit.pk])[unit.pk],
        Kind.SUBMITTED,
        f"{what}. Người gửi: {_person(event.user)}.",
        _sheet_link(assessment),
        subject=what,
    )


def _returned(event: AssessmentEvent, assessment: Assessment) -> None:
    unit, year = assessment.unit, assessment.year
    purpose = " để giải trình" if assessment.appraisal_round == 2 else ""
    what = f"Phiếu tự đánh giá năm {year} của {unit.name} được trả lại{purpose}"
    notify(
        unit_staff([unit.pk])[unit.pk],
        Kind.RETURNED,
        f"{what}. Người trả lại: {_person(event.user)}. Lý do: {event.reason}",
        _sheet_link(assessment),
        subject=what,
    )


def _published(event: AssessmentEvent, assessment: Assessment) -> None:
    unit, year = assessment.unit, assessment.year
    what = f"Kết quả Chỉ số CCHC năm {year} của {unit.name} đã được công bố"
    link = reverse("scoring:dashboard", args=[unit.pk]) + f"?nam={year}"
    notify(
        unit_staff([unit.pk])[unit.pk],
        Kind.PUBLISHED,
        f"{what}. Người công bố: {_person(event.user)}.",
        link,
        subject=what,
    )
