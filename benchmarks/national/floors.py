"""The floors: the best single statement we can write for each page's output.

Each reads the same rows the app's page shows, with nothing around it (no ORM, no
template, no HTTP), from the benchmark's own Django connection. Where the schema
has the stored tallies (scoring_assessmenttally, scoring_fieldtally), the ranking's
floor reads them, as the app may; otherwise it sums the scores.
"""

import io
from collections.abc import Callable
from decimal import Decimal

from benchmarks.national.data import Targets

# The group's assessments of the year and last year's of the groups its units were
# in then (settled results only), with their statuses as the app's filter.
PEERS = """
peers AS (
    SELECT a.id, a.unit_id, a.year, a.ranking_group_id, a.framework_id
    FROM scoring_assessment a
    WHERE a.year = %(year)s AND a.ranking_group_id = %(group)s AND a.status = ANY(%(statuses)s)
    UNION ALL
    SELECT a.id, a.unit_id, a.year, a.ranking_group_id, a.framework_id
    FROM scoring_assessment a
    WHERE a.year = %(prev)s AND a.status = ANY(%(settled)s)
        AND a.status = ANY(%(statuses)s) AND a.ranking_group_id IN (
            SELECT p.ranking_group_id FROM scoring_assessment p
            JOIN scoring_assessment c ON c.unit_id = p.unit_id
            WHERE p.year = %(prev)s AND c.year = %(year)s AND c.ranking_group_id = %(group)s)
)"""

# Ranks within (year, group), then last year's of the same unit by LAG over the unit's
# years: a self-join of the ranked rows would be planned as a nested loop (the
# planner cannot count a CTE's rows), 3,000 x 6,000 comparisons.
RANK_AND_PREV = """
ranked AS (
    SELECT totals.*, RANK() OVER (
        PARTITION BY year, ranking_group_id
        ORDER BY achieved_milli::float8 / NULLIF(max_milli, 0) DESC NULLS LAST) AS unit_rank
    FROM totals
),
paired AS (
    SELECT ranked.*,
        LAG(year) OVER by_unit AS prev_year,
        LAG(unit_rank) OVER by_unit AS prev_rank,
        LAG(achieved_milli) OVER by_unit AS prev_achieved
    FROM ranked
    WINDOW by_unit AS (PARTITION BY unit_id ORDER BY year)
)
SELECT cur.id, u.code, u.name, cur.unit_rank, cur.max_milli, cur.achieved_milli,
    CASE WHEN cur.prev_year = %(prev)s THEN cur.prev_rank END,
    CASE WHEN cur.prev_year = %(prev)s THEN cur.prev_achieved END, cur.fields
FROM paired cur
JOIN scoring_unit u ON u.id = cur.unit_id
WHERE cur.year = %(year)s
ORDER BY cur.unit_rank, u.code
"""

# From the scores: one pass over both years' score rows, through a leaf -> field map,
# summed per assessment with one FILTER per field (a GROUP BY assessment and field
# would sort 600,000 rows on disk).
RANKING_FROM_SCORES = """
WITH {peers},
leaf_field AS (
    SELECT l.descendant_id AS leaf_id, ROUND(leaf.max_points * 1000)::bigint AS leaf_max,
        DENSE_RANK() OVER (PARTITION BY f.framework_id ORDER BY f.sort_key) AS position
    FROM scoring_criterionlink l
    JOIN scoring_criterion f ON f.id = l.ancestor_id AND f.depth = 0
    JOIN scoring_criterion leaf ON leaf.id = l.descendant_id AND leaf.is_leaf
),
framework_max AS (
    SELECT framework_id, SUM(ROUND(max_points * 1000)::bigint) AS max_milli
    FROM scoring_criterion WHERE is_leaf GROUP BY framework_id
),
cell AS (
    SELECT s.assessment_id, lf.position, lf.leaf_max, s.not_applicable,
        CASE WHEN s.not_applicable THEN 0
            ELSE ROUND(COALESCE(s.appraised_score, s.self_score) * 1000)::bigint END AS points
    FROM scoring_score s
    JOIN leaf_field lf ON lf.leaf_id = s.criterion_id
    WHERE s.assessment_id IN (SELECT id FROM peers)
),
per_assessment AS (
    SELECT assessment_id, SUM(points) AS achieved,
        SUM(CASE WHEN not_applicable THEN leaf_max ELSE 0 END) AS left_out,
        ARRAY[{field_sums}] AS fields
    FROM cell GROUP BY assessment_id
),
totals AS (
    SELECT peers.id, peers.unit_id, peers.year, peers.ranking_group_id,
        fm.max_milli - COALESCE(pa.left_out, 0) AS max_milli,
        COALESCE(pa.achieved, 0) AS achieved_milli, pa.fields
    FROM peers
    JOIN framework_max fm ON fm.framework_id = peers.framework_id
    LEFT JOIN per_assessment pa ON pa.assessment_id = peers.id
),
{rank_and_prev}"""

