"""What the paged tables (the staff and the public ranking) read from a request and show
under themselves."""

from django.core.paginator import Paginator
from django.http import HttpRequest

from scoring.engine import RankingPage


def int_param(request: HttpRequest, name: str) -> int | None:
    """The query parameter `name` as a whole number, None when absent or not one."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def page_links(result: RankingPage) -> list[int | str]:
    """Page numbers around the current one, the first and the last, "…" between."""
    if result.pages < 2:
        return []
    pages = Paginator(range(result.matched), result.per_page)
    elided = pages.get_elided_page_range(result.page, on_each_side=1, on_ends=1)
    return [number if isinstance(number, int) else "…" for number in elided]
