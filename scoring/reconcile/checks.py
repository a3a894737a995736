"""Pure checks of a table against itself: rows in, differences out.

Points are compared exactly, in Decimal. A table prints its figures rounded (two
decimals of a three-decimal result): a figure computed from others is rounded
half-up to the places the table prints that column to (the most places any of its
cells shows) before it is compared, so rounding alone is never a difference, and a
slip of one hundredth always is.
"""

from collections import defaultdict
from decimal import Decimal

from cchc.formatting import format_points, round_half_up
from scoring.engine import Tally
from scoring.reconcile.differences import Difference, Findings
from scoring.reconcile.reading import DetailRow, ResultRow, Table, places_of

# ---- a unit's detailed table (and a plan's lines) ----


def lost_points(row: DetailRow) -> Decimal | None:
    """What a row says was lost: max − achieved where it gives both (so one slip in its
    "bị trừ" figure is reported once, on its row), else its deduction."""
    if row.max_points is not None and row.achieved is not None:
        return row.max_points - row.achieved
    return row.deducted


def check_detail_row(row: DetailRow) -> list[Difference]:
    """A row's own figures: deducted ≤ max, achieved ≤ max, deducted = max − achieved."""
    found: list[Difference] = []
    high, achieved, deducted = row.max_points, row.achieved, row.deducted
    if high is not None and deducted is not None and deducted > high:
        found.append(
            _detail(
                row,
                "điểm bị trừ",
                deducted,
                high,
                f"điểm bị trừ {_p(deducted)} lớn hơn điểm tối đa {_p(high)} của tiêu chí",
            )
        )
    elif high is not None and achieved is not None and achieved > high:
        found.append(
            _detail(
                row,
                "điểm đạt",
                achieved,
                high,
                f"điểm đạt {_p(achieved)} lớn hơn điểm tối đa {_p(high)}",
            )
        )
    elif None not in (high, achieved, deducted) and deducted != high - achieved:
        found.append(
            _detail(
                row,
                "điểm bị trừ",
                deducted,
                high - achieved,
                f"điểm bị trừ {_p(deducted)} "
                f"nhưng điểm tối đa − điểm đạt = {_p(high)} − {_p(achieved)} = "
                f"{_p(high - achieved)}",
            )
        )
    return found


def check_children(
    parent: DetailRow, what: str = "các tiêu chí", places: dict[str, int] | None = None
) -> Findings:
    """A row's criteria add up to its deduction. Only the deductions: a plan lists only
    the criteria that lost points, so their max and achieved need not reach the row's.
    A criterion without any figure makes the sum unverifiable (a note, not a difference)."""
    findings = Findings()
    stated = parent.deducted if parent.deducted is not None else lost_points(parent)
    if not parent.children or stated is None:
        return findings
    lost = [lost_points(child) for child in parent.children]
    if None in lost:
        findings.notes.append(
            f"{_where(parent)}: có dòng không ghi điểm nên không kiểm được tổng điểm bị trừ "
            f"của {what}."
        )
        return findings
    added = round_half_up(sum(lost, Decimal(0)), _places(places, "deducted", stated))
    if added != stated:
        findings.differences.append(
            _detail(
                parent,
                "điểm bị trừ",
                stated,
                added,
                f"điểm bị trừ {_p(stated)} nhưng cộng {what} được {_p(added)}",
            )
        )
    return findings


def check_total(
    top: list[DetailRow], total: DetailRow, places: dict[str, int] | None = None
) -> list[Difference]:
    """The fields add up to the total row, column by column."""
    found = []
    for key, words in (
        ("max_points", "điểm tối đa"),
        ("achieved", "điểm đạt"),
        ("deducted", "điểm bị trừ"),
    ):
        stated = getattr(total, key)
        values = [getattr(row, key) for row in top]
        if stated is None or not values or None in values:
            continue
        added = round_half_up(sum(values, Decimal(0)), _places(places, key, stated))
        if added != stated:
            found.append(
                _detail(
                    total,
                    words,
                    stated,
                    added,
                    f"{words} {_p(stated)} nhưng cộng các lĩnh vực được {_p(added)}",
                )
            )
    return found


def check_detail(
    top: list[DetailRow],
    total: DetailRow | None,
    *,
    what: str = "các tiêu chí",
    places: dict[str, int] | None = None,
) -> Findings:
    """Every check of a detailed table: each row, each row's criteria (`what` they are
    called in a sentence), the total; sums at the `places` of each column (see above)."""
    findings = Findings()
    for row in _walk(top):
        findings.differences += check_detail_row(row)
        findings.extend(check_children(row, what, places))
    if total is not None:
        findings.differences += check_detail_row(total)
        findings.differences += check_total(top, total, places)
    return findings


