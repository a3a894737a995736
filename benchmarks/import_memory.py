"""Score imports at national scale: peak memory and wall time, beside a bare SQL floor.

Prints figures; it is not a test. Run against a PostgreSQL database of its own:

    createdb -h 127.0.0.1 -U postgres cchc_bench_imports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench_imports \\
        .venv/bin/python benchmarks/import_memory.py

It migrates and generates 10,000 units x 100 leaf criteria (one year) unless that
data is there, and writes a clerk's CSV of new scores for 100,000 and 1,000,000
rows. Each run is a fresh process (so its peak memory is its own), engine and floor
interleaved, after a warm-up of each: `import_scores` itself, and the floor, which
is COPY into a temporary table + one INSERT … ON CONFLICT + the history rows copied
in SQL. Before every run the scores those rows create, and their history, are
deleted (untimed). Memory is the process's peak RSS and how much it grew during
the import; with --tracemalloc, also the peak of Python's own allocations (slower).
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from benchmarks.national.imports import COPY_TABLE, UPSERT_WITH_HISTORY  # noqa: E402
from scoring.models import Assessment, AssessmentStatus, Criterion, Score, Unit  # noqa: E402
from scoring.resources.scores import IMPORTED  # noqa: E402

LEAVES = 100
MIB = 1024 * 1024

CLEAR_SQL = """
DELETE FROM scoring_score s USING scoring_assessment a, scoring_unit u
WHERE s.assessment_id = a.id AND a.unit_id = u.id AND a.year = %(year)s
AND u.code = ANY(%(codes)s);
DELETE FROM scoring_historicalscore h USING scoring_assessment a, scoring_unit u
WHERE h.assessment_id = a.id AND a.unit_id = u.id AND a.year = %(year)s
AND u.code = ANY(%(codes)s) AND h.history_change_reason = %(reason)s;
UPDATE scoring_assessment a SET status = %(draft)s FROM scoring_unit u
WHERE a.unit_id = u.id AND a.year = %(year)s AND u.code = ANY(%(codes)s)
"""


def ensure_data(units: int) -> int:
    """The year to import into; its assessments are there, published, as generated."""
    call_command("migrate", verbosity=0)
    if Unit.objects.count() < units:
        start = time.perf_counter()
        call_command("generate_data", units=units, criteria=LEAVES, years=1, verbosity=0)
        print(f"generate_data: {time.perf_counter() - start:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Assessment.objects.order_by("-year").values_list("year", flat=True).first()


def write_file(path: Path, codes: list[str], leaves: list[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("unit_code,criterion_code,self_score,appraised_score,note\n")
        for code in codes:
            handle.writelines(f'{code},{leaf},"0,5",0.25,\n' for leaf in leaves)


def reset(year: int, codes: list[str]) -> None:
    with connection.cursor() as cursor:
        params = {"year": year, "codes": codes, "reason": IMPORTED, "draft": AssessmentStatus.DRAFT}
        cursor.execute(CLEAR_SQL, params)
        cursor.execute("VACUUM ANALYZE scoring_score, scoring_historicalscore")


def floor(path: Path, year: int) -> None:
    """`make benchmark`'s import floor (benchmarks/national/imports.py) on this file."""
    tracked = Score.history.model.tracked_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in tracked)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(COPY_TABLE)
        with path.open(encoding="utf-8") as handle:
            cursor.copy_expert("COPY bench_import FROM STDIN WITH CSV HEADER", handle)
        cursor.execute("ANALYZE bench_import")
        sql = UPSERT_WITH_HISTORY.format(columns=columns)
        cursor.execute(sql, {"year": year, "reason": IMPORTED})


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MIB


def child(args: argparse.Namespace) -> None:
    """One timed run in this fresh process; prints its figures as JSON."""
    path = Path(args.file)
    reset(args.year, json.loads(Path(args.codes).read_text()))
    before = rss_mib()
    if args.tracemalloc:
        tracemalloc.start()
    start = time.perf_counter()
    if args.child == "engine":
        call_command("import_scores", str(path), year=args.year, verbosity=0)
    else:
        floor(path, args.year)
    seconds = time.perf_counter() - start
    heap = tracemalloc.get_traced_memory()[1] / MIB if args.tracemalloc else None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak": peak, "growth": peak - before, "heap": heap}))


def run(kind: str, path: Path, codes: Path, year: int, traced: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--file", str(path)]
    command += ["--codes", str(codes), "--year", str(year)] + (["--tracemalloc"] if traced else [])
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{statistics.median(values):,.1f} ({min(values):,.1f}–{max(values):,.1f})"


def measure(rows: int, runs: int, year: int, folder: Path, traced: bool) -> list[str]:
    """The table's line for `rows` (and the heap's, if traced)."""
    leaves = list(
        Criterion.objects.filter(is_leaf=True, framework__assessments__year=year)
        .values_list("code", flat=True)
        .distinct()
    )
    codes = list(
        Unit.objects.filter(assessments__year=year)
        .order_by("code")
        .values_list("code", flat=True)[: rows // len(leaves)]
    )
    path, codes_path = folder / f"scores-{rows}.csv", folder / f"codes-{rows}.json"
    write_file(path, codes, leaves)
    codes_path.write_text(json.dumps(codes))
    results = {"engine": [], "floor": []}
    for _ in range(runs):
        for kind in results:
            results[kind].append(run(kind, path, codes_path, year))
    engine, bare = results["engine"], results["floor"]
    ratio = statistics.median(r["seconds"] for r in engine) / statistics.median(
        r["seconds"] for r in bare
    )
    label = f"{len(codes) * len(leaves):,} rows ({path.stat().st_size / MIB:,.0f} MiB CSV)"
    lines = [
        f"| {label} | {summary(engine, 'seconds')} | {summary(bare, 'seconds')} | {ratio:.2f}x "
        f"| {summary(engine, 'peak')} | {summary(engine, 'growth')} | {summary(bare, 'peak')} |"
    ]
    if traced:
        heap = run("engine", path, codes_path, year, traced=True)["heap"]
        lines.append(f"| {label}: Python heap peak of the import (tracemalloc) {heap:,.1f} MiB |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--child", choices=["engine", "floor"])
    parser.add_argument("--file")
    parser.add_argument("--codes")
    parser.add_argument("--year", type=int)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if args.child:
        child(args)
        return
    year = ensure_data(max(args.sizes) // LEAVES)
    print(
        "| rows | import_scores s, median (range) | floor s | ratio | peak RSS MiB "
        "| RSS growth MiB | floor peak RSS MiB |"
    )
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        measure(min(args.sizes), 1, year, Path(folder), traced=False)  # the warm-up
        for rows in args.sizes:
            print("\n".join(measure(rows, args.runs, year, Path(folder), args.tracemalloc)))


if __name__ == "__main__":
    main()
