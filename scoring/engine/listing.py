"""Listings of a khối's ranking: the whole of it (`group_ranking`), one page of it with
a search and the user's own unit (`ranking_page`), or all of it read in chunks for a file
(`ranking_stream`). One statement ranks the whole khối every time (`RANKED_CTE`, the
ranks are the khối's), and returns only the rows asked for; field points come from the
stored field tallies of those rows only.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models.expressions import RawSQL

from cchc.search import Folded, fold
from scoring.engine.ranking import (
    BY_RANK,
    RANKED_CTE,
    GroupRanking,
    RankingHead,
    RankingOrder,
    RankingRow,
    classify,
    ranked_sql,
    ranking_row,
)
from scoring.engine.tallies import from_milli
from scoring.models import (
    Assessment,
    ClassificationBand,
    Criterion,
    FieldTally,
    RankingGroup,
    Unit,
)

# The khối's rows of `year` with last year's rank, each marked by whether it matches the
# search (`hit`) and numbered in the order asked for among those that do; the outer
# WHERE keeps a page of them (and any pinned unit) or all of them.
LISTING_SQL = (
    RANKED_CTE
    + """,
this_year AS (
    SELECT ranked.*, COUNT(*) OVER (PARTITION BY unit_rank) AS rank_holders,
        MAX(survey_leaves) OVER () AS group_survey
    FROM ranked WHERE year = %s
),
listed AS (
    SELECT cur.id, u.code, u.name, cur.unit_rank, cur.max_milli, cur.achieved_milli,
        prev.unit_rank AS prev_rank, prev.max_milli AS prev_max,
        prev.achieved_milli AS prev_achieved,
        cur.survey_leaves, cur.survey_max_milli, cur.survey_achieved_milli,
        cur.rank_holders, cur.group_size, cur.group_survey, cur.unit_id,
        {hit} AS hit, {field_milli} AS field_milli
    FROM this_year cur
    JOIN {unit} u ON u.id = cur.unit_id
    LEFT JOIN ranked prev ON prev.unit_id = cur.unit_id AND prev.year = %s
        AND (u.formed_in IS NULL OR u.formed_in <= prev.year)
    {field_join}
),
ordered AS (
    SELECT listed.*, ROW_NUMBER() OVER (PARTITION BY hit ORDER BY {order}) AS position,
        SUM(hit) OVER () AS matched
    FROM listed
)
SELECT id, code, name, unit_rank, max_milli, achieved_milli, prev_rank, prev_max,
    prev_achieved, survey_leaves, survey_max_milli, survey_achieved_milli,
    rank_holders, group_size, group_survey, hit, position, matched