# From the stored tallies: one row per assessment; the eight field rows of this
# year's only, aggregated once for all of them (a subquery per row costs 6,000 loops).
RANKING_FROM_TALLIES = f"""
WITH {PEERS},
fields AS (
    SELECT ft.assessment_id, ARRAY_AGG(ft.achieved_milli ORDER BY f.sort_key) AS fields
    FROM scoring_fieldtally ft
    JOIN scoring_criterion f ON f.id = ft.field_id
    WHERE ft.assessment_id IN (SELECT id FROM peers WHERE year = %(year)s)
    GROUP BY ft.assessment_id
),
totals AS (
    SELECT peers.id, peers.unit_id, peers.year, peers.ranking_group_id,
        t.max_milli, t.achieved_milli, fields.fields
    FROM peers
    JOIN scoring_assessmenttally t ON t.assessment_id = peers.id
    LEFT JOIN fields ON fields.assessment_id = peers.id
),
{RANK_AND_PREV}"""

# One unit's breakdown: every node's max, achieved and unscored leaves, and each
# leaf's own scores, through the closure table.
BREAKDOWN = """
SELECT l.ancestor_id,
    SUM(c.max_points) FILTER (WHERE s.not_applicable IS NOT TRUE) AS max_points,
    SUM(COALESCE(s.appraised_score, s.self_score)) FILTER (WHERE s.not_applicable IS NOT TRUE)
        AS achieved,
    COUNT(*) FILTER (WHERE s.id IS NULL OR (NOT s.not_applicable
        AND s.self_score IS NULL AND s.appraised_score IS NULL)) AS unscored,
    MAX(s.self_score) FILTER (WHERE l.distance = 0) AS own_self_score,
    MAX(s.appraised_score) FILTER (WHERE l.distance = 0) AS own_appraised_score
FROM scoring_criterionlink l
JOIN scoring_criterion c ON c.id = l.descendant_id AND c.is_leaf
LEFT JOIN scoring_score s ON s.criterion_id = c.id AND s.assessment_id = %(assessment)s
WHERE c.framework_id = %(framework)s
GROUP BY l.ancestor_id
"""

# The analysis page: points lost per leaf criterion and per field over the group's
# settled results, with how many units each applies to and how many lost points there.
# Only the score rows are aggregated: a leaf without a score row applies and scores 0,
# so the missing cells are counted, not joined (a LEFT JOIN of 300,000 unit x leaf
# cells to the scores is planned either way round, 0.5 or 2 s). Every leaf is worth
# more than 0 points here, so a missing cell is a lost one.
ANALYSIS = """
WITH a AS (
    SELECT id, framework_id FROM scoring_assessment
    WHERE ranking_group_id = %(group)s AND year = %(year)s AND status = ANY(%(settled)s)
        AND unit_id IN (SELECT id FROM scoring_unit WHERE parent_id = %(province)s)
),
units AS (SELECT framework_id, COUNT(*) AS n FROM a GROUP BY framework_id),
leaf AS (
    SELECT c.id, l.ancestor_id AS field_id, u.n, ROUND(c.max_points * 1000)::bigint AS max_milli,
        COUNT(*) OVER (PARTITION BY l.ancestor_id) AS field_leaves
    FROM scoring_criterion c
    JOIN units u ON u.framework_id = c.framework_id
    JOIN scoring_criterionlink l ON l.descendant_id = c.id
    JOIN scoring_criterion f ON f.id = l.ancestor_id AND f.depth = 0
    WHERE c.is_leaf
),
cell AS (
    SELECT s.assessment_id, leaf.id AS leaf_id, leaf.field_id, s.not_applicable AS left_out,
        COALESCE(ROUND(COALESCE(s.appraised_score, s.self_score) * 1000)::bigint, 0) AS points,
        leaf.max_milli, leaf.field_leaves
    FROM scoring_score s
    JOIN leaf ON leaf.id = s.criterion_id
    WHERE s.assessment_id IN (SELECT id FROM a)
),
per_leaf AS (
    SELECT leaf_id, COUNT(*) AS present, COUNT(*) FILTER (WHERE left_out) AS left_out,
        COALESCE(SUM(points) FILTER (WHERE NOT left_out), 0) AS points,
        COUNT(*) FILTER (WHERE NOT left_out AND points < max_milli) AS lost
    FROM cell GROUP BY leaf_id
),
leaf_rows AS (
    SELECT leaf.id, leaf.field_id, leaf.n, leaf.n - COALESCE(p.left_out, 0) AS applies,
        (leaf.n - COALESCE(p.left_out, 0)) * leaf.max_milli - COALESCE(p.points, 0) AS deducted,
        COALESCE(p.lost, 0) + leaf.n - COALESCE(p.present, 0) AS lost
    FROM leaf LEFT JOIN per_leaf p ON p.leaf_id = leaf.id
),
per_unit_field AS (
    SELECT field_id, COUNT(*) = MAX(field_leaves) AS complete,
        COUNT(*) FILTER (WHERE left_out) = MAX(field_leaves) AS all_left_out,
        COUNT(*) FILTER (WHERE NOT left_out AND points < max_milli) AS lost
    FROM cell GROUP BY assessment_id, field_id
)
SELECT id, deducted, applies, lost FROM leaf_rows
UNION ALL
SELECT f.field_id, f.deducted, f.n - COUNT(*) FILTER (WHERE pf.all_left_out),
    f.n - COUNT(*) FILTER (WHERE pf.complete AND pf.lost = 0)
FROM (
    SELECT field_id, SUM(deducted) AS deducted, MAX(n) AS n FROM leaf_rows GROUP BY field_id
) f
LEFT JOIN per_unit_field pf ON pf.field_id = f.field_id
GROUP BY f.field_id, f.deducted, f.n
"""


