"""The load test's report: percentiles, tables, and the section of docs/benchmarks.md."""

import argparse
import math
import os
from datetime import UTC, datetime
from pathlib import Path

import psycopg2

from benchmarks.load.data import Fixture
from benchmarks.load.measure import Run
from benchmarks.load.users import Stats

SECTION = "## Load test: 50 users, 2 minutes"
BEGIN, END = "<!-- load_test.py: begin -->", "<!-- load_test.py: end -->"
# The pages in the order of the report, with the address each one asks for.
PAGES = {
    "login page": "GET /dang-nhap/",
    "login POST": "POST /dang-nhap/",
    "home": "/",
    "dashboard": "/don-vi/<id>/tong-quan/?nam=",
    "ranking": "/xep-hang/?khoi=&nam=",
    "sheet": "/danh-gia/<id>/",
    "sheet save": "POST /danh-gia/<id>/luu/",
    "sheet after save": "/danh-gia/<id>/",
    "plan list": "/ke-hoach/",
    "plan page": "/ke-hoach/<id>/",
    "plan PDF": "/ke-hoach/<id>/ke-hoach.pdf",
    "stylesheet": "/static/css/app.<hash>.css",
}


# --- The report --------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


def summary(load: Stats, probe: Stats, args: argparse.Namespace) -> dict:
    """What the national benchmark's table needs: users, seconds, the errors of the
    whole run (the one-user probe too) and each page's p95 under load."""
    errors = [found for stats in (load, probe) for found in stats.errors.values()]
    return {
        "users": args.users,
        "duration": args.duration,
        "errors": sum(len(found) for found in errors),
        "p95": {page: percentile(times, 0.95) for page, times in load.times.items()},
    }


def results_table(stats: Stats, elapsed: float) -> str:
    lines = [
        "| page | address | requests | errors | p50 ms | p95 ms | max ms |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    every: list[float] = []
    for page in sorted(stats.times, key=list(PAGES).index):
        every += stats.times[page]
        lines.append(_row(page, PAGES[page], stats.times[page], len(stats.errors[page])))
    errors = sum(len(found) for found in stats.errors.values())
    lines.append(_row("**all**", "", every, errors))
    lines.append("")
    lines.append(
        f"Throughput: {len(every) / elapsed:,.1f} requests/s ({len(every):,} requests "
        f"in {elapsed:,.1f} s); {errors} errors."
    )
    return "\n".join(lines)


def _row(page: str, address: str, times: list[float], errors: int) -> str:
    cells = (percentile(times, 0.5), percentile(times, 0.95), max(times))
    figures = " | ".join(f"{ms:,.0f}" for ms in cells)
    address = f"`{address}`" if address else ""
    return f"| {page} | {address} | {len(times):,} | {errors} | {figures} |"


def cpu_note(run: Run) -> str:
    requests = sum(len(times) for times in run.stats.times.values())
    per_request = run.server_cpu / max(requests, 1)
    return (
        f"CPU: the gunicorn workers used {run.server_cpu:,.0f} CPU-seconds in the "
        f"{run.elapsed:,.0f} s ({per_request * 1000:,.0f} ms a request, PostgreSQL not "
        f"counted), the simulated users {run.client_cpu:,.0f}, out of the "
        f"{run.elapsed * (os.cpu_count() or 1):,.0f} CPU-seconds the machine's "
        f"{os.cpu_count()} cores had in that time."
    )


def cpu_table(table: dict[str, dict[str, float]]) -> str:
    lines = [
        "| one user alone | commune: CPU ms | Nội vụ: CPU ms |",
        "|---|---:|---:|",
    ]
    for name, roles in table.items():
        cells = [f"{roles[role]:,.0f}" if role in roles else "" for role in ("commune", "Nội vụ")]
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(lines)


def error_samples(stats: Stats, limit: int = 5) -> str:
    return "\n".join(
        f"  {page}: {len(found)} errors, e.g. {'; '.join(sorted(set(found))[:limit])}"
        for page, found in stats.errors.items()
        if found
    )


def run_context(args: argparse.Namespace, fixture: Fixture, run: Run) -> str:
    sizes = fixture.sizes
    unit_users = sum(not account.home_affairs for account in fixture.accounts)
    memory = _memory_gib()
    return (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `benchmarks/load_test.py "
        f"--users {args.users} --duration {args.duration:g}` on {os.cpu_count()} cores, "
        f"{memory} GiB, shared with other test runs (load average {run.load[0]:.1f} before "
        f"the run, {run.load[1]:.1f} at its end; the simulated users run on the same cores): "
        f"{_postgres_version(args)}, gunicorn {_gunicorn_version()} with {args.workers} sync "
        f"workers (timeout {args.timeout} s), DEBUG off, DB_CONN_MAX_AGE "
        f"{os.environ.get('DB_CONN_MAX_AGE', '0')}, plain http on 127.0.0.1.\n\n"
        f"Data: {sizes['units']:,} units, {sizes['assessments']:,} assessments, "
        f"{sizes['scores']:,} scores, {sizes['criteria']:,} criteria, {sizes['plans']:,} plans "
        f"with {sizes['tasks']:,} tasks (`load_demo`, then `generate_data --units {args.units} "
        f"--criteria {args.criteria} --years {args.years}`). {unit_users} commune accounts "
        f"(own draft sheet and plan) and {len(fixture.accounts) - unit_users} Cán bộ Nội vụ "
        f"of the whole province; each starts within {args.ramp:g} s, then waits "
        f"{args.think[0]:g}–{args.think[1]:g} s between pages."
    )


def _memory_gib() -> int:
    meminfo = Path("/proc/meminfo")
    if not meminfo.exists():
        return 0
    kib = int(meminfo.read_text().split("\n")[0].split()[1])
    return round(kib / 1024**2)


def _postgres_version(args: argparse.Namespace) -> str:
    connection = psycopg2.connect(args.server)
    try:
        version = connection.server_version  # 150020 for 15.20
    finally:
        connection.close()
    return f"PostgreSQL {version // 10000}.{version % 100}"


def _gunicorn_version() -> str:
    import gunicorn

    return gunicorn.__version__


def doc_update(
    path: Path, block: str, *, markers: tuple[str, str] = (BEGIN, END), section: str = SECTION
) -> None:
    """Replace the measured block between `markers`, or add `section` with it at the end."""
    begin, end = markers
    text = path.read_text(encoding="utf-8")
    measured = f"{begin}\n{block}\n{end}"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        text = before + measured + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{section}\n\n{measured}\n"
    path.write_text(text, encoding="utf-8")
