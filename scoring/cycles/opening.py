"""Opening a jurisdiction's cycle: its calendar, and a sheet for every unit below it.

The units of a cycle are those strictly below the jurisdiction (its children and
their children: units sit only under a higher level, so there are no more); the
jurisdiction's own sheet belongs to the cycle of the unit above it. A unit gets a
sheet when exactly one framework of its level covers the year and it belongs to a
khối. Running it again creates nothing twice: units with a sheet that year are left
as they are, and the calendar's dates may move.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from simple_history.utils import bulk_create_with_history

from scoring.access import User, is_home_affairs, units_in_scope
from scoring.engine import refresh_tallies
from scoring.models import Assessment, Framework, ScoringCalendar, Unit

OPENED_REASON = "mở kỳ đánh giá"
NOT_YOURS = "Bạn chỉ mở được kỳ đánh giá cho đơn vị trong phạm vi của mình."
# Without a khối the sheet could never be ranked, and the khối is copied when the sheet
# is made: the unit waits until it has one, and the next run opens it.
NO_GROUP = "Đơn vị chưa thuộc khối xếp hạng nào; hãy chọn khối cho đơn vị rồi mở lại kỳ."
INSERT_BATCH = 500


@dataclass(frozen=True)
class NotOpened:
    unit: Unit
    reason: str


@dataclass
class CyclePlan:
    """What opening the cycle would do now: the sheets to make, the units already open
    and the units it cannot open with why (each list in unit code order)."""

    to_create: list[Assessment] = field(default_factory=list)
    already_open: list[Unit] = field(default_factory=list)
    not_opened: list[NotOpened] = field(default_factory=list)


@dataclass(frozen=True)
class CycleOpening:
    calendar: ScoringCalendar
    calendar_created: bool
    dates_moved: bool
    created: list[Assessment]
    already_open: list[Unit]
    not_opened: list[NotOpened]


def units_below(jurisdiction: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(Q(parent=jurisdiction) | Q(parent__parent=jurisdiction))


def cycle_check_user(*, user: User | None, jurisdiction: Unit) -> None:
    """Nội vụ of the jurisdiction (or of a unit above it) and administrators may open
    its cycle; `user=None` is the server's operator (the management command)."""
    if user is None:
        return
    if not is_home_affairs(user) or not units_in_scope(user).filter(pk=jurisdiction.pk).exists():
        raise PermissionDenied(NOT_YOURS)


def cycle_plan(jurisdiction: Unit, year: int) -> CyclePlan:
    """Which units below `jurisdiction` a run for `year` would open, and why not the
    others (three queries whatever the number of units)."""
    units = units_below(jurisdiction).select_related("ranking_group").order_by("code")
    open_ids = set(
        Assessment.objects.filter(year=year, unit__in=units_below(jurisdiction)).values_list(
            "unit_id", flat=True
        )
    )
    frameworks = _frameworks_by_level(year)
    plan = CyclePlan()
    for unit in units:
        if unit.pk in open_ids:
            plan.already_open.append(unit)
            continue
        reason = _problem(unit, frameworks.get(unit.level, []), year)
        if reason:
            plan.not_opened.append(NotOpened(unit, reason))
        else:
            framework = frameworks[unit.level][0]
            plan.to_create.append(
                Assessment(
                    unit=unit,
                    year=year,
                    framework=framework,
                    ranking_group=unit.ranking_group,
                )
            )
    return plan


def _frameworks_by_level(year: int) -> dict[str, list[Framework]]:
    covering = Framework.objects.filter(year_from__lte=year).filter(
        Q(year_to__isnull=True) | Q(year_to__gte=year)
    )
    by_level = defaultdict(list)
    for framework in covering.order_by("name"):
        by_level[framework.level].append(framework)
    return by_level


