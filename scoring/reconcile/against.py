"""A table against what the system computed. A ranking against the engine's
`group_ranking` of each khối the table's units are in (totals, parts, field points from
the stored tallies, ranks, classification bands); a unit's detailed table against the
engine's `assessment_breakdown` of its sheet, criterion by criterion.

Queries are bounded by the number of khối, not of rows: the units in one query (by
code, or by folded name), their assessments in another, then per khối its ranking
(`group_ranking`, a fixed number of statements) and its count of results by status.
Figures are compared at the places the table prints each column to (see `checks`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from cchc.formatting import format_points, round_half_up
from cchc.search import Folded, fold
from scoring.access import units_in_scope
from scoring.analysis.visibility import ranking_statuses
from scoring.engine import GroupRanking, RankingRow, assessment_breakdown, group_ranking
from scoring.models import Assessment, AssessmentStatus, RankingGroup, Unit
from scoring.reconcile.differences import Difference, Findings
from scoring.reconcile.reading import COLUMN_WORDS, DetailRow, ResultRow, Table

# The table's point columns and how the engine's row gives each.
SYSTEM_POINTS = {
    "total": lambda row: row.tally.achieved,
    "max_points": lambda row: row.tally.max_points,
    "deducted": lambda row: row.tally.deducted,
    "index": lambda row: row.tally.index_pct,
    "assessment_part": lambda row: row.parts.assessment.achieved if row.parts else None,
    "survey_part": lambda row: row.parts.survey.achieved if row.parts else None,
}


@dataclass
class SystemComparison:
    findings: Findings = field(default_factory=Findings)
    # (row, column) of the cells that hold what the system computed: a check of the
    # table against itself that blames such a cell is a consequence of another slip.
    agreed: set[tuple[int, str]] = field(default_factory=set)


def against_system(table: Table, year: int, *, user=None) -> SystemComparison:
    """The ranking `table` against the system's results of `year`. With `user` (the
    page), only units in the user's scope and the statuses the user may see in each
    khối (`ranking_statuses`); without (the command), whatever the system holds."""
    comparison = SystemComparison()
    matched = _match_units(table, year, comparison.findings, user)
    assessments = {
        assessment.unit_id: assessment
        for assessment in Assessment.objects.filter(year=year, unit__in=matched.values())
        .exclude(ranking_group=None)
        .select_related("ranking_group")
    }
    rankings: dict[int, GroupRanking] = {}
    rows_of: dict[int, dict[str, RankingRow]] = {}
    rows = {row.number: row for row in table.rows}
    for number, unit in matched.items():
        row = rows[number]
        assessment = assessments.get(unit.pk)
        if assessment is None:
            comparison.findings.differences.append(
                _missing(row, f"không có kết quả đánh giá năm {year} trong hệ thống")
            )
            continue
        group = assessment.ranking_group
        if group.pk not in rankings:
            rankings[group.pk] = _ranking(group, year, table, user)
            rows_of[group.pk] = {r.unit_code: r for r in rankings[group.pk].rows}
            comparison.findings.notes.append(_status_note(group, year, rankings[group.pk]))
        system = rows_of[group.pk].get(unit.code)
        if system is None:
            comparison.findings.differences.append(
                _missing(row, f"chưa có trong bảng xếp hạng khối «{group.name}» năm {year}")
            )
            continue
        _compare(table, row, system, len(rankings[group.pk].rows), comparison)
    listed = {unit.code for unit in matched.values()}
    for ranking in rankings.values():
        comparison.findings.differences += _left_out(ranking, listed)
    return comparison


def _match_units(table: Table, year: int, findings: Findings, user) -> dict[int, Unit]:
    """Each row's unit, by code where the table has codes, else by name (folded);
    what is not found, found twice, listed twice or outside the user's scope becomes a
    difference."""
    by_code = table.has("unit_code")
    keys = {row.number: row.unit_code if by_code else fold(row.unit_name) for row in table.rows}
    candidates = _candidates(set(keys.values()), year, by_code)
    visible = None if user is None else set(units_in_scope(user).values_list("pk", flat=True))
    matched: dict[int, Unit] = {}
    first_row: dict[int, int] = {}  # unit id → the row it was first listed on
    for row in table.rows:
        found = candidates.get(keys[row.number], [])
        if not found:
            what = "mã" if by_code else "tên"
            findings.differences.append(_missing(row, f"không có đơn vị {what} này trong hệ thống"))
        elif len(found) > 1:
            findings.differences.append(
                _missing(row, "có nhiều đơn vị cùng tên này; hãy dùng cột «Mã đơn vị»")
            )
        elif visible is not None and found[0].pk not in visible:
            findings.differences.append(_missing(row, "đơn vị ngoài phạm vi quản lý của bạn"))
        elif found[0].pk in first_row:
            findings.differences.append(
                _missing(row, f"đơn vị này đã có ở dòng {first_row[found[0].pk]}")
            )
        else:
            matched[row.number] = found[0]
            first_row[found[0].pk] = row.number
    return matched


def _candidates(keys: set[str], year: int, by_code: bool) -> dict[str, list[Unit]]:
    units = Unit.objects.only("pk", "code", "name")
    if by_code:
        found: dict[str, list[Unit]] = {}
        for unit in units.filter(code__in=keys):
            found.setdefault(unit.code, []).append(unit)
        return found
    # By name, only among the units with a result that year: names repeat across districts.
    named = units.annotate(folded=Folded("name")).filter(folded__in=keys, assessments__year=year)
    found = {}
    for unit in named.distinct():
        found.setdefault(unit.folded, []).append(unit)
    return found


def _ranking(group: RankingGroup, year: int, table: Table, user) -> GroupRanking:
    statuses = None if user is None else ranking_statuses(user, group, year)
    return group_ranking(group, year, statuses=statuses, with_fields=bool(table.field_codes))


def _status_note(group: RankingGroup, year: int, ranking: GroupRanking) -> str:
    """Which results the comparison read: how many units, in which states."""
    ids = [row.assessment_id for row in ranking.rows]
    counts = dict(
        Assessment.objects.filter(pk__in=ids)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    labels = ", ".join(
        f"{status.label.lower()}: {counts[status]}"
        for status in AssessmentStatus
        if status in counts
    )
    return (
        f"So với kết quả khối «{group.name}» năm {year} trong hệ thống: "
        f"{len(ids)} đơn vị ({labels})."
    )


def _compare(
    table: Table, row: ResultRow, system: RankingRow, size: int, comparison: SystemComparison
) -> None:
    values = row.figures.values
    cells = [(key, COLUMN_WORDS[key], getter(system)) for key, getter in SYSTEM_POINTS.items()]
    cells += [
        (f"field:{code}", f"lĩnh vực {code}", system.field_points.get(code)) for code in row.fields
    ]
    for key, column, computed in cells:
        found = row.fields.get(key.removeprefix("field:")) if ":" in key else values.get(key)
        if found is None:
            continue
        # At the places the table prints the column to (see `checks`).
        expected = None if computed is None else round_half_up(computed, table.places[key])
        if expected == found:
            comparison.agreed.add((row.number, column))
        else:
            comparison.findings.differences.append(_points_difference(row, column, found, expected))
    _compare_rank(row, system, size, comparison)
    _compare_classification(row, system, comparison)


def _points_difference(
    row: ResultRow, column: str, found: Decimal, expected: Decimal | None
) -> Difference:
    computed = "không có" if expected is None else format_points(expected)
    unit = "%" if column == COLUMN_WORDS["index"] else ""
    return Difference(
        row.number,
        row.label,
        column,
        format_points(found),
        computed,
        f"{column} {format_points(found)}{unit} nhưng hệ thống tính được {computed}{unit}",
    )


def _compare_rank(
    row: ResultRow, system: RankingRow, size: int, comparison: SystemComparison
) -> None:
    if row.rank is None:
        return
    if row.rank == system.rank:
        comparison.agreed.add((row.number, "xếp hạng"))
    else:
        shared = " (đồng hạng)" if system.tied else ""
        comparison.findings.differences.append(
            Difference(
                row.number,
                row.label,
                "xếp hạng",
                str(row.rank),
                str(system.rank),
                f"xếp hạng {row.rank} nhưng hệ thống xếp thứ {system.rank}{shared}",
            )
        )
    if row.rank_of is not None and row.rank_of != size:
        comparison.findings.differences.append(
            Difference(
                row.number,
                row.label,
                "số đơn vị của khối",
                f"{row.rank}/{row.rank_of}",
                f"{system.rank}/{size}",
                f"xếp hạng trên {row.rank_of} đơn vị nhưng khối có {size} đơn vị",
            )
        )


def _compare_classification(
    row: ResultRow, system: RankingRow, comparison: SystemComparison
) -> None:
    if not row.classification:
        return
    if fold(" ".join(row.classification.split())) == fold(system.classification):
        return
    expected = system.classification or "không xếp loại"
    comparison.findings.differences.append(
        Difference(
            row.number,
            row.label,
            "xếp loại",
            row.classification,
            expected,
            f"xếp loại «{row.classification}» nhưng theo chỉ số thì là «{expected}»",
        )
    )


def _missing(row: ResultRow, sentence: str) -> Difference:
    return Difference(row.number, row.label, "đơn vị", row.unit_code or row.unit_name, "", sentence)


def _left_out(ranking: GroupRanking, listed: set[str]) -> list[Difference]:
    """The khối's units the table does not list."""
    return [
        Difference(
            None,
            f"{row.unit_name} ({row.unit_code})",
            "đơn vị",
            "",
            row.unit_code,
            f"thuộc khối «{ranking.group.name}» năm {ranking.year}, "
            f"xếp thứ {row.rank}, nhưng không có trong bảng",
        )
        for row in ranking.rows
        if row.unit_code not in listed
    ]


