"""The life of an assessment: draft → submitted → appraised → published.

Whether a sheet is open is worked out here from its status, the ScoringCalendar of
its jurisdiction (scoring.cycles.calendars) and the last workflow step, whenever it
is read; no timer flips a flag. A sheet returned for explanation (giải trình) stays open to the
unit until the appraisal deadline; one Nội vụ has reopened ignores the dates
from then on (so a late sheet can still be appraised and published).
Every step is an AssessmentEvent (who, when, from → to, why) and bumps the
assessment's version, so a sheet form read before the step is refused.

A year whose calendar has two appraisal rounds runs appraisal 1 → "Trả lại để giải
trình" → the unit's explanation (status draft, round 2) → appraisal 2 → publish. Round
1 is kept apart on each score when the sheet goes back for explanation; the final
score is the last round's (appraised_score).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from scoring.access import User, is_home_affairs, user_role
from scoring.appraisal import appraisal_check_complete, appraisal_signer_name
from scoring.cycles.calendars import assessment_calendar
from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    Role,
    Score,
)
from scoring.notifications.events import notify_transition
from scoring.services import assessments_bump_version

Action = AssessmentEvent.Action
Status = AssessmentStatus
SELF, APPRAISED, EXPLANATION = "self", "appraised", "explanation"


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    # Who takes the step: the unit (its own sheet, its own explanation) or Nội vụ;
    # administrators may take every step.
    roles: frozenset[str]
    needs_reason: bool


UNIT = frozenset({Role.UNIT, Role.ADMIN})
HOME_AFFAIRS = frozenset({Role.HOME_AFFAIRS, Role.ADMIN})
WRONG_PERSON = {
    UNIT: "Chỉ đơn vị được đánh giá tự gửi phiếu (và giải trình) của mình.",
    HOME_AFFAIRS: "Chỉ cán bộ Nội vụ hoặc quản trị viên được thực hiện thao tác này.",
}

TRANSITIONS = {
    Action.SUBMIT: Transition((Status.DRAFT,), UNIT, False),
    Action.APPRAISE: Transition((Status.SUBMITTED,), HOME_AFFAIRS, False),
    Action.RETURN: Transition((Status.SUBMITTED, Status.APPRAISED), HOME_AFFAIRS, True),
    Action.PUBLISH: Transition((Status.APPRAISED,), HOME_AFFAIRS, False),
    Action.REOPEN: Transition((Status.SUBMITTED, Status.PUBLISHED), HOME_AFFAIRS, True),
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
    # How many appraisal rounds the year runs, and the one this sheet is in.
    rounds: int = 1
    appraisal_round: int = 1
    # A one-unit extension of the self-assessment deadline (Nội vụ's "Gia hạn").
    extended_until: date | None = None
    extension_reason: str = ""

    @property
    def explaining(self) -> bool:
        """The unit's explanation stage: a two-round sheet back with the unit after round 1."""
        return self.status == Status.DRAFT and self.appraisal_round == 2


def sheet_state(
    assessment: Assessment, *, last_event: AssessmentEvent | None, today: date | None = None
) -> SheetState:
    """Which stage of the sheet is open now, from status, calendar and the last step."""
    today = today or timezone.localdate()
    calendar = assessment_calendar(assessment)
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
        rounds=calendar.appraisal_rounds if calendar else 1,
        appraisal_round=assessment.appraisal_round,
        extended_until=extension[0] if extension else None,
        extension_reason=extension[1] if extension else "",
    )


def status_label(state: SheetState) -> str:
    """The status as the sheet names it: two-round years say which round it is in."""
    return sheet_status_label(
        state.status, appraisal_round=state.appraisal_round, rounds=state.rounds
    )


def sheet_status_label(status: str, *, appraisal_round: int, rounds: int) -> str:
    """`status_label` from the three facts it needs, for lists that read them in SQL
    (the work queue annotates `rounds` with `with_deadlines`)."""
    if status == Status.DRAFT and appraisal_round == 2:
        return "Đang giải trình"
    if status == Status.SUBMITTED and appraisal_round == 2:
        return "Đã gửi giải trình, chờ thẩm định vòng 2"
    if status == Status.APPRAISED and rounds == 2:
        return f"Đã thẩm định vòng {appraisal_round}"
    return Status(status).label


def event_label(event: AssessmentEvent, state: SheetState) -> str:
    """A logged step as the sheet names it: in round 2 a unit's submit sent its explanation."""
    if event.action == Action.SUBMIT and state.appraisal_round == 2:
        return "Gửi giải trình"
    return event.get_action_display()


def step_label(action: str, state: SheetState) -> str:
    """A workflow button's label in context ("Gửi giải trình" in the explanation stage)."""
    if action == Action.SUBMIT and state.explaining:
        return "Gửi giải trình"
    if action == Action.RETURN and _corrects_self_assessment(state):
        return "Trả lại để đơn vị tự chấm lại"
    if action == Action.APPRAISE and state.rounds == 2:
        return f"Hoàn tất thẩm định vòng {state.appraisal_round}"
    return Action(action).label


def _corrects_self_assessment(state: SheetState) -> bool:
    """A two-round sheet returned before round 1 is complete: nothing to explain yet, the
    unit corrects its self-assessment (round 1 starts again)."""
    return state.rounds == 2 and state.status == Status.SUBMITTED and state.appraisal_round == 1


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
    """The score columns this user may change now: "self" (or "explanation" in the
    explanation stage, where self scores stay as sent), "appraised", or none."""
    role = user_role(user)
    columns = set()
    if state.self_open and role in {Role.UNIT, Role.ADMIN}:
        columns.add(EXPLANATION if state.explaining else SELF)
    if state.appraisal_open and is_home_affairs(user):
        columns.add(APPRAISED)
    return columns


