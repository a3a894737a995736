"""Nội vụ's work queue: the year's sheets in scope with status, totals and deadline,
searched, filtered, sorted and paged in SQL, and the sheet before and after one of
them in that same order ("Đơn vị tiếp theo").

Totals come from `scoring.engine.with_totals`, deadlines from
`scoring.cycles.calendars.with_deadlines`; both are annotations, so a page costs the
same few queries whatever the number of sheets, and sorting by them spans all pages.
"""

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    Max,
    OrderBy,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Lag, Lead

from cchc.search import Folded, fold
from scoring.access import User, assessments_in_scope
from scoring.cycles.calendars import past_deadline, with_deadlines
from scoring.engine import SheetTotals, sheet_totals, with_totals
from scoring.models import Assessment, AssessmentStatus
from scoring.workflow import sheet_status_label

PER_PAGE = 50
# The workflow's order, for sorting by status.
STATUS_ORDER = Case(
    *(When(status=value, then=Value(rank)) for rank, value in enumerate(AssessmentStatus.values)),
)
# ?sort= keys (a leading "-" sorts descending) and what they sort on; unit code breaks ties.
SORTS = {
    "ma": [F("unit__code")],
    "ten": [Folded("unit__name")],
    "trang-thai": [STATUS_ORDER, F("appraisal_round")],
    "han": [F("deadline")],
    "tu-cham": [F("self_milli")],
    "tham-dinh": [F("appraised_milli")],
}
DEFAULT_SORT = "ma"


@dataclass(frozen=True)
class QueueQuery:
    """What the queue shows: a year of the scope, and the filters and order asked for."""

    year: int
    search: str = ""
    status: str = ""
    group_id: int | None = None
    overdue: bool = False
    sort: str = DEFAULT_SORT
    descending: bool = False


@dataclass(frozen=True)
class QueueRow:
    assessment: Assessment
    status_label: str
    totals: SheetTotals
    deadline: date | None
    days_left: int | None
    overdue: bool

    @property
    def days_text(self) -> str:
        """ "còn 3 ngày", "quá hạn 2 ngày"; nothing once the date is past for a sheet
        that no longer waits on it (appraised, to be published)."""
        if self.days_left is None:
            return ""
        if self.overdue:
            return f"quá hạn {-self.days_left} ngày"
        if self.days_left == 0:
            return "hết hạn hôm nay"
        return f"còn {self.days_left} ngày" if self.days_left > 0 else ""


@dataclass(frozen=True)
class Neighbours:
    """The sheets before and after one in the queue's order, as (id, unit name)."""

    previous: tuple[int, str] | None
    next: tuple[int, str] | None


def queue_years(user: User) -> list[int]:
    """The years that have sheets in the user's scope, latest first."""
    years = assessments_in_scope(user).order_by("-year").values_list("year", flat=True)
    return list(years.distinct())


def _ordering(query: QueueQuery) -> list[OrderBy]:
    keys = SORTS.get(query.sort, SORTS[DEFAULT_SORT])
    direction = "desc" if query.descending else "asc"
    ordered = [getattr(key, direction)(nulls_last=True) for key in keys]
    return [*ordered, F("unit__code").asc(), F("pk").asc()]


def _filters(query: QueueQuery, today: date) -> Q:
    filters = Q()
    if query.search:
        term = fold(" ".join(query.search.split()))  # "cam  son" as "cam son"
        filters &= Q(folded_name__contains=term) | Q(folded_code__contains=term)
    if query.status:
        filters &= Q(status=query.status)
    if query.group_id:
        filters &= Q(ranking_group_id=query.group_id)
    if query.overdue:
        filters &= past_deadline(today)
    return filters


def _annotated(user: User, query: QueueQuery, today: date) -> QuerySet[Assessment]:
    sheets = assessments_in_scope(user).filter(year=query.year)
    sheets = with_totals(with_deadlines(sheets)).annotate(
        is_overdue=ExpressionWrapper(past_deadline(today), output_field=BooleanField()),
    )
    # Only for the search filter: selected, the folded names would be worked out for
    # every sheet in scope before the page is cut (PostgreSQL puts off only the
    # subqueries of deadlines until after the sort and limit).
    sheets = sheets.alias(folded_name=Folded("unit__name"), folded_code=Folded("unit__code"))
    return sheets.select_related("unit", "ranking_group")


def queue_sheets(user: User, query: QueueQuery, today: date) -> QuerySet[Assessment]:
    """The queue's sheets in its order, annotated with totals and deadlines."""
    return _annotated(user, query, today).filter(_filters(query, today)).order_by(*_ordering(query))


def _row(sheet: Assessment, today: date) -> QueueRow:
    return QueueRow(
        assessment=sheet,
        status_label=sheet_status_label(
            sheet.status, appraisal_round=sheet.appraisal_round, rounds=sheet.rounds
        ),
        totals=sheet_totals(sheet),
        deadline=sheet.deadline,
        days_left=None if sheet.deadline is None else (sheet.deadline - today).days,
        overdue=bool(sheet.is_overdue),
    )


def queue_page(user: User, query: QueueQuery, today: date, number: str | int | None) -> Page:
    """One page of the queue (PER_PAGE rows, QueueRow each); a page number out of range
    gives the last page."""
    page = Paginator(queue_sheets(user, query, today), PER_PAGE).get_page(number)
    page.object_list = [_row(sheet, today) for sheet in page.object_list]
    return page


def queue_neighbours(user: User, query: QueueQuery, today: date, sheet_id: int) -> Neighbours:
    """The sheets before and after `sheet_id` in the queue's order (one query).

    The sheet itself always takes its place in the order, even when it no longer
    matches the filters (Nội vụ filtered "Đã gửi thẩm định" and has just appraised it),
    so "next" still leads on to the rest of the list."""
    window = {"order_by": _ordering(query)}
    sheets = _annotated(user, query, today)
    if filters := _filters(query, today):
        sheets = sheets.filter(filters | Q(pk=sheet_id))
    sheets = (
        sheets.annotate(
            previous_id=Window(Lag("pk"), **window),
            previous_name=Window(Lag("unit__name"), **window),
            next_id=Window(Lead("pk"), **window),
            next_name=Window(Lead("unit__name"), **window),
            # The row's own id as a window value: Django filters on a window after
            # computing it, so the neighbours above are those of the whole list.
            this_id=Window(Max("pk"), partition_by=[F("pk")]),
        )
        .filter(this_id=sheet_id)
        .values_list("previous_id", "previous_name", "next_id", "next_name")
    )
    found = sheets.first()
    if found is None:
        return Neighbours(None, None)
    previous_id, previous_name, next_id, next_name = found
    return Neighbours(
        previous=None if previous_id is None else (previous_id, previous_name),
        next=None if next_id is None else (next_id, next_name),
    )
