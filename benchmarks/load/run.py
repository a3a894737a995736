"""Load test: simulated users against gunicorn and PostgreSQL, with DEBUG off.

Prints a Markdown table; it is not a test. Run, with a PostgreSQL server:

    make loadtest                       # 50 users, 2 minutes, writes docs/benchmarks.md
    .venv/bin/python benchmarks/load_test.py --users 5 --duration 20

It creates a database of its own (cchc_load_<time> on the server of DATABASE_URL,
postgres://postgres@127.0.0.1:5432/postgres by default) and drops it at the end
unless --keep. There it migrates, loads the demo (`load_demo`), adds `generate_data`
communes under a synthetic province, and makes the accounts: four in five are a
commune's staff (their last year's sheet reopened as a draft, last-but-one year's
plan drafted), the others Cán bộ Nội vụ of the whole province. Then `collectstatic`
into a temporary folder and `gunicorn cchc.wsgi` on plain http (SITE_URL
http://127.0.0.1:<port>: no https redirect, nothing else differs for the app).

Every user logs in (login page, then the POST with its CSRF token) and loops over
the pages with a think time between them. A response is an error when its status
is not the expected one or the page lacks its expected text (the user's name,
the unit, the heading...; a PDF must be a whole PDF). Any error: exit status 1.
"""

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.load.data import (
    ROOT,
    Fixture,
    database_create,
    database_drop,
    database_url,
    fixture_prepare,
    manage,
    server_start,
    server_stop,
)
from benchmarks.load.measure import cpu_alone, measure
from benchmarks.load.report import (
    cpu_note,
    cpu_table,
    doc_update,
    error_samples,
    results_table,
    run_context,
    summary,
)

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which users start")
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 2.0), metavar=("MIN", "MAX"))
    parser.add_argument("--units", type=int, default=400, help="generate_data communes")
    parser.add_argument("--criteria", type=int, default=60, help="generate_data leaf criteria")
    parser.add_argument("--years", type=int, default=3, help="generate_data years")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--timeout", type=int, default=30, help="gunicorn worker timeout, s")
    parser.add_argument("--port", type=int, default=8161)
    parser.add_argument("--server", default=os.environ.get("DATABASE_URL", DEFAULT_SERVER))
    parser.add_argument("--database", default=f"cchc_load_{datetime.now(UTC):%Y%m%d_%H%M%S}")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--doc", type=Path, help="update this Markdown file's load-test section")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--probe-runs", type=int, default=5, help="runs of each action alone, before the load"
    )
    parser.add_argument("--summary", type=Path, help="write errors and p95s as JSON here")
    return parser.parse_args(argv)


# --- Putting it together ------------------------------------------------------------


def environment(args: argparse.Namespace, static_root: Path) -> dict[str, str]:
    return os.environ | {
        "DATABASE_URL": database_url(args.server, args.database),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


def prepare(args: argparse.Namespace, env: dict[str, str]) -> Fixture:
    started = time.perf_counter()
    manage(env, "migrate", "--noinput", "--verbosity=0")
    manage(env | {"DEBUG": "1"}, "load_demo")
    manage(
        env,
        "generate_data",
        f"--units={args.units}",
        f"--criteria={args.criteria}",
        f"--years={args.years}",
        f"--seed={args.seed}",
    )
    manage(env, "collectstatic", "--noinput", "--verbosity=0")
    os.environ.update(
        {key: env[key] for key in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "LOG_LEVEL")}
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.settings")
    sys.path.insert(0, str(ROOT))
    fixture = fixture_prepare(args.users, args.seed)
    print(f"Prepared {args.database} in {time.perf_counter() - started:.0f} s: {fixture.sizes}")
    return fixture


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    env = environment(args, work / "static")
    database_create(args.server, args.database)
    try:
        fixture = prepare(args, env)
        server = server_start(env, args, work / "gunicorn.log")
        try:
            alone, probe = cpu_alone(fixture, args, server)
            print(f"{args.users} users for {args.duration:g} s on port {args.port}...")
            run = measure(fixture, args, server)
        finally:
            server_stop(server)
        log = (work / "gunicorn.log").read_text(errors="replace")
    finally:
        if args.keep:
            print(f"Kept the database: {env['DATABASE_URL']}")
        else:
            database_drop(args.server, args.database)
    block = "\n\n".join(
        (
            run_context(args, fixture, run),
            results_table(run.stats, run.elapsed),
            cpu_note(run),
            cpu_table(alone),
        )
    )
    print(block)
    print(
        f"gunicorn log: {log.count('WORKER TIMEOUT')} worker timeouts, "
        f"{log.count('Traceback')} tracebacks."
    )
    if args.summary:
        args.summary.write_text(json.dumps(summary(run.stats, probe, args)))
    run.stats.merge(probe)
    samples = error_samples(run.stats)
    if samples:
        print("Errors:\n" + samples, file=sys.stderr)
        print(log[-3000:], file=sys.stderr)
    if args.doc:
        doc_update(args.doc, block)
        print(f"Updated {args.doc}.")
    shutil.rmtree(work, ignore_errors=True)
    return 1 if samples else 0
