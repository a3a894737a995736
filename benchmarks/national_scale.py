"""National-scale benchmark: the scoring engine beside bare SQL on PostgreSQL.

Prints figures; it is not a test. Run against a database of its own, e.g.

    createdb -h 127.0.0.1 -U postgres cchc_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench make benchmark

It migrates, generates 5,000 units x 100 leaf criteria x 2 years (1,000,000
scores) unless that data is already there, then times: ranking the largest group
of the last year, one unit's full breakdown, and importing 100,000 score rows;
each beside a hand-written SQL statement that computes the same numbers.
"""

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from scoring.engine import assessment_breakdown, group_ranking  # noqa: E402
from scoring.models import (  # noqa: E402
    Assessment,
    AssessmentStatus,
    Criterion,
    RankingGroup,
    Score,
    Unit,
)
from scoring.resources.scores import IMPORTED  # noqa: E402

BARE_RANKING_SQL = """
WITH totals AS (
    SELECT a.id, a.unit_id, a.year, a.ranking_group_id,
        SUM(COALESCE(s.appraised_score, s.self_score)) FILTER (WHERE NOT s.not_applicable)
            AS achieved,
        SUM(c.max_points) FILTER (WHERE NOT s.not_applicable) AS max_points
    FROM scoring_assessment a
    JOIN scoring_score s ON s.assessment_id = a.id
    JOIN scoring_criterion c ON c.id = s.criterion_id
    WHERE (a.year = %(year)s AND a.ranking_group_id = %(group)s)
        OR (a.year = %(year)s - 1 AND a.ranking_group_id IN (
            SELECT p.ranking_group_id FROM scoring_assessment p
            JOIN scoring_assessment c ON c.unit_id = p.unit_id
            WHERE p.year = %(year)s - 1 AND c.year = %(year)s AND c.ranking_group_id = %(group)s
        ))
    GROUP BY a.id
),
ranked AS (
    SELECT totals.*, RANK() OVER (
        PARTITION BY year, ranking_group_id ORDER BY achieved / max_points DESC
    ) AS unit_rank
    FROM totals
)
SELECT cur.id, cur.unit_rank, cur.achieved, cur.max_points, prev.unit_rank, prev.achieved
FROM ranked cur
LEFT JOIN ranked prev ON prev.unit_id = cur.unit_id AND prev.year = %(year)s - 1
WHERE cur.year = %(year)s AND cur.ranking_group_id = %(group)s
ORDER BY cur.unit_rank
"""

BARE_BREAKDOWN_SQL = """
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

BARE_IMPORT_SQL = """
INSERT INTO scoring_score
    (assessment_id, criterion_id, self_score, appraised_score, note, not_applicable,
     appraisal_comment, declared_tier)
SELECT a.id, c.id, i.self_score, i.appraised_score, COALESCE(i.note, ''), FALSE, '', ''
FROM bench_import i
JOIN scoring_unit u ON u.code = i.unit_code
JOIN scoring_assessment a ON a.unit_id = u.id AND a.year = %(year)s
JOIN scoring_criterion c ON c.framework_id = a.framework_id AND c.code = i.criterion_code
ON CONFLICT (assessment_id, criterion_id) DO UPDATE SET
    self_score = EXCLUDED.self_score, appraised_score = EXCLUDED.appraised_score,
    note = EXCLUDED.note