def detail_against_system(
    table: Table, year: int, unit_code: str, *, user=None
) -> SystemComparison:
    """A unit's detailed table against the engine's breakdown of its `year` sheet, row by
    row by criterion code (the total row against the sheet's total)."""
    comparison = SystemComparison()
    assessment = (
        Assessment.objects.select_related("unit").filter(year=year, unit__code=unit_code).first()
    )
    outside = (
        assessment is not None
        and user is not None
        and not units_in_scope(user).filter(pk=assessment.unit_id).exists()
    )
    if assessment is None or outside:
        sentence = (
            "đơn vị ngoài phạm vi quản lý của bạn"
            if outside
            else f"không có kết quả đánh giá năm {year} trong hệ thống"
        )
        comparison.findings.differences.append(
            Difference(None, unit_code, "đơn vị", unit_code, "", sentence)
        )
        return comparison
    breakdown = assessment_breakdown(assessment)
    status = AssessmentStatus(assessment.status).label.lower()
    comparison.findings.notes.append(
        f"So với kết quả của {assessment.unit.name} năm {year} trong hệ thống ({status})."
    )
    nodes = {node.code: node for node in breakdown.nodes}
    for row in table.rows:
        node = None if row.is_total else nodes.get(row.item)
        if row.is_total or node is not None:
            _compare_tally(table, row, breakdown.total if node is None else node.tally, comparison)
        else:
            comparison.findings.differences.append(
                Difference(
                    row.number,
                    row.label,
                    "mã",
                    row.item,
                    "",
                    f"không có tiêu chí mã «{row.item}» trong bộ tiêu chí của đơn vị",
                )
            )
    return comparison


def _compare_tally(table: Table, row: DetailRow, tally, comparison: SystemComparison) -> None:
    for key in ("max_points", "achieved", "deducted"):
        found = getattr(row, key)
        if found is None:
            continue
        column = COLUMN_WORDS[key]
        expected = round_half_up(getattr(tally, key), table.places[key])
        if expected == found:
            comparison.agreed.add((row.number, column))
            continue
        comparison.findings.differences.append(
            Difference(
                row.number,
                row.label,
                column,
                format_points(found),
                format_points(expected),
                f"{column} {format_points(found)} nhưng hệ thống tính được "
                f"{format_points(expected)}",
            )
        )