def allowed_actions(user: User, state: SheetState) -> list[str]:
    """The workflow steps this user may take now, for the buttons on the sheet."""
    return [action for action in TRANSITIONS if _refusal(action, user, state) is None]


def _wrong_person(action: str, user: User) -> str | None:
    roles = TRANSITIONS[action].roles
    return None if user_role(user) in roles else WRONG_PERSON[roles]


def _refusal(action: str, user: User, state: SheetState) -> str | None:
    transition = TRANSITIONS[action]
    if wrong_person := _wrong_person(action, user):
        return wrong_person
    if state.status not in transition.sources:
        return f"Không thể «{Action(action).label.lower()}» khi kết quả đang ở trạng thái này."
    if action == Action.SUBMIT and not state.self_open:
        return "Đã hết hạn tự đánh giá; không thể gửi thẩm định."
    if action == Action.APPRAISE and not state.appraisal_open:
        return "Đã hết hạn thẩm định."
    if action == Action.PUBLISH and state.rounds == 2 and state.appraisal_round == 1:
        return (
            "Năm này thẩm định hai vòng: chỉ công bố sau thẩm định vòng 2. Hãy «Trả lại để "
            "giải trình» để đơn vị giải trình, rồi thẩm định vòng 2."
        )
    return None


# Steps refused while an applicable leaf has no appraised score, with how the refusal
# names them. Publishing checks again: a score cleared after the appraisal (an import,
# the admin) must not let the unit's own estimate be published.
COMPLETE_BEFORE = {Action.APPRAISE: "hoàn tất thẩm định", Action.PUBLISH: "công bố"}


def _signoff(assessment: Assessment, user: User) -> dict:
    """The appraisal record: the round it closes and the signer's full name."""
    return {
        "signer_name": appraisal_signer_name(user),
        "appraisal_round": assessment.appraisal_round,
    }


def transition_check(*, assessment: Assessment, user: User, action: str, state: SheetState) -> None:
    """Refuse `action` now: PermissionDenied for the wrong person, ValidationError
    (AppraisalIncomplete listing the leaves) for the wrong moment; None if allowed."""
    if wrong_person := _wrong_person(action, user):
        raise PermissionDenied(wrong_person)
    refusal = _refusal(action, user, state)
    if refusal:
        raise ValidationError(refusal)
    if action in COMPLETE_BEFORE:
        appraisal_check_complete(assessment, step=COMPLETE_BEFORE[action])


@transaction.atomic
def assessment_transition(
    *, assessment: Assessment, user: User, action: str, reason: str = ""
) -> AssessmentEvent:
    """Take one workflow step; PermissionDenied or ValidationError (Vietnamese) if not allowed."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    state = sheet_state(locked, last_event=last_event(locked))
    transition_check(assessment=locked, user=user, action=action, state=state)
    reason = reason.strip()
    if TRANSITIONS[action].needs_reason and not reason:
        raise ValidationError("Cần ghi lý do.")
    signoff = _signoff(locked, user) if action == Action.APPRAISE else {}
    event = AssessmentEvent.objects.create(
        assessment=locked,
        action=action,
        from_status=locked.status,
        to_status=target_status(action, locked.status),
        reason=reason,
        user=user,
        **signoff,
    )
    if _ends_first_round(action, state):
        _keep_first_round(locked, user)
    locked.status = event.to_status
    locked._history_user = user
    locked.save(update_fields=["status", "appraisal_round"])
    assessments_bump_version(assessment_ids=[locked.pk])
    notify_transition(event=event, assessment=locked)
    return event


def _ends_first_round(action: str, state: SheetState) -> bool:
    """Returning an appraised round-1 sheet of a two-round year opens the explanation."""
    return (
        action == Action.RETURN
        and state.status == Status.APPRAISED
        and state.rounds == 2
        and state.appraisal_round == 1
    )


FIRST_ROUND_REASON = "kết thúc thẩm định vòng 1"


def _keep_first_round(assessment: Assessment, user: User) -> None:
    """Round 1 kept apart on every score, once: its score and comment move to the
    first-round fields; appraised_score stays as the start of round 2 (the engine reads
    it as the final score), and round 2's comment starts empty."""
    scores = list(Score.objects.filter(assessment=assessment))
    for score in scores:
        score.first_round_score = score.appraised_score
        score.first_round_comment = score.appraisal_comment
        score.appraisal_comment = ""
    bulk_update_with_history(
        scores,
        Score,
        ["first_round_score", "first_round_comment", "appraisal_comment"],
        default_user=user,
        default_change_reason=FIRST_ROUND_REASON,
        batch_size=500,
    )
    assessment.appraisal_round = 2


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


def extension_allowed(status: str, event: AssessmentEvent | None) -> bool:
    """Whether a sheet may get its own self-assessment deadline: in self-assessment and
    not returned (a returned sheet is open to the appraisal deadline already)."""
    return status == Status.DRAFT and not (event and event.action == Action.RETURN)


def _check_extension(assessment: Assessment, until: date, reason: str) -> None:
    calendar = assessment_calendar(assessment)
    if not extension_allowed(assessment.status, last_event(assessment)):
        raise ValidationError(
            "Chỉ gia hạn được khi đơn vị đang tự đánh giá (phiếu chưa gửi, chưa bị trả lại)."
        )
    if calendar is None:
        raise ValidationError(
            f"Năm {assessment.year} chưa có lịch chấm điểm cho đơn vị này, không có hạn để gia hạn."
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
