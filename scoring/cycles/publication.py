"""Publishing a whole khối at once, under the decision (quyết định) that publishes it.

Every sheet goes through `scoring.workflow.assessment_transition(action=PUBLISH)`, so
each keeps its own log entry and every rule of publishing applies to it. All or
nothing: the khối is checked first (a few queries whatever its size), and one sheet
that cannot be published refuses the whole step, naming every such unit and why.
The decision is recorded in the same transaction, and the units' draft plans that
still carry the drafted legal basis are brought to cite it.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cchc.text import in_sentence
from remediation.services import plans_cite_decision
from scoring.access import User, home_unit, units_in_scope, user_role
from scoring.appraisal import unappraised_count
from scoring.cycles.calendars import rounds_value
from scoring.engine import GroupRanking, group_ranking
from scoring.models import (
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    PublicationDecision,
    RankingGroup,
    Role,
    Unit,
)
from scoring.workflow import assessment_transition

Status = AssessmentStatus
PUBLISH = AssessmentEvent.Action.PUBLISH
NOT_HOME_AFFAIRS = "Chỉ cán bộ Nội vụ hoặc quản trị viên được công bố kết quả cả khối."


@dataclass(frozen=True)
class NotReady:
    """A unit whose sheet cannot be published now, and why."""

    unit_code: str
    unit_name: str
    reason: str


def not_ready_headline(count: int) -> str:
    return f"Chưa công bố được cả khối: {count} đơn vị chưa sẵn sàng"


class PublicationRefused(ValidationError):
    """The khối is not published: carries every unit that held it back."""

    def __init__(self, not_ready: list[NotReady]) -> None:
        self.not_ready = not_ready
        units = "; ".join(f"{row.unit_name}: {row.reason}" for row in not_ready)
        super().__init__(
            f"{not_ready_headline(len(not_ready))} ({units}). Chưa công bố đơn vị nào."
        )


@dataclass(frozen=True)
class GroupPublication:
    """What publishing the khối would do now, for the confirmation page."""

    group: RankingGroup
    year: int
    units: int
    to_publish: list[Assessment]
    already_published: int
    not_ready: list[NotReady]
    # Appraised and published sheets ranked as they would be published.
    ranking: GroupRanking
    decision: PublicationDecision | None

    @property
    def ready(self) -> bool:
        return not self.not_ready

    @property
    def to_publish_ids(self) -> set[int]:
        return {sheet.pk for sheet in self.to_publish}

    @property
    def not_ready_codes(self) -> set[str]:
        return {row.unit_code for row in self.not_ready}


@dataclass(frozen=True)
class PublishOutcome:
    group: RankingGroup
    year: int
    published: int
    already_published: int
    decision: PublicationDecision
    plans_updated: int


def group_sheets(group: RankingGroup, year: int) -> QuerySet[Assessment]:
    return Assessment.objects.filter(ranking_group=group, year=year)


def group_publication(*, group: RankingGroup, year: int, user: User) -> GroupPublication:
    """The confirmation's summary; PermissionDenied for a user who may not publish the
    whole khối, ValidationError when the khối has no sheet that year."""
    sheets = _checked_sheets(group, year, user)
    to_publish = [sheet for sheet in sheets if sheet.status != Status.PUBLISHED]
    return GroupPublication(
        group=group,
        year=year,
        units=len(sheets),
        to_publish=to_publish,
        already_published=len(sheets) - len(to_publish),
        not_ready=[row for sheet in to_publish if (row := _not_ready(sheet))],
        ranking=group_ranking(group, year, statuses=[Status.APPRAISED, Status.PUBLISHED]),
        decision=group_decision(group, year),
    )


def _checked_sheets(group: RankingGroup, year: int, user: User) -> list[Assessment]:
    """The khối's sheets of the year with what publishing checks, once the user may
    publish every one of them (2 queries for Nội vụ, 1 for an administrator)."""
    role = user_role(user)
    if role not in {Role.ADMIN, Role.HOME_AFFAIRS}:
        raise PermissionDenied(NOT_HOME_AFFAIRS)
    if role == Role.HOME_AFFAIRS:
        _check_whole_group_in_scope(group, year, user)
    sheets = list(
        group_sheets(group, year)
        .select_related("unit")
        .annotate(
            rounds=rounds_value(),
            unappraised=unappraised_count(),
        )
        .order_by("unit__code")
    )
    if not sheets:
        raise ValidationError(f"{group.name} không có kết quả đánh giá nào năm {year}.")
    return sheets


def _check_whole_group_in_scope(group: RankingGroup, year: int, user: User) -> None:
    sheets = group_sheets(group, year)
    outside = sheets.exclude(unit__in=units_in_scope(user)).count()
    if not outside:
        return
    if not sheets.filter(unit__in=units_in_scope(user)).exists():
        raise PermissionDenied("Bạn không có quyền công bố kết quả của khối này.")
    raise PermissionDenied(
        f"{group.name} năm {year} có {outside} đơn vị ngoài phạm vi quản lý của bạn, nên bạn "
        "không công bố được cả khối. Đề nghị Nội vụ cấp trên (phụ trách mọi đơn vị của khối) "
        "hoặc quản trị viên công bố."
    )


def _not_ready(sheet: Assessment) -> NotReady | None:
    """Why publishing would refuse this sheet, as `scoring.workflow` would say it; the
    transition checks each sheet again under its lock."""
    if sheet.status != Status.APPRAISED:
        reason = f"chưa hoàn tất thẩm định (trạng thái «{Status(sheet.status).label}»)"
    elif sheet.rounds == 2 and sheet.appraisal_round == 1:
        reason = "năm này thẩm định hai vòng, đơn vị mới thẩm định xong vòng 1"
    elif sheet.unappraised:
        reason = f"còn {sheet.unappraised} tiêu chí chưa có điểm thẩm định"
    else:
        return None
    return NotReady(sheet.unit.code, sheet.unit.name, reason)


def group_decision(group: RankingGroup, year: int) -> PublicationDecision | None:
    return PublicationDecision.objects.filter(group=group, year=year).first()


def default_issuer(group: RankingGroup, year: int, user: User) -> str:
    """ "UBND huyện Cẩm Xuyên": Nội vụ's jurisdiction; for an administrator the unit
    every sheet of the khối sits under, if they share one."""
    unit = home_unit(user) if user_role(user) == Role.HOME_AFFAIRS else None
    if unit is None:
        parents = list(
            Unit.objects.filter(children__assessments__in=group_sheets(group, year)).distinct()[:2]
        )
        unit = parents[0] if len(parents) == 1 else None
    return f"UBND {in_sentence(unit.name)}" if unit else ""


def default_subject(year: int) -> str:
    return f"phê duyệt Chỉ số cải cách hành chính năm {year}"


@transaction.atomic
def group_publish(
    *,
    group: RankingGroup,
    year: int,
    user: User,
    number: str,
    signed_on: date,
    issuer: str,
    signer_name: str = "",
    subject: str = "",
) -> PublishOutcome:
    """Publish every sheet of the khối and year not yet published, and record (or
    correct) the decision; a khối published already only has its decision recorded.
    PermissionDenied, or ValidationError (by decision field, or PublicationRefused
    naming the units held back) with nothing written."""
    # Lock the khối's sheets first, in one order, so nobody moves one mid-way.
    list(group_sheets(group, year).select_for_update().order_by("pk").values_list("pk"))
    preview = group_publication(group=group, year=year, user=user)
    decision = _decision(
        preview.decision or PublicationDecision(group=group, year=year),
        user=user,
        number=number,
        signed_on=signed_on,
        issuer=issuer,
        signer_name=signer_name,
        subject=subject,
    )
    if not preview.ready:
        raise PublicationRefused(preview.not_ready)
    refused = []
    for sheet in preview.to_publish:
        try:
            assessment_transition(assessment=sheet, user=user, action=PUBLISH)
        except ValidationError as error:
            refused.append(NotReady(sheet.unit.code, sheet.unit.name, " ".join(error.messages)))
    if refused:
        raise PublicationRefused(refused)
    decision.save()
    return PublishOutcome(
        group=group,
        year=year,
        published=len(preview.to_publish),
        already_published=preview.already_published,
        decision=decision,
        plans_updated=plans_cite_decision(decision=decision),
    )


def _decision(
    decision: PublicationDecision,
    *,
    user: User,
    number: str,
    signed_on: date,
    issuer: str,
    signer_name: str,
    subject: str,
) -> PublicationDecision:
    """The decision with these fields, checked (ValidationError by field), not saved."""
    decision.number = re.sub(r"^số\s*:?\s*", "", number.strip(), flags=re.IGNORECASE)
    decision.signed_on = signed_on
    decision.issuer = issuer.strip()
    decision.signer_name = signer_name.strip()
    decision.subject = re.sub(r"^về việc\s+", "", subject.strip(), flags=re.IGNORECASE)
    decision.recorded_by = user
    decision.full_clean()
    _check_signed_on(signed_on, decision.year)
    return decision


def _check_signed_on(signed_on: date, year: int) -> None:
    if signed_on > timezone.localdate():
        raise ValidationError(
            {"signed_on": f"Ngày ký {signed_on:%d/%m/%Y} chưa đến; hãy nhập ngày đã ký quyết định."}
        )
    if signed_on.year < year:
        raise ValidationError(
            {"signed_on": f"Quyết định công bố kết quả năm {year} không thể ký trước năm {year}."}
        )


def outcome_summary(outcome: PublishOutcome) -> str:
    """What was done, in counts (the page's message, the command's output)."""
    decision = outcome.decision
    cited = f"Quyết định số {decision.number} ngày {decision.signed_on:%d/%m/%Y}"
    where = f"{outcome.group.name} năm {outcome.year}"
    if outcome.published:
        text = f"Đã công bố kết quả {outcome.published} đơn vị của {where} theo {cited}"
        if outcome.already_published:
            text += f" ({outcome.already_published} đơn vị đã công bố trước đó)"
    else:
        text = (
            f"Đã ghi nhận {cited} cho {where}; cả {outcome.already_published} đơn vị "
            "đã công bố trước đó"
        )
    if outcome.plans_updated:
        text += f"; {outcome.plans_updated} kế hoạch khắc phục đã cập nhật căn cứ theo quyết định"
    return text + "."