FROM ordered
WHERE {window}
ORDER BY hit DESC, position
"""
)
RANK_HOLDERS, GROUP_SIZE, GROUP_SURVEY, HIT, POSITION, MATCHED = range(12, 18)
# Within the order asked for, the unit code breaks ties, so pages never overlap.
ORDERS = {
    "rank": "unit_rank, code",
    "total": "achieved_milli DESC, code",
    "deducted": "max_milli - achieved_milli DESC, code",
    "change": "CASE WHEN prev_rank IS NULL THEN 1 ELSE 0 END, prev_rank - unit_rank DESC, "
    "unit_rank, code",
    "name": "{folded_name}, code",
    "field": "field_milli DESC, code",
}
# The points of the field a listing is ordered by.
FIELD_JOIN = f"""LEFT JOIN (
        SELECT ft.assessment_id, ft.achieved_milli FROM {FieldTally._meta.db_table} ft
        JOIN {Criterion._meta.db_table} c ON c.id = ft.field_id WHERE c.depth = 0 AND c.code = %s
    ) fs ON fs.assessment_id = cur.id"""
STREAM_CHUNK = 500  # rows a chunk: its field points are one query of as many ids


@dataclass(kw_only=True)
class RankingPage(GroupRanking):
    """One page of a khối's ranking in the order asked for, with the khối's own ranks.

    `rows` are those on the page; `pinned` the rows asked for by unit that are not on it.
    `matched` counts the units the search finds (all of them with no search)."""

    pinned: list[RankingRow] = field(default_factory=list)
    page: int = 1
    per_page: int = 50
    matched: int = 0
    group_size: int = 0

    @property
    def pages(self) -> int:
        return max(1, -(-self.matched // self.per_page))


@dataclass(kw_only=True)
class RankingStream(RankingHead):
    """The whole khối in the order asked for, read from the database in chunks."""

    rows: Iterator[RankingRow]


def group_ranking(
    group: RankingGroup,
    year: int,
    *,
    statuses: list[str] | None = None,
    with_fields: bool = False,
) -> GroupRanking:
    """The units of a khối in a year, best index first, ties sharing a rank (1, 2, 2, 4).

    Each row carries last year's rank and points, matched by unit code and taken
    from last year's ranking of whatever group the unit was in then. `statuses`
    limits both years to assessments in those states (e.g. published only).
    """
    listing = _Listing(group, year, statuses)
    head = listing.head(with_fields=with_fields)
    with connection.cursor() as cursor:
        cursor.execute(*listing.sql())
        rows = listing.rows(cursor.fetchall())
    if head.field_codes:
        _attach_field_points(rows, head.field_codes)
    head.has_parts = any(row.parts for row in rows)
    return GroupRanking(**vars(head), rows=rows)


def ranking_page(
    group: RankingGroup,
    year: int,
    *,
    statuses: list[str] | None = None,
    order: RankingOrder = BY_RANK,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
    pinned_units: Sequence[int] = (),
) -> RankingPage:
    """One page of `group_ranking` with its fields, in `order`, of the units whose name
    or code contains `search` (folded as `cchc.search` folds), plus the rows of
    `pinned_units` wherever they are. The khối is ranked whole in SQL; only these rows
    come back. A page past the last gives the last page."""
    listing = _Listing(group, year, statuses, order=order, search=search)
    head = listing.head(with_fields=True)
    page = max(1, page)
    records = _fetch(listing, page, per_page, pinned_units)
    if page > 1 and not _on_page(records, page, per_page):
        # Past the last page (or nothing found): count, then show the last page.
        probe = _fetch(listing, 1, 1, ())
        last = max(1, -(-probe[0][MATCHED] // per_page)) if probe else 1
        page = min(page, last)
        records = _fetch(listing, page, per_page, pinned_units)
    matched = records[0][MATCHED] if records else 0
    on_page = _on_page(records, page, per_page)
    rows = listing.rows(on_page)
    pinned = listing.rows([r for r in records if r not in on_page])
    if head.field_codes:
        _attach_field_points([*rows, *pinned], head.field_codes)
    head.has_parts = bool(records and records[0][GROUP_SURVEY])
    return RankingPage(
        **vars(head),
        rows=rows,
        pinned=pinned,
        page=page,
        per_page=per_page,
        matched=matched,
        group_size=records[0][GROUP_SIZE] if records else 0,
    )


def ranking_stream(
    group: RankingGroup,
    year: int,
    *,
    statuses: list[str] | None = None,
    order: RankingOrder = BY_RANK,
    chunk: int = STREAM_CHUNK,
) -> RankingStream:
    """The whole of `group_ranking` with its fields, in `order`, for a file: rows come
    from one statement read `chunk` at a time, each chunk's fields in one more query."""
    listing = _Listing(group, year, statuses, order=order)
    head = listing.head(with_fields=True)
    # A server-side cursor on PostgreSQL: the rows reach Python a chunk at a time. The
    # first chunk is read now, for what the table's head needs to know.
    cursor = connection.chunked_cursor()
    cursor.execute(*listing.sql())
    first = cursor.fetchmany(chunk)
    head.has_parts = bool(first and first[0][GROUP_SURVEY])
    rows = _streamed_rows(listing, cursor, first, head.field_codes, chunk)
    return RankingStream(**vars(head), rows=rows)