"""


def timed(
    action: Callable[[], object], repeat: int, before: Callable[[], None] | None = None
) -> tuple[float, float]:
    """Median and best wall time in milliseconds over `repeat` runs, after one warm-up.

    `before` runs untimed ahead of every run, to reset what the action changes.
    """
    runs = []
    for run in range(repeat + 1):
        if before:
            before()
        start = time.perf_counter()
        action()
        if run:
            runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs), min(runs)


def bare(sql: str, params: dict) -> Callable[[], list]:
    def run() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return run


def ensure_data(units: int, criteria: int, years: int) -> None:
    call_command("migrate", verbosity=0)
    if Assessment.objects.count() >= units * years:
        print(f"Using the data already in the database ({Score.objects.count():,} scores).")
        return
    start = time.perf_counter()
    call_command("generate_data", units=units, criteria=criteria, years=years, verbosity=0)
    print(f"generate_data: {time.perf_counter() - start:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def largest_group(year: int) -> tuple[RankingGroup, int]:
    row = (
        Assessment.objects.filter(year=year)
        .values("ranking_group")
        .annotate(size=Count("id"))
        .order_by("-size")
        .first()
    )
    return RankingGroup.objects.get(pk=row["ranking_group"]), row["size"]


def import_targets(year: int, rows: int) -> tuple[list[str], list[str]]:
    """Unit codes and leaf codes for `rows` score rows of `year`.

    Their assessments are put back to draft, as they are while a year is being
    scored (published results refuse imports).
    """
    leaves = list(
        Criterion.objects.filter(is_leaf=True, framework__assessments__year=year)
        .values_list("code", flat=True)
        .distinct()
    )
    codes = Unit.objects.filter(assessments__year=year).order_by("code")
    unit_codes = list(codes.values_list("code", flat=True)[: rows // len(leaves)])
    Assessment.objects.filter(year=year, unit__code__in=unit_codes).update(
        status=AssessmentStatus.DRAFT
    )
    return unit_codes, leaves


CLEAR_SCORES_SQL = """
DELETE FROM scoring_score s USING scoring_assessment a, scoring_unit u
WHERE s.assessment_id = a.id AND a.unit_id = u.id AND a.year = %s AND u.code = ANY(%s)
"""
CLEAR_IMPORT_HISTORY_SQL = """
DELETE FROM scoring_historicalscore h USING scoring_assessment a, scoring_unit u
WHERE h.assessment_id = a.id AND a.unit_id = u.id AND a.year = %s AND u.code = ANY(%s)
AND h.history_change_reason = %s
"""


def clear_scores(year: int, unit_codes: list[str]) -> Callable[[], None]:
    """Before each timed import: the scores it will create, and the history rows
    the import writes for them, are not there yet.

    Plain SQL: the ORM's delete would write a history row per score (several
    minutes for 100,000).
    """

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(CLEAR_SCORES_SQL, [year, unit_codes])
            cursor.execute(CLEAR_IMPORT_HISTORY_SQL, [year, unit_codes, IMPORTED])

    return run


def write_score_file(path: Path, unit_codes: list[str], leaves: list[str]) -> None:
    """A clerk's CSV: one row per unit and leaf criterion."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_code", "criterion_code", "self_score", "appraised_score", "note"])
        for unit_code in unit_codes:
            for code in leaves:
                writer.writerow([unit_code, code, "0,5", "0.25", ""])


def bare_import(path: Path, year: int) -> Callable[[], None]:
    def run() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_import (unit_code text, criterion_code text,"
                " self_score text, appraised_score text, note text) ON COMMIT DROP"
            )
            with path.open(encoding="utf-8") as handle:
                cursor.copy_expert("COPY bench_import FROM STDIN WITH CSV HEADER", handle)
            cursor.execute(
                "UPDATE bench_import SET self_score = replace(self_score, ',', '.'),"
                " appraised_score = replace(appraised_score, ',', '.')"
            )
            cursor.execute(
                BARE_IMPORT_SQL.replace("i.self_score", "i.self_score::numeric").replace(
                    "i.appraised_score", "i.appraised_score::numeric"
                ),
                {"year": year},
            )

    return run


def report(label: str, engine: tuple[float, float], sql: tuple[float, float]) -> None:
    ratio = engine[0] / sql[0] if sql[0] else float("inf")
    print(
        f"| {label} | {engine[0]:,.1f} ({engine[1]:,.1f}) | {sql[0]:,.1f} ({sql[1]:,.1f}) "
        f"| {ratio:.2f}x |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--criteria", type=int, default=100)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--import-repeat", type=int, default=2)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")

    ensure_data(args.units, args.criteria, args.years)
    year = Assessment.objects.order_by("-year").values_list("year", flat=True).first()
    group, size = largest_group(year)
    assessment = Assessment.objects.filter(year=year, ranking_group=group).first()
    print(f"\n{Score.objects.count():,} scores; group «{group}» has {size:,} units in {year}.\n")
    print("| operation | engine ms, median (best) | bare SQL ms, median (best) | ratio |")
    print("|---|---|---|---|")

    # The import first: its last run leaves every score in place for the reads.
    unit_codes, leaves = import_targets(year, args.import_rows)
    reset = clear_scores(year, unit_codes)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scores.csv"
        write_score_file(path, unit_codes, leaves)

        def engine_import() -> None:
            call_command("import_scores", str(path), year=year, verbosity=0)

        report(
            f"import {len(unit_codes) * len(leaves):,} new score rows (CSV)",
            timed(engine_import, args.import_repeat, before=reset),
            timed(bare_import(path, year), args.import_repeat, before=reset),
        )
    report(
        f"rank a group of {size:,} units, with last year",
        timed(lambda: group_ranking(group, year), args.repeat),
        timed(bare(BARE_RANKING_SQL, {"year": year, "group": group.pk}), args.repeat),
    )
    report(
        "one unit's full breakdown",
        timed(lambda: assessment_breakdown(assessment), args.repeat),
        timed(
            bare(
                BARE_BREAKDOWN_SQL,
                {"assessment": assessment.pk, "framework": assessment.framework_id},
            ),
            args.repeat,
        ),
    )


if __name__ == "__main__":
    main()
