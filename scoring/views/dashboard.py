"""Dashboards, rankings and analyses."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from cchc.documents.docx import document_docx
from cchc.documents.model import Document
from cchc.documents.pdf import document_pdf
from cchc.downloads import attachment
from cchc.formatting import format_percent
from cchc.pdf import weasyprint_missing
from scoring import analysis
from scoring.access import get_unit_for_user, home_unit, is_home_affairs, units_in_scope
from scoring.analysis.predecessors import comparison_choices
from scoring.charts import Bar, bar_chart, column_chart
from scoring.engine import RankingRow, RankingStream, ranking_page, ranking_stream
from scoring.models import Assessment, RankingGroup, Unit
from scoring.ranking_workbook import ranking_page_xlsx
from scoring.reports.analysis import UnpublishedResult, analysis_document_model
from scoring.units.lineage import group_lineage_labels
from scoring.views.paging import int_param, page_links

# --- Unit dashboard -----------------------------------------------------------


@require_GET
@login_required
def dashboard(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    return render_dashboard(request, unit)


def render_dashboard(request: HttpRequest, unit: Unit) -> HttpResponse:
    """The unit's page for the year in ?nam= (the latest by default); home uses it too."""
    history = analysis.unit_assessments(unit)
    ctx = {"unit": unit, "history": history}
    if not history:
        return render(request, "scoring/dashboard.html", ctx)
    year = int_param(request, "nam")
    assessment = next((a for a in history if a.year == year), history[0])
    if year is not None and year != assessment.year:
        messages.warning(
            request, f"{unit.name} chưa có kết quả năm {year}; đang xem năm {assessment.year}."
        )
    board = analysis.unit_dashboard(request.user, assessment, history)
    ctx |= {
        "board": board,
        "assessment": assessment,
        "plan": unit.remediation_plans.filter(year=assessment.year).first(),
        "whatif": analysis.criteria_what_if(
            request.user,
            board.breakdown,
            request.GET.getlist("tieu_chi"),
            asked="tinh_thu" in request.GET,
        ),
        "field_chart": bar_chart(
            f"Điểm đạt theo lĩnh vực năm {assessment.year}",
            [
                Bar(
                    f"{row.node.code}. {row.node.title}",
                    row.node.tally.achieved,
                    row.node.tally.max_points,
                )
                for row in board.fields
            ],
        ),
        "trend_chart": _trend_chart(board),
    }
    return render(request, "scoring/dashboard.html", ctx)


def _trend_chart(board: analysis.Dashboard) -> SafeString:
    """Totals over the years; with the years of predecessors before the unit's own, the
    index instead, those years marked "*" and drawn as the predecessors' average index."""
    year = str(board.assessment.year)
    if not board.predecessor_years:
        return column_chart(
            "Tổng điểm qua các năm",
            [Bar(str(point.assessment.year), point.total.achieved) for point in board.trend],
            highlight=year,
        )
    columns = [
        _index_bar(f"{before.year}*", before.mean_index) for before in board.predecessor_years
    ]
    columns += [_index_bar(str(p.assessment.year), p.total.index_pct) for p in board.trend]
    return column_chart("Chỉ số (%) qua các năm", columns, highlight=year)


def _index_bar(label: str, index_pct: Decimal | None) -> Bar:
    value = index_pct or Decimal(0)
    return Bar(label, value, caption=f"{format_percent(value)}%")


@require_GET
@login_required
def comparison(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id)
    history = analysis.unit_assessments(unit)
    # A merged or split unit compares with its predecessors' years too.
    choices = comparison_choices(history, analysis.predecessor_results(request.user, unit))
    if not history or len(choices) < 2:
        return render(request, "scoring/comparison.html", {"unit": unit, "history": history})
    by_year = {a.year: a for a in history}
    current = by_year.get(int_param(request, "nam") or 0, history[0])
    earlier = [c.assessment for c in choices if c.assessment.year < current.year]
    default_other = earlier[0] if earlier else history[-1]
    by_value = {choice.value: choice.assessment for choice in choices}
    other = by_value.get(request.GET.get("voi", ""), default_other)
    if other.pk == current.pk:
        other = next(c.assessment for c in choices if c.assessment.pk != current.pk)
    ctx = {
        "unit": unit,
        "history": history,
        "choices": choices,
        "current": current,
        "other": other,
        "cmp": analysis.compare_years(current, other),
    }
    return render(request, "scoring/comparison.html", ctx)


# --- The year's analysis report -------------------------------------------------


def _analysis_document(request: HttpRequest, unit_id: int, year: int) -> Document:
    """The report of the unit's published result of `year`, scoped as the dashboard is."""
    unit = get_unit_for_user(request.user, unit_id)
    assessment = get_object_or_404(
        Assessment.objects.select_related("unit", "unit__parent", "ranking_group"),
        unit=unit,
        year=year,
    )
    try:
        return analysis_document_model(assessment)
    except UnpublishedResult as refused:
        raise PermissionDenied(str(refused)) from refused


