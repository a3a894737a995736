"""The open-results pages: published rankings for anyone, logged in or not.

Outside @login_required on purpose. Every page is the same for every visitor (no name,
no notification bell, no flash message, no CSRF token), so a shared cache may keep it
for five minutes (`Cache-Control: public, max-age=300`).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from scoring.public import selectors
from scoring.public.api import public_cache
from scoring.views.paging import int_param, page_links

# Replaces the messages context processor's: a flash message meant for one person is
# never part of a page kept for everyone (the header's account part is left out by
# templates/scoring/public/base.html).
ANONYMOUS_PAGE = {"messages": ()}


@require_GET
@public_cache
def public_index(request: HttpRequest) -> HttpResponse:
    ctx = {**ANONYMOUS_PAGE, "rankings": selectors.published_rankings()}
    return render(request, "scoring/public/index.html", ctx)


@require_GET
@public_cache
def public_ranking(request: HttpRequest, group_id: int, year: int) -> HttpResponse:
    ranking = selectors.published_ranking(group_id, year)
    if ranking is None:
        raise Http404("Khối này chưa có kết quả đã công bố trong năm này.")
    search = request.GET.get("q", "").strip()
    page = selectors.published_page(ranking, search=search, page=int_param(request, "trang") or 1)
    ctx = {
        **ANONYMOUS_PAGE,
        "ranking": ranking,
        "page": page,
        "search": search,
        "page_links": page_links(page),
        "lineage": selectors.published_lineage(ranking),
        "query": urlencode({"q": search}),
    }
    return render(request, "scoring/public/ranking.html", ctx)


@require_GET
@public_cache
def open_data(request: HttpRequest) -> HttpResponse:
    """What the API gives and where its OpenAPI description is."""
    ctx = {**ANONYMOUS_PAGE, "rankings": selectors.published_rankings()[:1]}
    return render(request, "scoring/public/api.html", ctx)
