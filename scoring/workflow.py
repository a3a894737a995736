"""The life of an assessment: draft → submitted → appraised → published.

Whether a sheet is open is worked out here from its status, the year's
ScoringCalendar and the last workflow step, whenever it is read; no timer
flips a flag. A sheet returned for explanation (giải trình) stays open to the
unit until the appraisal deadline; one Nội vụ has reopened ignores the dates
from then on (so a late sheet can still be appraised and published).
Every step is an AssessmentEvent (who, when, from → to, why) and bumps the
assessment's version, so a sheet form read before the step is refused.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from scoring.access import User, is_home_affairs, user_role
from scoring.models import Assessment, AssessmentEvent, AssessmentStatus, Role, ScoringCalendar
from scoring.services import assessments_bump_version

Action = AssessmentEvent.Action
Status = AssessmentStatus
SELF, APPRAISED = "self", "appraised"


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    home_affairs_only: bool
    needs_reason: bool


TRANSITIONS = {
    Action.SUBMIT: Transition((Status.DRAFT,), False, False),
    Action.APPRAISE: Transition((Status.SUBMITTED,), True, False),
    Action.RETURN: Transition((Status.SUBMITTED, Status.APPRAISED), True, True),
    Action.PUBLISH: Transition((Status.APPRAISED,), True, False),
    Action.REOPEN: Transition((Status.SUBMITTED, Status.PUBLISHED), True, True),
}


def target_status(action: str, current: str) -> str:
    if action == Action.REOPEN:
        # A published sheet goes back to appraisal; a submitted one to the unit.
        return Status.APPRAISED if current == Status.PUBLISHED else Status.DRAFT
    return {
        Action.SUBMIT: Status.SUBMITTED,
        Action.APPRAISE: Status.APPRAISED,
        Action.RETURN: Status.DRAFT,
        Action.PUBLISH: Status.PUBLISHED,
    }[action]


@dataclass(frozen=True)
class SheetState:
    status: str
    self_open: bool
    appraisal_open: bool
    self_closes: date | None
    appraisal_closes: date | None
    # A one-unit extension of the self-assessment deadline (Nội vụ's "Gia hạn").
    extended_until: date | None = None
    extension_reason: str = ""


def sheet_state(
    assessment: Assessment, *, last_event: AssessmentEvent | None, today: date | None = None
) -> SheetState:
    """Which stage of the sheet is open now, from status, calendar and the last step."""
    today = today or timezone.localdate()
    calendar = ScoringCalendar.objects.filter(year=assessment.year).first()
    last_action = last_event.action if last_event else None
    self_closes = calendar.self_assessment_closes if calendar else None
    appraisal_closes = calendar.appraisal_closes if calendar else None
    if last_action == Action.RETURN:
        self_closes = appraisal_closes
    extension = None
    if last_action != Action.RETURN and assessment.status == Status.DRAFT and self_closes:
        extension = _extension(assessment)
        if extension and extension[0] > self_closes:
            self_closes = extension[0]
    if _reopened(assessment):
        self_closes = appraisal_closes = None
    status = assessment.status
    return SheetState(
        status=status,
        self_open=status == Status.DRAFT and _before(today, self_closes),
        appraisal_open=status in {Status.SUBMITTED, Status.APPRAISED}
        and _before(today, appraisal_closes),
        self_closes=self_closes,
        appraisal_closes=appraisal_closes,
        extended_until=extension[0] if extension else None,
        extension_reason=extension[1] if extension else "",
    )


def _reopened(assessment: Assessment) -> bool:
    """Whether Nội vụ ever took "Mở lại": its dates are lifted from then on (a published
    sheet stays frozen by its status, and leaves it only by another "Mở lại").

    The last step alone would not do: a submitted sheet reopened past the appraisal
    deadline goes back to the unit, and once the unit sent it again nobody could
    appraise it without moving the year's dates."""
    return AssessmentEvent.objects.filter(
        assessment_id=assessment.pk, action=Action.REOPEN
    ).exists()


def _extension(assessment: Assessment) -> tuple[date, str] | None:
    """The unit's own self-assessment deadline and why, from Nội vụ's latest "Gia hạn"
    (one query)."""
    return (
        AssessmentEvent.objects.filter(assessment_id=assessment.pk, action=Action.EXTEND)
        .order_by("-at", "-id")
        .values_list("deadline", "reason")
        .first()
    )


def _before(today: date, closes: date | None) -> bool:
    return closes is None or today <= closes


def last_event(assessment: Assessment) -> AssessmentEvent | None:
    return assessment.events.select_related("user").first()