def _places(places: dict[str, int] | None, key: str, stated: Decimal) -> int:
    """The places a column prints to: the most of its cells, at least this one's."""
    return max((places or {}).get(key, 0), places_of(stated))


def _walk(rows: list[DetailRow]):
    for row in rows:
        yield row
        yield from _walk(row.children)


def _where(row: DetailRow) -> str:
    return row.label if row.number is None else f"Dòng {row.number} ({row.label})"


def _detail(row: DetailRow, column: str, found: Decimal, expected: Decimal, sentence: str):
    return Difference(row.number, row.label, column, _p(found), _p(expected), sentence)


def _p(value: Decimal) -> str:
    return format_points(value)


# ---- a ranking table ----


def check_ranking(table: Table) -> list[Difference]:
    """A ranking table against itself: each row's sums and index, then the ranks."""
    found: list[Difference] = []
    for row in table.rows:
        found += check_result_row(row, table)
    found += check_ranks(table)
    return sorted(found, key=lambda difference: difference.row)


def check_result_row(row: ResultRow, table: Table) -> list[Difference]:
    """A row's total is its fields' sum and its parts' sum; its deduction and index follow
    from its total and max."""
    values = row.figures.values
    total = values.get("total")
    if total is None:
        return []
    parts = [values.get("assessment_part"), values.get("survey_part")]
    sums = [("các lĩnh vực", list(row.fields.values())), ("hai phần", parts)]
    found = [
        difference
        for what, addends in sums
        if addends and None not in addends
        for difference in _sum_difference(row, total, addends, table.places["total"], what)
    ]
    high = values.get("max_points")
    return found if high is None else found + _derived(row, Tally(high, total), table)


def _sum_difference(
    row: ResultRow, total: Decimal, addends: list[Decimal], places: int, what: str
) -> list[Difference]:
    added = round_half_up(sum(addends, Decimal(0)), places)
    if added == total:
        return []
    sentence = f"tổng điểm {_p(total)} nhưng cộng {what} được {_p(added)}"
    return [_ranked(row, "tổng điểm", total, added, sentence)]


def _derived(row: ResultRow, tally: Tally, table: Table) -> list[Difference]:
    found = []
    deducted, index = row.figures.get("deducted"), row.figures.get("index")
    if deducted is not None and deducted != tally.deducted:
        sentence = (
            f"điểm bị trừ {_p(deducted)} nhưng điểm tối đa − tổng điểm = {_p(tally.deducted)}"
        )
        found.append(_ranked(row, "điểm bị trừ", deducted, tally.deducted, sentence))
    if index is not None and tally.index_pct is not None:
        expected = round_half_up(tally.index_pct, table.places["index"])
        if index != expected:
            sentence = f"chỉ số {_p(index)}% nhưng tổng điểm ÷ điểm tối đa = {_p(expected)}%"
            found.append(_ranked(row, "chỉ số", index, expected, sentence))
    return found


def standing(row: ResultRow) -> Decimal | None:
    """What a rank follows: total ÷ max where the table gives both (exact, as the engine
    ranks), else the printed index, else the total."""
    values = row.figures.values
    total, high = values.get("total"), values.get("max_points")
    if total is not None and high:
        return total / high
    return values.get("index", total)


def competition_ranks(standings: list[Decimal]) -> list[int]:
    """Ranks with ties sharing a place: 1, 2, 2, 4."""
    first: dict[Decimal, int] = {}
    for place, value in enumerate(sorted(standings, reverse=True), start=1):
        first.setdefault(value, place)
    return [first[value] for value in standings]


def check_ranks(table: Table) -> list[Difference]:
    """Within each khối of the table, each printed rank is the one its standing gives."""
    groups: dict[str, list[ResultRow]] = defaultdict(list)
    for row in table.rows:
        if row.rank is not None and standing(row) is not None:
            groups[row.group].append(row)
    found = []
    for rows in groups.values():
        ranks = competition_ranks([standing(row) for row in rows])
        for row, expected in zip(rows, ranks, strict=True):
            if row.rank != expected:
                shared = " (đồng hạng)" if ranks.count(expected) > 1 else ""
                found.append(
                    Difference(
                        row.number,
                        row.label,
                        "xếp hạng",
                        str(row.rank),
                        str(expected),
                        f"xếp hạng {row.rank} nhưng theo điểm "
                        f"trong bảng thì xếp thứ {expected}{shared}",
                    )
                )
    return found


def _ranked(row: ResultRow, column: str, found: Decimal, expected: Decimal, sentence: str):
    return Difference(row.number, row.label, column, _p(found), _p(expected), sentence)