@require_GET
@login_required
def analysis_report_pdf(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    document = _analysis_document(request, unit_id, year)
    if weasyprint_missing():
        return HttpResponse(weasyprint_missing(), status=503, content_type="text/plain")

    return attachment(document_pdf(document), f"{document.filename}.pdf")


@require_GET
@login_required
def analysis_report_docx(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    document = _analysis_document(request, unit_id, year)

    return attachment(document_docx(document), f"{document.filename}.docx")


# --- Ranking ------------------------------------------------------------------


def _chosen_group_year(
    request: HttpRequest, groups: list[RankingGroup], years_of
) -> tuple[RankingGroup | None, int | None, list[int]]:
    group_id = int_param(request, "khoi")
    if group_id is not None and group_id not in {g.pk for g in groups}:
        raise PermissionDenied("Bạn không có quyền xem kết quả của khối này.")
    group = next((g for g in groups if g.pk == group_id), groups[0] if groups else None)
    if group is None:
        return None, None, []
    years = years_of(group)
    year = int_param(request, "nam")
    if year is not None and year not in years:
        # Usually the group was changed with the other group's year still selected.
        if years:
            messages.info(
                request, f"{group.name} không có kết quả năm {year}; đang xem năm {years[0]}."
            )
        year = None
    return group, year if year is not None else (years[0] if years else None), years


RANKING_PER_PAGE = 50


@require_GET
@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    groups = list(analysis.ranking_groups_for_user(request.user))
    group, year, years = _chosen_group_year(
        request, groups, lambda g: analysis.ranking_years(request.user, g)
    )
    ctx: dict = {"groups": groups, "group": group, "year": year, "years": years}
    if group is None or year is None:
        return render(request, "scoring/ranking.html", ctx)
    statuses = analysis.ranking_statuses(request.user, group, year)
    asked = request.GET.get("sort", "hang")
    order = analysis.ranking_order(asked)
    if request.GET.get("tai") == "xlsx":
        return _ranking_xlsx(ranking_stream(group, year, statuses=statuses, order=order))
    search = request.GET.get("q", "").strip()
    own = home_unit(request.user)
    result = ranking_page(
        group,
        year,
        statuses=statuses,
        order=order,
        search=search,
        page=int_param(request, "trang") or 1,
        per_page=RANKING_PER_PAGE,
        pinned_units=[own.pk] if own else [],
    )
    sort = analysis.sort_used(asked, result)
    ctx |= {
        "ranking": result,
        "rows": result.rows,
        # The user's own unit, when not on the page, above it.
        "table_rows": [*result.pinned, *result.rows],
        "sort": sort,
        "search": search,
        "published_only": statuses == analysis.PUBLISHED,
        "user_is_home_affairs": is_home_affairs(request.user),
        "fields": analysis.ranking_fields(result),
        "own_max_shown": any(row.field_own_max for row in [*result.pinned, *result.rows]),
        "unit_links": _unit_links(request, [*result.pinned, *result.rows]),
        "lineage": group_lineage_labels([group], year),
        "chart": _ranking_chart(year, result.rows),
        "page_links": page_links(result),
        "query": urlencode({"khoi": group.pk, "nam": year, "sort": sort, "q": search}),
    }
    return render(request, "scoring/ranking.html", ctx)


RANKING_CHART_ROWS = 30


def _ranking_chart(year: int, rows: list[RankingRow]) -> SafeString:
    """Totals of the first rows in the table's order: a khối of 200 communes would
    otherwise draw a chart many screens tall."""
    title = f"Tổng điểm năm {year}"
    if len(rows) > RANKING_CHART_ROWS:
        title += f" · {RANKING_CHART_ROWS} dòng đầu của bảng"
    shown = rows[:RANKING_CHART_ROWS]
    return bar_chart(title, [Bar(row.unit_name, row.tally.achieved) for row in shown])


def _unit_links(request: HttpRequest, rows: list[RankingRow]) -> dict[str, int]:
    """Unit code → id of the rows whose dashboard the user may open."""
    codes = [row.unit_code for row in rows]
    return dict(units_in_scope(request.user).filter(code__in=codes).values_list("code", "id"))


def _ranking_xlsx(result: RankingStream) -> HttpResponse:
    name = f"xep-hang-{result.year}-khoi-{result.group.pk}.xlsx"
    return attachment(ranking_page_xlsx(result), name)


# --- Criterion analysis -------------------------------------------------------


@require_GET
@login_required
def criterion_analysis(request: HttpRequest) -> HttpResponse:
    if not is_home_affairs(request.user):
        raise PermissionDenied("Chỉ cán bộ Nội vụ được xem phân tích điểm bị trừ.")
    groups = list(analysis.ranking_groups_for_user(request.user))
    group, year, years = _chosen_group_year(
        request, groups, lambda g: analysis.ranking_years(request.user, g)
    )
    ctx: dict = {"groups": groups, "group": group, "year": year, "years": years}
    if group is not None and year is not None:
        losses = analysis.group_losses(request.user, group, year)
        last_year = next((earlier for earlier in years if earlier < year), None)
        if last_year is not None:
            losses = analysis.with_last_year(losses, request.user, group, year, last_year)
        ctx |= {
            "losses": losses,
            "last_year": last_year,
            "top": losses.criteria[:30],
            "chart": bar_chart(
                f"Tổng điểm bị trừ theo lĩnh vực năm {year}",
                [Bar(f"{row.code}. {row.title}", row.deducted) for row in losses.fields],
            ),
        }
    return render(request, "scoring/analysis.html", ctx)


urlpatterns = [
    path("don-vi/<int:unit_id>/tong-quan/", dashboard, name="dashboard"),
    path("don-vi/<int:unit_id>/so-sanh/", comparison, name="comparison"),
    path(
        "don-vi/<int:unit_id>/tong-quan/<int:year>/bao-cao.pdf",
        analysis_report_pdf,
        name="analysis_report_pdf",
    ),
    path(
        "don-vi/<int:unit_id>/tong-quan/<int:year>/bao-cao.docx",
        analysis_report_docx,
        name="analysis_report_docx",
    ),
    path("xep-hang/", ranking, name="ranking"),
    path("phan-tich/", criterion_analysis, name="analysis"),
]
