"""The engine's listings of a khối's ranking: pages, searches, pinned units and the
stream for files give the rows of the whole ranking, with the khối's own ranks."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.engine import RankingOrder, group_ranking, ranking_page, ranking_stream
from scoring.models import FieldTally, Unit
from tests.web.dashboard_data import build_group

pytestmark = pytest.mark.django_db


def view(row) -> tuple:
    """Everything a table shows of a row."""
    return (
        row.unit_code,
        row.rank,
        row.tally,
        row.prev_rank,
        row.prev_tally,
        row.classification,
        row.field_points,
        row.parts,
        row.tied,
    )


def test_pages_put_together_are_the_whole_ranking(django_assert_max_num_queries):
    data = build_group(120)
    whole = group_ranking(data["group"], 2023, with_fields=True)

    with django_assert_max_num_queries(4):  # fields, ranking, bands, field points
        first = ranking_page(data["group"], 2023, per_page=50)
    pages = [first] + [ranking_page(data["group"], 2023, page=n, per_page=50) for n in (2, 3)]

    assert [len(page.rows) for page in pages] == [50, 50, 20]
    assert [view(row) for page in pages for row in page.rows] == [view(r) for r in whole.rows]
    assert (first.matched, first.group_size, first.pages) == (120, 120, 3)
    assert first.field_codes == whole.field_codes == ["1", "2"]
    assert first.rows[0].field_points == {"1": Decimal(6), "2": Decimal(4)}


def test_a_tie_across_a_page_boundary_keeps_its_shared_rank():
    data = build_group(8)  # totals 10, 9.5, 9, 8.5, each held by two units

    first = ranking_page(data["group"], 2023, per_page=3)
    second = ranking_page(data["group"], 2023, page=2, per_page=3)

    assert [(row.rank, row.tied) for row in first.rows] == [(1, True), (1, True), (3, True)]
    assert [(row.rank, row.tied) for row in second.rows] == [(3, True), (5, True), (5, True)]
    assert second.rows[0].tally.achieved == first.rows[2].tally.achieved == Decimal("9.5")


def test_a_page_past_the_last_gives_the_last_page():
    data = build_group(7)

    own = data["units"][0]

    page = ranking_page(data["group"], 2023, page=99, per_page=5)
    pinned = ranking_page(data["group"], 2023, page=99, per_page=5, pinned_units=[own.pk])

    assert (page.page, page.pages, len(page.rows)) == (2, 2, 2)
    assert (pinned.page, len(pinned.rows), pinned.pinned[0].unit_code) == (2, 2, own.code)
    assert [row.unit_code for row in page.rows] == [
        row.unit_code for row in group_ranking(data["group"], 2023).rows[5:]
    ]


def test_the_search_folds_accents_and_keeps_the_khois_ranks():
    data = build_group(12)
    target = data["units"][6]  # 1.1 loses 1 point: total 9, rank 7 of 12
    Unit.objects.filter(pk=target.pk).update(name="Xã Cẩm Sơn")
    ranking = group_ranking(data["group"], 2023, with_fields=True)
    whole = {row.unit_code: row for row in ranking.rows}

    found = ranking_page(data["group"], 2023, search="cam son")
    by_code = ranking_page(data["group"], 2023, search="d-0006")
    nothing = ranking_page(data["group"], 2023, search="%")

    assert [(row.unit_name, row.rank) for row in found.rows] == [("Xã Cẩm Sơn", 7)]
    assert view(found.rows[0]) == view(whole[target.code])
    assert (found.matched, found.group_size) == (1, 12)
    assert [row.unit_code for row in by_code.rows] == [target.code]
    assert (nothing.rows, nothing.matched) == ([], 0)


def test_a_pinned_unit_off_the_page_comes_with_its_own_rank():
    data = build_group(10)
    last = group_ranking(data["group"], 2023, with_fields=True).rows[-1]
    unit = Unit.objects.get(code=last.unit_code)

    page = ranking_page(data["group"], 2023, per_page=4, pinned_units=[unit.pk])
    on_page = ranking_page(data["group"], 2023, page=3, per_page=4, pinned_units=[unit.pk])
    searched = ranking_page(data["group"], 2023, per_page=4, search="0000", pinned_units=[unit.pk])

    assert [view(row) for row in page.pinned] == [view(last)]
    assert len(page.rows) == 4
    assert on_page.pinned == [] and on_page.rows[-1].unit_code == last.unit_code
    assert [row.unit_code for row in searched.rows] == ["D-0000"]
    assert [row.unit_code for row in searched.pinned] == [last.unit_code]
    assert searched.matched == 1


@pytest.mark.parametrize(
    ("order", "key"),
    [
        (RankingOrder("total"), lambda row: -row.tally.achieved),
        (RankingOrder("deducted"), lambda row: -row.tally.deducted),
        (RankingOrder("field", "1"), lambda row: -row.field_points["1"]),
        (RankingOrder("name"), lambda row: row.unit_name),
        (RankingOrder("change"), lambda row: -(row.rank_change or 0)),
    ],
)
def test_every_order_pages_and_streams_alike(order, key):
    data = build_group(9)
    Unit.objects.filter(code="D-0004").update(name="Xã Ân Phú")  # sorts as "xa an phu"

    stream = list(ranking_stream(data["group"], 2023, order=order, chunk=4).rows)
    pages = [ranking_page(data["group"], 2023, order=order, page=n, per_page=4) for n in (1, 2, 3)]

    assert [view(row) for page in pages for row in page.rows] == [view(row) for row in stream]
    if order.key == "name":
        assert stream[0].unit_name == "Xã Ân Phú"
    else:
        assert [key(row) for row in stream] == sorted(key(row) for row in stream)
    assert pages[0].order == order


def test_an_order_by_a_field_the_khoi_lacks_is_by_rank():
    data = build_group(3)

    page = ranking_page(data["group"], 2023, order=RankingOrder("field", "9"))

    assert page.order == RankingOrder()
    assert [row.rank for row in page.rows] == [1, 2, 3]


def test_the_stream_reads_the_khoi_in_chunks_with_one_ranking_statement():
    data = build_group(25)
    whole = group_ranking(data["group"], 2023, with_fields=True)

    with CaptureQueriesContext(connection) as captured:
        stream = ranking_stream(data["group"], 2023, chunk=10)
        rows = list(stream.rows)

    assert [view(row) for row in rows] == [view(row) for row in whole.rows]
    ranking_statements = [q for q in captured if "RANK() OVER" in q["sql"]]
    table = FieldTally._meta.db_table
    field_reads = [q for q in captured if table in q["sql"] and "RANK()" not in q["sql"]]
    assert len(ranking_statements) == 1
    assert len(field_reads) == 3  # 10 + 10 + 5 rows
    assert not stream.has_parts
