"""The load test's database, its data and accounts, and the gunicorn server."""

import argparse
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

from benchmarks.load.browser import Browser

ROOT = Path(__file__).resolve().parent.parent.parent
PROVINCE_CODE = "LOAD-TINH"
PROVINCE_NAME = "Tỉnh giả lập (kiểm thử tải)"
HOME_AFFAIRS_SHARE = 5  # one user in five is a Cán bộ Nội vụ


# --- The database --------------------------------------------------------------


def database_url(server: str, name: str) -> str:
    parts = urlsplit(server)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_create(server: str, name: str) -> None:
    _admin(server, f'CREATE DATABASE "{name}"')


def database_drop(server: str, name: str) -> None:
    _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin(server: str, sql: str) -> None:
    connection = psycopg2.connect(server)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- The data and the accounts ----------------------------------------------------


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    home_affairs: bool
    unit_id: int | None = None  # a unit user's commune
    unit_name: str = ""
    group_id: int | None = None
    draft_id: int | None = None  # the sheet a unit user saves
    plan_id: int | None = None
    plan_summary: str = ""


@dataclass(frozen=True)
class Fixture:
    """What the simulated users may open, read once from the database."""

    accounts: list[Account]
    password: str
    published_year: int
    groups: dict[int, tuple[str, list[int]]]  # id -> (name, years)
    units: list[tuple[int, str]]  # the province's communes
    sheets: list[tuple[int, str]]  # published assessments of the province: id, unit name
    plans: list[tuple[int, str]]  # id, summary
    sizes: dict[str, int]


def fixture_prepare(users: int, seed: int) -> Fixture:
    """Province, drafts, plans and accounts on top of load_demo and generate_data."""
    import django

    django.setup()
    from django.db import connections, transaction

    with transaction.atomic():
        fixture = _fixture_build(users, seed)
    connections.close_all()
    return fixture


def _fixture_build(users: int, seed: int) -> Fixture:
    from scoring.models import Assessment, AssessmentStatus, Unit, UnitLevel
    from scoring.synthetic import FINAL_YEAR, dataset_prefix

    province = Unit.objects.create(code=PROVINCE_CODE, name=PROVINCE_NAME, level=UnitLevel.PROVINCE)
    communes = Unit.objects.filter(code__startswith=dataset_prefix(seed))
    communes.update(parent=province)
    home_affairs = max(1, users // HOME_AFFAIRS_SHARE) if users > 1 else 0
    unit_users = users - home_affairs
    everyone = list(communes.order_by("code"))
    if unit_users > len(everyone):
        raise SystemExit(f"{unit_users} unit users need as many communes; --units is too small.")
    # Spread over the ranking groups, one commune per unit user: no two save one sheet.
    chosen = everyone[:: len(everyone) // unit_users][:unit_users] if unit_users else []
    published = FINAL_YEAR - 1
    drafts = _drafts_open(chosen, FINAL_YEAR)
    plans = _plans_draft(chosen, published)
    accounts = _accounts_create(chosen, drafts, plans, home_affairs, province)
    sheets = (
        Assessment.objects.filter(unit__in=communes, status=AssessmentStatus.PUBLISHED)
        .values_list("pk", "unit__name")
        .order_by("pk")
    )
    return Fixture(
        accounts=accounts,
        password=ACCOUNT_PASSWORD,
        published_year=published,
        groups=_groups(communes),
        units=[(unit.pk, unit.name) for unit in everyone],
        sheets=list(sheets),
        plans=[(plan.pk, plan.summary) for plan in plans.values()],
        sizes=_sizes(),
    )


# One hash for every account: hashing 50 passwords one by one takes half a minute.
ACCOUNT_PASSWORD = f"load-{secrets.token_hex(12)}"


def _drafts_open(units: list, year: int) -> dict[int, int]:
    """The year's sheet of each unit back to a draft, self-assessed but not appraised,
    under an open calendar: what a commune's staff fill in during a cycle."""
    from scoring.models import Assessment, AssessmentStatus, Score, ScoringCalendar, Unit

    today = date.today()
    for jurisdiction in Unit.objects.filter(children__in=units).distinct():
        ScoringCalendar.objects.update_or_create(
            unit=jurisdiction,
            year=year,
            defaults={
                "self_assessment_closes": today + timedelta(days=30),
                "appraisal_closes": today + timedelta(days=60),
            },
        )
    drafts = Assessment.objects.filter(unit__in=units, year=year)
    drafts.update(status=AssessmentStatus.DRAFT)
    Score.objects.filter(assessment__in=drafts).update(appraised_score=None)
    return dict(drafts.values_list("unit_id", "pk"))


def _plans_draft(units: list, year: int) -> dict:
    from remediation.services import plan_draft

    return {unit.pk: plan_draft(unit=unit, year=year) for unit in units}


def _accounts_create(
    units: list, drafts: dict[int, int], plans: dict, home_affairs: int, province
) -> list[Account]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from scoring.models import Membership, Role

    hashed = make_password(ACCOUNT_PASSWORD)
    accounts = [
        Account(
            username=f"load.xa{i:03d}",
            full_name=f"Cán bộ xã kiểm thử {i:03d}",
            home_affairs=False,
            unit_id=unit.pk,
            unit_name=unit.name,
            group_id=unit.ranking_group_id,
            draft_id=drafts[unit.pk],
            plan_id=plans[unit.pk].pk,
            plan_summary=plans[unit.pk].summary,
        )
        for i, unit in enumerate(units, start=1)
    ] + [
        Account(f"load.noivu{i:02d}", f"Cán bộ Nội vụ kiểm thử {i:02d}", home_affairs=True)
        for i in range(1, home_affairs + 1)
    ]
    User = get_user_model()
    made = User.objects.bulk_create(
        User(username=a.username, first_name=a.full_name, password=hashed) for a in accounts
    )
    Membership.objects.bulk_create(
        Membership(
            user=user,
            role=Role.HOME_AFFAIRS if account.home_affairs else Role.UNIT,
            unit_id=province.pk if account.home_affairs else account.unit_id,
        )
        for user, account in zip(made, accounts, strict=True)
    )
    return accounts


def _groups(communes) -> dict[int, tuple[str, list[int]]]:
    from scoring.models import Assessment, RankingGroup

    years: dict[int, set[int]] = {}
    for group_id, year in Assessment.objects.filter(unit__in=communes).values_list(
        "ranking_group_id", "year"
    ):
        years.setdefault(group_id, set()).add(year)
    names = dict(RankingGroup.objects.filter(pk__in=years).values_list("pk", "name"))
    return {pk: (names[pk], sorted(found)) for pk, found in years.items()}


def _sizes() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from remediation.models import Plan, Task
    from scoring.models import Assessment, Criterion, Score, Unit

    models = {
        "units": Unit,
        "assessments": Assessment,
        "scores": Score,
        "criteria": Criterion,
        "plans": Plan,
        "tasks": Task,
        "accounts": get_user_model(),
    }
    return {label: model.objects.count() for label, model in models.items()}


# --- The server -------------------------------------------------------------------


def server_start(env: dict[str, str], args: argparse.Namespace, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "cchc.wsgi",
        f"--bind=127.0.0.1:{args.port}",
        f"--workers={args.workers}",
        f"--timeout={args.timeout}",
    ]
    with log.open("wb") as handle:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=handle)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start:\n{log.read_text()[-3000:]}")
        try:
            if Browser("127.0.0.1", args.port).request("GET", "/healthz").status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s.")


def server_stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()
