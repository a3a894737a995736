"""The ranking page: sort orders, field columns and shared ranks."""

from dataclasses import dataclass
from decimal import Decimal

from scoring.engine import (
    GroupRanking,
    RankingRow,
)
from scoring.models import (
    Criterion,
)

SORTS = {
    "hang": lambda row: (row.rank, row.unit_code),
    "don-vi": lambda row: (row.unit_name.casefold(), row.unit_code),
    "tong": lambda row: (-row.tally.achieved, row.unit_code),
    "chi-so": lambda row: (-(row.tally.index_pct or Decimal(-1)), row.unit_code),
    "bi-tru": lambda row: (-row.tally.deducted, row.unit_code),
    "thay-doi": lambda row: (
        row.rank_change is None,
        -(row.rank_change or 0),
        row.rank,
    ),
}
FIELD_SORT = "linh-vuc-"


def sorted_rows(ranking: GroupRanking, sort: str) -> tuple[list[RankingRow], str]:
    """The rows in the order asked for (?sort=), and the key actually used."""
    if sort.startswith(FIELD_SORT) and sort[len(FIELD_SORT) :] in ranking.field_codes:
        code = sort[len(FIELD_SORT) :]
        key = lambda row: (-row.field_points.get(code, Decimal(0)), row.unit_code)  # noqa: E731
        return sorted(ranking.rows, key=key), sort
    if sort not in SORTS:
        sort = "hang"
    return sorted(ranking.rows, key=SORTS[sort]), sort


@dataclass(frozen=True)
class FieldHeading:
    """A field column of the ranking: its code, title and max (None where editions differ)."""

    code: str
    title: str
    max_points: Decimal | None


def ranking_fields(ranking: GroupRanking) -> list[FieldHeading]:
    """The ranking's field columns, in order, with what a reader needs to read them."""
    ids = [row.assessment_id for row in ranking.rows]
    found: dict[str, list[tuple[str, Decimal]]] = {}
    fields = (
        Criterion.objects.filter(depth=0, framework__assessments__id__in=ids)
        .values_list("code", "title", "max_points")
        .distinct()
    )
    for code, title, max_points in fields:
        found.setdefault(code, []).append((title, max_points))
    headings = []
    for code in ranking.field_codes:
        editions = found.get(code, [])
        maxima = {max_points for _, max_points in editions}
        title = editions[0][0] if editions else ""
        headings.append(FieldHeading(code, title, maxima.pop() if len(maxima) == 1 else None))
    return headings


def shared_ranks(ranking: GroupRanking) -> set[int]:
    """Ranks held by more than one unit."""
    seen: dict[int, int] = {}
    for row in ranking.rows:
        seen[row.rank] = seen.get(row.rank, 0) + 1
    return {rank for rank, count in seen.items() if count > 1}