def editable_columns(user: User, state: SheetState) -> set[str]:
    """The score columns this user may change now: "self", "appraised", or none."""
    role = user_role(user)
    columns = set()
    if state.self_open and role in {Role.UNIT, Role.ADMIN}:
        columns.add(SELF)
    if state.appraisal_open and is_home_affairs(user):
        columns.add(APPRAISED)
    return columns


def allowed_actions(user: User, state: SheetState) -> list[str]:
    """The workflow steps this user may take now, for the buttons on the sheet."""
    return [action for action in TRANSITIONS if _refusal(action, user, state) is None]


def _refusal(action: str, user: User, state: SheetState) -> str | None:
    transition = TRANSITIONS[action]
    if transition.home_affairs_only and not is_home_affairs(user):
        return "Chỉ cán bộ Nội vụ hoặc quản trị viên được thực hiện thao tác này."
    if state.status not in transition.sources:
        return f"Không thể «{Action(action).label.lower()}» khi kết quả đang ở trạng thái này."
    if action == Action.SUBMIT and not state.self_open:
        return "Đã hết hạn tự đánh giá; không thể gửi thẩm định."
    if action == Action.APPRAISE and not state.appraisal_open:
        return "Đã hết hạn thẩm định."
    return None


@transaction.atomic
def assessment_transition(
    *, assessment: Assessment, user: User, action: str, reason: str = ""
) -> AssessmentEvent:
    """Take one workflow step; PermissionDenied or ValidationError (Vietnamese) if not allowed."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    state = sheet_state(locked, last_event=last_event(locked))
    refusal = _refusal(action, user, state)
    if refusal and TRANSITIONS[action].home_affairs_only and not is_home_affairs(user):
        raise PermissionDenied(refusal)
    if refusal:
        raise ValidationError(refusal)
    reason = reason.strip()
    if TRANSITIONS[action].needs_reason and not reason:
        raise ValidationError("Cần ghi lý do.")
    event = AssessmentEvent.objects.create(
        assessment=locked,
        action=action,
        from_status=locked.status,
        to_status=target_status(action, locked.status),
        reason=reason,
        user=user,
    )
    locked.status = event.to_status
    locked._history_user = user
    locked.save(update_fields=["status"])
    assessments_bump_version(assessment_ids=[locked.pk])
    return event


@transaction.atomic
def assessment_extend_deadline(
    *, assessment: Assessment, user: User, until: date, reason: str
) -> AssessmentEvent:
    """Give one late unit its own self-assessment deadline instead of moving the year's.

    Only Nội vụ (the view has checked the unit is in their scope) and only for a sheet
    in self-assessment that was not returned (that one is open to the appraisal deadline).
    `until` must not be past, must be after the year's deadline and not after the
    appraisal deadline, so the sheet can still be appraised. PermissionDenied or a
    Vietnamese ValidationError; nothing is written then.
    """
    if not is_home_affairs(user):
        raise PermissionDenied("Chỉ cán bộ Nội vụ hoặc quản trị viên được gia hạn tự đánh giá.")
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _check_extension(locked, until, reason.strip())
    event = AssessmentEvent.objects.create(
        assessment=locked,
        action=Action.EXTEND,
        from_status=locked.status,
        to_status=locked.status,
        deadline=until,
        reason=reason.strip(),
        user=user,
    )
    assessments_bump_version(assessment_ids=[locked.pk])
    return event


def _check_extension(assessment: Assessment, until: date, reason: str) -> None:
    calendar = ScoringCalendar.objects.filter(year=assessment.year).first()
    event = last_event(assessment)
    if assessment.status != Status.DRAFT or (event and event.action == Action.RETURN):
        raise ValidationError(
            "Chỉ gia hạn được khi đơn vị đang tự đánh giá (phiếu chưa gửi, chưa bị trả lại)."
        )
    if calendar is None:
        raise ValidationError(
            f"Năm {assessment.year} chưa có lịch chấm điểm, không có hạn để gia hạn."
        )
    if not reason:
        raise ValidationError("Cần ghi lý do gia hạn.")
    if until < timezone.localdate():
        raise ValidationError(f"Ngày {until:%d/%m/%Y} đã qua; hãy chọn từ hôm nay trở đi.")
    if until <= calendar.self_assessment_closes:
        raise ValidationError(
            f"Ngày gia hạn phải sau hạn tự đánh giá chung của năm "
            f"({calendar.self_assessment_closes:%d/%m/%Y})."
        )
    if until > calendar.appraisal_closes:
        raise ValidationError(
            f"Ngày gia hạn không được sau hạn thẩm định ({calendar.appraisal_closes:%d/%m/%Y}), "
            "nếu không phiếu sẽ không kịp thẩm định."
        )