class _Listing:
    """One listing of a khối's ranking: its statement, its head and its rows."""

    def __init__(
        self,
        group: RankingGroup,
        year: int,
        statuses: list[str] | None,
        *,
        order: RankingOrder = BY_RANK,
        search: str = "",
    ) -> None:
        self.group, self.year, self.statuses = group, year, statuses
        self.order, self.search = order, search
        self._bands: list[ClassificationBand] | None = None

    def assessments(self):
        found = Assessment.objects.filter(ranking_group=self.group, year=self.year)
        return found.filter(status__in=self.statuses) if self.statuses else found

    def head(self, *, with_fields: bool) -> RankingHead:
        """The field columns; an order by a field the khối does not have becomes by rank."""
        head = RankingHead(group=self.group, year=self.year)
        if with_fields:
            head.field_editions = self._field_editions()
            head.field_codes = list(dict.fromkeys(code for code, _, _ in head.field_editions))
        if self.order.key not in ORDERS or (
            self.order.key == "field" and self.order.field_code not in head.field_codes
        ):
            self.order = BY_RANK
        head.order = self.order
        return head

    def _field_editions(self) -> list[tuple[str, str, Decimal]]:
        """The top-level fields of the ranked units' frameworks, in the framework's order:
        code, title and max of each edition, in one query."""
        fields = Criterion.objects.filter(
            depth=0, framework_id__in=self.assessments().values("framework_id")
        ).order_by("sort_key", "code")
        return list(dict.fromkeys(fields.values_list("code", "title", "max_points")))

    def sql(self, window: str = "hit = 1", window_params: Sequence = ()) -> tuple[str, list]:
        hit, hit_params = self._hit()
        order, order_params = self._order()
        by_field = self.order.key == "field"
        sql, status_params = ranked_sql(
            LISTING_SQL,
            self.statuses,
            hit=hit,
            field_milli="COALESCE(fs.achieved_milli, 0)" if by_field else "0",
            field_join=FIELD_JOIN if by_field else "",
            order=order,
            window=window,
        )
        year, prev_year, group_id = self.year, self.year - 1, self.group.pk
        params = [
            *status_params,
            *(year, group_id, prev_year, prev_year, year, group_id, year),
            *hit_params,
            prev_year,
            *([self.order.field_code] if by_field else []),
            *order_params,
            *window_params,
        ]
        return sql, params

    def rows(self, records: Iterable[tuple]) -> list[RankingRow]:
        if self._bands is None:
            bands = ClassificationBand.objects.filter(group=self.group).order_by("-min_index")
            self._bands = list(bands)
        rows = [ranking_row(record) for record in records]
        for row in rows:
            row.classification = classify(row.tally.index_pct, self._bands)
        return rows

    def _hit(self) -> tuple[str, list]:
        term = fold(self.search.strip())
        if not term:
            return "1", []
        # LIKE's own characters in what was typed match only themselves.
        for special in ("\\", "%", "_"):
            term = term.replace(special, "\\" + special)
        name, name_params = _folded("u.name")
        code, code_params = _folded("u.code")
        like = "LIKE %s ESCAPE '\\'"
        sql = f"CASE WHEN {name} {like} OR {code} {like} THEN 1 ELSE 0 END"
        return sql, [*name_params, f"%{term}%", *code_params, f"%{term}%"]

    def _order(self) -> tuple[str, list]:
        template = ORDERS[self.order.key]
        if self.order.key != "name":
            return template, []
        folded, params = _folded("name")
        if connection.vendor == "postgresql":
            # Byte order of the folded name: the same on every server, whatever its locale.
            folded += ' COLLATE "C"'
        return template.format(folded_name=folded), params


def _folded(column: str) -> tuple[str, list]:
    """`column` folded in SQL exactly as `cchc.search` folds (and searches) names."""
    compiler = Unit.objects.none().query.get_compiler(connection=connection)
    return compiler.compile(Folded(RawSQL(column, ())))


def _on_page(records: list[tuple], page: int, per_page: int) -> list[tuple]:
    """The records of the page asked for (the others are pinned units off the page)."""
    first = (page - 1) * per_page
    return [r for r in records if r[HIT] and first < r[POSITION] <= first + per_page]


def _fetch(listing: _Listing, page: int, per_page: int, pinned: Sequence[int]) -> list[tuple]:
    window = "(hit = 1 AND position > %s AND position <= %s)"
    params: list = [(page - 1) * per_page, page * per_page]
    if pinned:
        window += f" OR unit_id IN ({', '.join(['%s'] * len(pinned))})"
        params += list(pinned)
    with connection.cursor() as cursor:
        cursor.execute(*listing.sql(window, params))
        return cursor.fetchall()


def _streamed_rows(
    listing: _Listing, cursor, records: list[tuple], field_codes: list[str], chunk: int
) -> Iterator[RankingRow]:
    with cursor:
        while records:
            rows = listing.rows(records)
            if field_codes:
                _attach_field_points(rows, field_codes)
            yield from rows
            records = cursor.fetchmany(chunk)


def _attach_field_points(rows: list[RankingRow], codes: list[str]) -> None:
    """Achieved points per field (top-level node) for these rows, from the stored field
    tallies, in one query."""
    by_id = {row.assessment_id: row for row in rows}
    for row in rows:
        row.field_points = dict.fromkeys(codes, Decimal(0))
    field_rows = FieldTally.objects.filter(assessment_id__in=list(by_id)).values_list(
        "assessment_id", "field__code", "field__max_points", "max_milli", "achieved_milli"
    )
    for assessment_id, code, framework_max, max_milli, achieved_milli in field_rows:
        row = by_id[assessment_id]
        row.field_points[code] = from_milli(achieved_milli)
        own_max = from_milli(max_milli)
        if own_max != framework_max:
            row.field_own_max[code] = own_max