def _problem(unit: Unit, frameworks: list[Framework], year: int) -> str:
    level = unit.get_level_display()
    if not frameworks:
        return f"Chưa có bộ chỉ số cấp «{level}» áp dụng cho năm {year}."
    if len(frameworks) > 1:
        names = ", ".join(f"«{framework.name}»" for framework in frameworks)
        return (
            f"Có {len(frameworks)} bộ chỉ số cấp «{level}» cùng áp dụng cho năm {year} "
            f"({names}); hãy sửa năm áp dụng để chỉ còn một bộ."
        )
    if unit.ranking_group_id is None:
        return NO_GROUP
    return ""


@transaction.atomic
def cycle_open(
    *,
    jurisdiction: Unit,
    year: int,
    self_assessment_closes: date | None,
    appraisal_closes: date | None,
    appraisal_rounds: int | None = None,
    user: User | None,
) -> CycleOpening:
    """Create or move the jurisdiction's calendar of `year` and a sheet (with its
    history) for every unit below it that can have one. Refuses with PermissionDenied
    outside the user's scope and ValidationError (Vietnamese, per field) on bad dates
    or rounds; nothing is written then."""
    cycle_check_user(user=user, jurisdiction=jurisdiction)
    # Two runs for one jurisdiction wait for each other (PostgreSQL), so neither
    # creates a sheet the other is creating.
    Unit.objects.select_for_update().filter(pk=jurisdiction.pk).first()
    calendar, created, moved = _calendar_with_dates(
        jurisdiction, year, self_assessment_closes, appraisal_closes, appraisal_rounds
    )
    if created or moved:
        calendar.save()
    plan = cycle_plan(jurisdiction, year)
    made = bulk_create_with_history(
        plan.to_create,
        Assessment,
        batch_size=INSERT_BATCH,
        default_user=user,
        default_change_reason=OPENED_REASON,
    )
    refresh_tallies(assessment.pk for assessment in made)
    return CycleOpening(
        calendar=calendar,
        calendar_created=created,
        dates_moved=moved,
        created=list(made),
        already_open=plan.already_open,
        not_opened=plan.not_opened,
    )


def _calendar_with_dates(
    jurisdiction: Unit,
    year: int,
    self_closes: date | None,
    appraisal_closes: date | None,
    rounds: int | None,
) -> tuple[ScoringCalendar, bool, bool]:
    """The calendar with the new dates, validated, not saved; whether it is new, and
    whether a stored one's dates or rounds change."""
    calendar = ScoringCalendar.objects.filter(unit=jurisdiction, year=year).first()
    created = calendar is None
    if created:
        calendar = ScoringCalendar(unit=jurisdiction, year=year)
    before = (calendar.self_assessment_closes, calendar.appraisal_closes, calendar.appraisal_rounds)
    calendar.self_assessment_closes = self_closes
    calendar.appraisal_closes = appraisal_closes
    if rounds is not None:
        calendar.appraisal_rounds = rounds
    after = (calendar.self_assessment_closes, calendar.appraisal_closes, calendar.appraisal_rounds)
    calendar.full_clean(exclude=["unit", "year"] if not created else None)
    return calendar, created, not created and before != after


def calendar_summary(calendar: ScoringCalendar) -> str:
    rounds = calendar.get_appraisal_rounds_display().lower()
    return (
        f"hạn tự đánh giá {calendar.self_assessment_closes:%d/%m/%Y}, "
        f"hạn thẩm định {calendar.appraisal_closes:%d/%m/%Y}, {rounds}"
    )


def opening_summary(result: CycleOpening) -> str:
    """One sentence for the person who opened the cycle: what it did to the calendar
    and how many sheets it made, left and could not make."""
    calendar = result.calendar
    if result.calendar_created:
        dates = "đã tạo lịch"
    elif result.dates_moved:
        dates = "đã dời lịch"
    else:
        dates = "lịch giữ nguyên"
    return (
        f"Kỳ đánh giá năm {calendar.year} của {calendar.unit.name}: {dates} "
        f"({calendar_summary(calendar)}). Đã mở {len(result.created)} phiếu mới, "
        f"{len(result.already_open)} đơn vị đã mở từ trước, "
        f"{len(result.not_opened)} đơn vị chưa mở được."
    )
