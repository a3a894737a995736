"""Nội vụ's work queue (their home page) and the queue's order carried onto the sheet.

The filters live in the querystring (a GET form), so a link to a page of the queue,
a sort order or a sheet opened from it keeps them; the sheet reads the same
querystring to offer "Đơn vị tiếp theo" in the queue's order.
"""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from cchc.text import refuse_control_characters
from scoring.access import assessments_in_scope, home_unit, is_home_affairs, user_role
from scoring.analysis import cycle_summary
from scoring.analysis.queue import (
    DEFAULT_SORT,
    SORTS,
    Neighbours,
    QueueQuery,
    queue_neighbours,
    queue_page,
    queue_years,
)
from scoring.models import Assessment, AssessmentStatus, RankingGroup, Role

SORT_CHOICES = [(key, key) for key in SORTS] + [(f"-{key}", key) for key in SORTS]
# The columns a header sorts by, with the direction of its first click.
SORT_COLUMNS = {"ma": False, "ten": False, "trang-thai": False, "han": False}
SORT_COLUMNS |= {"tu-cham": True, "tham-dinh": True}


class QueueForm(forms.Form):
    """The queue's querystring. Group and year are checked against the scope by the
    selectors (a group outside it just matches nothing), so the sheet can read the
    same form without the lists of choices."""

    nam = forms.IntegerField(required=False, min_value=1900, max_value=9999)
    q = forms.CharField(required=False, max_length=100, validators=[refuse_control_characters])
    trang_thai = forms.ChoiceField(
        required=False, choices=[("", "Mọi trạng thái"), *AssessmentStatus.choices]
    )
    khoi = forms.IntegerField(required=False, min_value=1)
    qua_han = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORT_CHOICES)

    # The year is checked against the scope's years, and said so, by the page itself.
    FIELD_NAMES = {
        "q": "tìm kiếm",
        "trang_thai": "trạng thái",
        "khoi": "khối",
        "sort": "sắp xếp",
    }

    def ignored(self) -> list[str]:
        """The filters that were not understood (and so not applied), by their names."""
        return [self.FIELD_NAMES[name] for name in self.errors if name in self.FIELD_NAMES]


def read_queue(params: QueryDict, year: int) -> tuple[QueueQuery, QueueForm]:
    """The queue asked for by `params`, in `year`; a value not understood is left out."""
    form = QueueForm(params)
    form.is_valid()
    data = form.cleaned_data
    sort = data.get("sort") or DEFAULT_SORT
    query = QueueQuery(
        year=year,
        search=data.get("q") or "",
        status=data.get("trang_thai") or "",
        group_id=data.get("khoi"),
        overdue=bool(data.get("qua_han")),
        sort=sort.removeprefix("-"),
        descending=sort.startswith("-"),
    )
    return query, form


def queue_params(query: QueueQuery, **changes) -> str:
    """The querystring of `query` (with `changes`), leaving out what is the default."""
    params = {
        "nam": query.year,
        "q": query.search,
        "trang_thai": query.status,
        "khoi": query.group_id or "",
        "qua_han": "1" if query.overdue else "",
        "sort": ("-" if query.descending else "") + query.sort,
    }
    params |= changes
    if params["sort"] == DEFAULT_SORT:
        params["sort"] = ""
    return urlencode({key: value for key, value in params.items() if value not in ("", None)})


def _sort_links(query: QueueQuery) -> dict[str, dict]:
    """Each sortable column's link: the other direction when it is the current sort."""
    links = {}
    for key, first_descending in SORT_COLUMNS.items():
        current = query.sort == key
        descending = not query.descending if current else first_descending
        links[key.replace("-", "_")] = {
            "url": "?" + queue_params(query, sort=("-" if descending else "") + key),
            "aria": ("descending" if query.descending else "ascending") if current else "",
        }
    return links


def _year(request: HttpRequest, years: list[int]) -> int | None:
    asked = request.GET.get("nam", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    if asked:
        messages.warning(request, f"Không có kết quả đánh giá năm «{asked}» trong phạm vi của bạn.")
    return years[0] if years else None


def render_queue(request: HttpRequest) -> HttpResponse:
    """Nội vụ's and administrators' home: the year's sheets in scope, as a work queue."""
    role = user_role(request.user)
    today = timezone.localdate()
    years = queue_years(request.user)
    year = _year(request, years)
    ctx = {
        "role_label": Role(role).label if role else "Chưa được phân quyền",
        "scope_unit": home_unit(request.user),
        "years": years,
        "summary": cycle_summary(request.user, today, year=year) if year else None,
    }
    if year:
        query, form = read_queue(request.GET, year)
        if ignored := form.ignored():
            messages.warning(request, "Đã bỏ qua bộ lọc không hợp lệ: " + ", ".join(ignored) + ".")
        ctx |= {
            "query": query,
            "page": queue_page(request.user, query, today, request.GET.get("trang")),
            "params": queue_params(query),
            "sort_links": _sort_links(query),
            "statuses": AssessmentStatus.choices,
            "groups": _groups(request, year),
        }
    return render(request, "home.html", ctx)


def _groups(request: HttpRequest, year: int) -> list[RankingGroup]:
    sheets = assessments_in_scope(request.user).filter(year=year)
    return list(RankingGroup.objects.filter(assessments__in=sheets).distinct().order_by("name"))


def queue_suffix(request: HttpRequest, assessment: Assessment) -> str:
    """ "?<the queue's querystring>" for the sheet's own links and redirects when it was
    opened from the queue, else ""."""
    if not any(name in request.GET for name in QueueForm.base_fields):
        return ""
    return "?" + queue_params(read_queue(request.GET, assessment.year)[0])


def sheet_neighbours(request: HttpRequest, assessment: Assessment) -> dict | None:
    """For Nội vụ on a sheet: the queue's querystring and the sheets before and after it
    in the queue's order (one query); None for a unit user."""
    if not is_home_affairs(request.user):
        return None
    query, _ = read_queue(request.GET, assessment.year)
    today = timezone.localdate()
    neighbours: Neighbours = queue_neighbours(request.user, query, today, assessment.pk)
    return {"params": queue_params(query), "previous": neighbours.previous, "next": neighbours.next}
