"""The load test's measures: the users run in threads, CPU time of the gunicorn workers."""

import argparse
import os
import random
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.load.data import Account, Fixture
from benchmarks.load.users import Stats, User


def load_run(fixture: Fixture, args: argparse.Namespace) -> tuple[Stats, float]:
    """Every user in a thread of its own; the merged stats and the wall time."""
    start = time.monotonic()
    deadline = start + args.duration
    users = [
        User(account, fixture, args.port, random.Random(f"{args.seed}:{account.username}"))
        for account in fixture.accounts
    ]
    threads = [
        threading.Thread(
            target=user.run,
            args=(start + args.ramp * i / len(users), deadline, tuple(args.think)),
        )
        for i, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    total = Stats()
    for user in users:
        total.merge(user.stats)
    return total, elapsed


@dataclass(frozen=True)
class Run:
    stats: Stats
    elapsed: float
    load: tuple[float, float]  # load average (1 min) before and after
    server_cpu: float  # CPU seconds of the gunicorn workers during the run
    client_cpu: float  # CPU seconds of this process (the simulated users)


def measure(fixture: Fixture, args: argparse.Namespace, server: subprocess.Popen) -> Run:
    load, server_cpu, client_cpu = os.getloadavg()[0], workers_cpu(server.pid), time.process_time()
    stats, elapsed = load_run(fixture, args)
    return Run(
        stats,
        elapsed,
        (load, os.getloadavg()[0]),
        workers_cpu(server.pid) - server_cpu,
        time.process_time() - client_cpu,
    )


def cpu_alone(
    fixture: Fixture, args: argparse.Namespace, server: subprocess.Popen
) -> tuple[dict[str, dict[str, float]], Stats]:
    """CPU milliseconds of the gunicorn workers for each action of one user alone, before
    the load: the median of --probe-runs after one warm-up, per role. The clock ticks in
    hundredths of a second, so small figures are coarse."""
    table: dict[str, dict[str, float]] = {}
    stats = Stats()
    for account in _one_of_each_role(fixture.accounts):
        user = User(account, fixture, args.port, random.Random(args.seed))
        role = "Nội vụ" if account.home_affairs else "commune"
        before = workers_cpu(server.pid)
        user.login()
        table["login: page, POST, home"] = table.get("login: page, POST, home", {})
        table["login: page, POST, home"][role] = (workers_cpu(server.pid) - before) * 1000
        for name, (_, action) in user.actions().items():
            action()
            runs = []
            for _ in range(args.probe_runs):
                before = workers_cpu(server.pid)
                action()
                runs.append((workers_cpu(server.pid) - before) * 1000)
            table.setdefault(name, {})[role] = statistics.median(runs)
        stats.merge(user.stats)
    return table, stats


def _one_of_each_role(accounts: list[Account]) -> list[Account]:
    return list({account.home_affairs: account for account in reversed(accounts)}.values())


def workers_cpu(master: int) -> float:
    """User and system CPU seconds of the processes whose parent is `master`, and of
    those it has already reaped (a worker killed on timeout and replaced) (Linux)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:  # the process ended meanwhile
            continue
        # After the command name in brackets: state, ppid, ... utime and stime 11th and
        # 12th, the reaped children's cutime and cstime 13th and 14th.
        fields = stat.rpartition(")")[2].split()
        if fields and int(fields[1]) == master:
            ticks += int(fields[11]) + int(fields[12])
        elif entry.name == str(master):
            ticks += int(fields[13]) + int(fields[14])
    return ticks / os.sysconf("SC_CLK_TCK")
