"""National-scale benchmark: served pages and commands beside their floors, PostgreSQL.

Prints a Markdown table; it is not a test. Run against a database of its own:

    createdb -h 127.0.0.1 -U postgres cchc_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_bench make benchmark
    DATABASE_URL=... .venv/bin/python benchmarks/national_scale.py --only ranking,pdf --runs 3

It migrates and runs `generate_data --units 5000 --criteria 100 --years 2` (1,000,000
scores; the largest group has 3,000 units) unless that data is there, makes a Cán bộ
Nội vụ and a commune account, and serves the app with gunicorn (DEBUG off). Each row
times the app and its floor in turn (app, floor, app, floor...) after a warm-up round:
pages over HTTP with a session logged in through the login form, imports as
`manage.py import_scores` in a subprocess. The load test (`make loadtest`) runs as the
last row, on a database of its own.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.load.data import ROOT, server_stop
from benchmarks.load.report import doc_update
from benchmarks.national import data, imports, pages
from benchmarks.national.timing import Check, Result, interleaved, table

ROWS = ("ranking", "dashboard", "analysis", "excel", "pdf", "import", "memory", "load")
PAGE_ROWS = {"ranking", "dashboard", "analysis", "excel", "pdf"}
SECTION = "## National scale: served pages and commands beside their floors"
BEGIN, END = "<!-- national_scale.py: begin -->", "<!-- national_scale.py: end -->"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only", type=rows_chosen, default=list(ROWS), help=f"some of {','.join(ROWS)}"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each side")
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--criteria", type=int, default=100)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    parser.add_argument("--port", type=int, default=8610, help="gunicorn; the load test +1")
    parser.add_argument("--load-duration", type=float, default=120, help="seconds")
    parser.add_argument("--doc", type=Path, help="write the table into this Markdown file")
    return parser.parse_args(argv)


def rows_chosen(value: str) -> list[str]:
    chosen = [name.strip() for name in value.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(ROWS))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"rows are {', '.join(ROWS)}; not {unknown}")
    return [name for name in ROWS if name in chosen]


class Report:
    """How long each part of the run took, and what else it measured, for under the table."""

    def __init__(self) -> None:
        self.parts: dict[str, float] = {}
        self.notes: list[str] = []  # what else the run measured, printed under the table

    def timed(self, name: str, action: Callable[[], object]):
        start = time.perf_counter()
        try:
            return action()
        finally:
            self.parts[name] = time.perf_counter() - start
            print(f"{name}: {self.parts[name]:,.0f} s", flush=True)

    def __str__(self) -> str:
        spent = ", ".join(f"{name} {seconds:,.0f} s" for name, seconds in self.parts.items())
        return f"Time taken: {spent}; {sum(self.parts.values()) / 60:,.1f} min in all."


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    report = Report()
    load_before = os.getloadavg()[0]
    made = report.timed("data", lambda: data.data_ensure(args.units, args.criteria, args.years))
    targets = data.targets_choose()
    password = data.accounts_ensure(targets.unit_id)
    print(f"Using {made}; group {targets.group_id} has {targets.group_size:,} units.")
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as folder:
        results = rows_run(args, targets, password, Path(folder), report)
    text = "\n\n".join([context(args, load_before), table(results), *report.notes, str(report)])
    print(text)
    if args.doc:
        doc_update(args.doc, text, markers=(BEGIN, END), section=SECTION)
        print(f"Updated {args.doc}.")
    return 0 if all(row.met for row in results) else 1


def rows_run(
    args: argparse.Namespace, targets: data.Targets, password: str, work: Path, report: Report
) -> list[Result | Check]:
    results: list[Result | Check] = []
    if PAGE_ROWS & set(args.only):
        results += page_rows(args, targets, password, work, report)
    if {"import", "memory"} & set(args.only):
        results += import_rows(args, work, report)
    if "load" in args.only:
        results.append(report.timed("load test", lambda: load_row(args, work)))
    return results


def page_rows(
    args: argparse.Namespace, targets: data.Targets, password: str, work: Path, report: Report
) -> list[Result]:
    from scoring.models import Unit

    env = data.server_env(dict(os.environ), args.port, work / "static")
    server = data.server_run(env, args.port, work / "gunicorn.log")
    try:
        sessions = pages.Sessions(
            home_affairs=data.logged_in(args.port, data.HOME_AFFAIRS_USER, password),
            unit=data.logged_in(args.port, data.UNIT_USER, password),
            province_id=Unit.objects.get(code=data.PROVINCE_CODE).pk,
        )
        statuses = data.home_affairs_statuses(targets)
        report.notes.append(
            f"An empty request over HTTP (GET /healthz, logged in) takes "
            f"{pages.bare_request(sessions, args.runs)} ms."
        )
        rows = {
            "ranking": lambda: pages.ranking(targets, sessions, statuses, args.runs),
            "dashboard": lambda: pages.dashboard(targets, sessions, args.runs),
            "analysis": lambda: pages.analysis(targets, sessions, args.runs),
            "excel": lambda: pages.excel(targets, sessions, statuses, args.runs),
            "pdf": lambda: pages.plan_pdf(targets, sessions, args.runs),
        }
        return [report.timed(name, row) for name, row in rows.items() if name in args.only]
    finally:
        server_stop(server)


def import_rows(args: argparse.Namespace, work: Path, report: Report) -> list[Result | Check]:
    env = dict(os.environ)
    imports.year_drop()
    small = imports.score_file(work, args.import_rows)
    command = imports.Command(small, env, peaks_mib=[])
    results: list[Result | Check] = []
    if "import" in args.only:
        engine, floor = report.timed(
            "import",
            lambda: interleaved(
                command, imports.bare_import(small), args.runs, before=imports.scores_clear
            ),
        )
        label = f"import {small.rows:,} rows (command) / COPY + upsert + history"
        results.append(Result(label, engine, floor, goal=2))
        peaks = ", ".join(f"{peak:,.0f}" for peak in command.peaks_mib)
        report.notes.append(f"Peak memory of each run of the import, first untimed: {peaks} MiB.")
    if "memory" in args.only:
        results.append(report.timed("memory", lambda: memory_row(args, work, command)))
    imports.year_drop()
    return results


def memory_row(args: argparse.Namespace, work: Path, small: imports.Command) -> Check:
    """Peak RSS of the command at two sizes, each into a year with no assessments yet."""
    if not small.peaks_mib:  # the import row did not run: its first run is this one
        imports.year_drop()
        small()
    imports.year_drop()
    large = imports.Command(imports.score_file(work, args.memory_rows), small.env, [])
    large()
    first, second = small.peaks_mib[0], large.peaks_mib[0]
    return Check(
        f"import peak memory, {small.file.rows:,} → {large.file.rows:,} rows",
        f"{first:,.0f} → {second:,.0f} MiB ({second / first:.2f}×)",
        "same ± 20%",
        met=0.8 <= second / first <= 1.2,
    )


def load_row(args: argparse.Namespace, work: Path) -> Check:
    """`make loadtest` at the national scale: its own database, 50 users, 2 minutes."""
    summary = work / "load.json"
    command = [
        sys.executable,
        "benchmarks/load_test.py",
        f"--units={args.units}",
        f"--criteria={args.criteria}",
        f"--years={args.years}",
        f"--port={args.port + 1}",
        f"--duration={args.load_duration:g}",
        f"--summary={summary}",
        # The one-user CPU probe before the load: minutes at this scale with 5 runs.
        "--probe-runs=1",
    ]
    if args.doc:
        command.append(f"--doc={args.doc}")
    subprocess.run(command, cwd=ROOT, check=False)
    found = json.loads(summary.read_text())
    pages = {page: p95 for page, p95 in found["p95"].items() if "PDF" not in page}
    worst = max(pages, key=pages.get)
    return Check(
        f"{found['users']} users, {found['duration']:g} s (load test)",
        f"{found['errors']} errors; worst p95 but PDFs {pages[worst]:,.0f} ms ({worst})",
        "0 errors; p95 ≤ 1 s",
        met=found["errors"] == 0 and pages[worst] <= 1000,
    )


def context(args: argparse.Namespace, load_before: float) -> str:
    from django.db import connection

    from scoring.models import Score

    version = connection.cursor().connection.server_version
    return (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: PostgreSQL "
        f"{version // 10000}.{version % 10000}, {Score.objects.count():,} scores, "
        f"{os.cpu_count()} cores, load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after; {args.runs} timed runs of each side after one "
        "warm-up round, app and floor in turn."
    )