def has_tallies() -> bool:
    from django.db import connection

    return "scoring_assessmenttally" in connection.introspection.table_names()


def ranking_schema() -> str:
    return "stored tallies" if has_tallies() else "scores"


def _params(targets: Targets, statuses: list[str]) -> dict:
    from scoring.models import SETTLED_STATUSES

    return {
        "year": targets.year,
        "prev": targets.year - 1,
        "group": targets.group_id,
        "statuses": list(statuses),
        "settled": list(SETTLED_STATUSES),
    }


def fetch(sql: str, params: dict) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ranking(targets: Targets, statuses: list[str]) -> Callable[[], list[tuple]]:
    sql = RANKING_FROM_TALLIES if has_tallies() else ranking_from_scores(targets)
    params = _params(targets, statuses)
    return lambda: fetch(sql, params)


def ranking_from_scores(targets: Targets) -> str:
    """The statement for the framework's number of fields (eight in the real one)."""
    from scoring.models import Criterion

    fields = Criterion.objects.filter(framework_id=targets.framework_id, depth=0).count()
    sums = ", ".join(f"SUM(points) FILTER (WHERE position = {i})" for i in range(1, fields + 1))
    return RANKING_FROM_SCORES.format(
        peers=PEERS.strip(), field_sums=sums, rank_and_prev=RANK_AND_PREV.strip()
    )


def dashboard(targets: Targets) -> Callable[[], object]:
    """The unit's two breakdowns: this year's and last year's."""
    this = {"assessment": targets.assessment_id, "framework": targets.framework_id}
    last = {"assessment": targets.prev_assessment_id, "framework": targets.framework_id}
    return lambda: (fetch(BREAKDOWN, this), fetch(BREAKDOWN, last))


def analysis(targets: Targets, province_id: int) -> Callable[[], list[tuple]]:
    params = _params(targets, []) | {"province": province_id}
    return lambda: fetch(ANALYSIS, params)


HEADERS = ["Hạng", "Mã", "Đơn vị", "Điểm đạt", "Điểm tối đa", "Chỉ số %", "Điểm bị trừ"]
PREVIOUS = ["Hạng năm trước", "Thay đổi hạng", "Thay đổi điểm"]


def excel(targets: Targets, statuses: list[str]) -> Callable[[], bytes]:
    """The ranking's rows through openpyxl's write-only mode: the bare cost of the file."""
    rows = ranking(targets, statuses)

    def run() -> bytes:
        import openpyxl

        records = rows()
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet(f"Xếp hạng năm {targets.year}")
        fields = len(records[0][8] or []) if records else 0
        sheet.append(HEADERS + [f"Lĩnh vực {i}" for i in range(1, fields + 1)] + PREVIOUS)
        for record in records:
            sheet.append(_excel_row(record))
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    return run


def _excel_row(record: tuple) -> list:
    _, code, name, rank, max_milli, achieved_milli, prev_rank, prev_achieved, fields = record
    points = _points(achieved_milli)
    return [
        rank,
        code,
        name,
        points,
        _points(max_milli),
        round(points * 100 / _points(max_milli), 2) if max_milli else None,
        _points(max_milli - achieved_milli),
        *(_points(value) for value in fields or []),
        prev_rank,
        None if prev_rank is None else prev_rank - rank,
        None if prev_achieved is None else _points(achieved_milli - prev_achieved),
    ]


def _points(milli: int | None) -> Decimal | None:
    return None if milli is None else Decimal(milli).scaleb(-3)
