"""The ranking page: sort orders, field columns and shared ranks."""

from dataclasses import dataclass
from decimal import Decimal

from scoring.engine import BY_RANK, GroupRanking, RankingHead, RankingOrder

# The page's ?sort= words and the engine's orders. By index is by rank: ranks follow the
# index, and units of equal index share a rank.
SORTS = {
    "hang": BY_RANK,
    "don-vi": RankingOrder("name"),
    "tong": RankingOrder("total"),
    "chi-so": BY_RANK,
    "bi-tru": RankingOrder("deducted"),
    "thay-doi": RankingOrder("change"),
}
FIELD_SORT = "linh-vuc-"


def ranking_order(sort: str) -> RankingOrder:
    """The engine's order for ?sort= (by rank for a word it does not know)."""
    if sort.startswith(FIELD_SORT):
        return RankingOrder("field", sort[len(FIELD_SORT) :])
    return SORTS.get(sort, BY_RANK)


def sort_used(sort: str, ranking: RankingHead) -> str:
    """The ?sort= word of the order the engine actually used ("hang" for one it refused)."""
    return sort if ranking_order(sort) == ranking.order else "hang"


@dataclass(frozen=True)
class FieldHeading:
    """A field column of the ranking: its code, title and max (None where editions differ)."""

    code: str
    title: str
    max_points: Decimal | None


def ranking_fields(ranking: RankingHead) -> list[FieldHeading]:
    """The ranking's field columns, in order, with what a reader needs to read them."""
    found: dict[str, list[tuple[str, Decimal]]] = {}
    for code, title, max_points in ranking.field_editions:
        found.setdefault(code, []).append((title, max_points))
    headings = []
    for code in ranking.field_codes:
        editions = found.get(code, [])
        maxima = {max_points for _, max_points in editions}
        title = editions[0][0] if editions else ""
        headings.append(FieldHeading(code, title, maxima.pop() if len(maxima) == 1 else None))
    return headings


def shared_ranks(ranking: GroupRanking) -> set[int]:
    """Ranks held by more than one unit of the khối."""
    return {row.rank for row in ranking.rows if row.tied}
