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
import gzip
import html
import http.client
import math
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
SECTION = "## Load test: 50 users, 2 minutes"
BEGIN, END = "<!-- load_test.py: begin -->", "<!-- load_test.py: end -->"
PROVINCE_CODE = "LOAD-TINH"
PROVINCE_NAME = "Tỉnh giả lập (kiểm thử tải)"
HOME_AFFAIRS_SHARE = 5  # one user in five is a Cán bộ Nội vụ
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
    return parser.parse_args(argv)


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
    from scoring.models import Assessment, AssessmentStatus, Score, ScoringCalendar

    today = date.today()
    ScoringCalendar.objects.update_or_create(
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


# --- A browser ----------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """One user's cookies; a connection per request (gunicorn's sync workers close
    it after every response anyway), asking for gzip as browsers do."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None, timeout: float = 120
    ) -> Response:
        headers = {"Accept-Encoding": "gzip", "User-Agent": "cchc-load-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": self.origin + path,
            }
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        for header in answer.msg.get_all("Set-Cookie") or []:
            self._remember(header)
        if answer.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data)

    def _remember(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


class FormFields(HTMLParser):
    """The fields a browser would post from the form with the given id."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside = form_id, False
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input" and "name" in a:
            kind = a.get("type", "text")
            if kind not in {"submit", "button", "file", "checkbox", "radio"} or "checked" in a:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        # The first option unless one is selected, as a browser posts it.
        elif (
            tag == "option"
            and self._select
            and (self._select not in self.fields or "selected" in a)
        ):
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(page: str, form_id: str) -> dict[str, str]:
    parser = FormFields(form_id)
    parser.feed(page)
    return parser.fields


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')


# --- What one user does -----------------------------------------------------------


@dataclass
class Stats:
    """Durations (ms) and errors per page, for one user; merged at the end."""

    times: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def record(self, page: str, ms: float, error: str | None) -> None:
        self.times.setdefault(page, []).append(ms)
        self.errors.setdefault(page, [])
        if error:
            self.errors[page].append(error)

    def merge(self, other: "Stats") -> None:
        for page, times in other.times.items():
            self.times.setdefault(page, []).extend(times)
            self.errors.setdefault(page, []).extend(other.errors[page])


def problem(response: Response, status: int, markers: tuple[str | bytes, ...]) -> str | None:
    """Why the response is not the page expected, or None."""
    if response.status != status:
        return f"status {response.status}, expected {status}"
    for marker in markers:
        found = marker in response.body if isinstance(marker, bytes) else marker in response.text
        if not found:
            return f"missing {marker!r}"
    return None


class User:
    """A simulated user: logs in, then picks weighted pages until the deadline."""

    def __init__(self, account: Account, fixture: Fixture, port: int, rng: random.Random) -> None:
        self.account, self.fixture, self.rng = account, fixture, rng
        self.browser = Browser("127.0.0.1", port)
        self.stats = Stats()
        self.stylesheet = ""
        self.saves = 0

    def visit(
        self, page: str, path: str, *markers: str | bytes, status: int = 200, form=None
    ) -> Response | None:
        """One request, timed and checked; the response only if it is the page expected."""
        start = time.perf_counter()
        try:
            response = self.browser.request("POST" if form is not None else "GET", path, form)
        except (OSError, http.client.HTTPException) as error:
            self.stats.record(page, (time.perf_counter() - start) * 1000, repr(error))
            return None
        error = problem(response, status, markers)
        self.stats.record(page, (time.perf_counter() - start) * 1000, error)
        return None if error else response

    def html(self, page: str, path: str, *markers: str) -> Response | None:
        """A page of the site: it must greet this user by name."""
        return self.visit(page, path, html.escape(self.account.full_name), *markers)

    def run(self, start_at: float, deadline: float, think: tuple[float, float]) -> None:
        time.sleep(max(0.0, start_at - time.monotonic()))
        if not self.login():
            return
        actions = self.actions()
        names, weights = list(actions), [weight for weight, _ in actions.values()]
        while time.monotonic() < deadline:
            time.sleep(self.rng.uniform(*think))
            if time.monotonic() >= deadline:
                break
            actions[self.rng.choices(names, weights)[0]][1]()

    def login(self) -> bool:
        page = self.visit("login page", "/dang-nhap/", 'name="csrfmiddlewaretoken"')
        if page is None:
            return False
        form = {
            "csrfmiddlewaretoken": CSRF_INPUT.search(page.text).group(1),
            "username": self.account.username,
            "password": self.fixture.password,
            "next": "",
        }
        answer = self.visit("login POST", "/dang-nhap/", status=302, form=form)
        if answer is None or answer.headers.get("location") != "/":
            return False
        home = self.home()
        if home is not None:
            self.stylesheet = STYLESHEET.search(home.text).group(1)
        return home is not None

    def actions(self) -> dict[str, tuple[int, Callable[[], object]]]:
        """Page name -> (weight, action); weights as a working day mixes them."""
        common = {
            "home": (15, self.home),
            "dashboard": (20, self.dashboard),
            "ranking": (15, self.ranking),
            "sheet": (20, self.sheet),
            "plan list": (8, self.plan_list),
            "plan page": (8, self.plan_page),
            "plan PDF": (2, self.plan_pdf),
            "stylesheet": (5, self.static),
        }
        if not self.account.home_affairs:
            common["sheet save: open, POST, read again"] = (7, self.sheet_save)
        return common

    def home(self) -> Response | None:
        if self.account.home_affairs:
            return self.html("home", "/", "Cán bộ Nội vụ · " + html.escape(PROVINCE_NAME))
        return self.html("home", "/", f"<h1>{html.escape(self.account.unit_name)}</h1>")

    def dashboard(self) -> None:
        unit_id, name = self._unit()
        year = self.fixture.published_year
        path = f"/don-vi/{unit_id}/tong-quan/?nam={year}"
        self.html("dashboard", path, f"<h1>{html.escape(name)}</h1>", f"Năm {year} · ")

    def _unit(self) -> tuple[int, str]:
        if self.account.home_affairs:
            return self.rng.choice(self.fixture.units)
        return self.account.unit_id, self.account.unit_name

    def ranking(self) -> None:
        if self.account.home_affairs:
            group = self.rng.choice(list(self.fixture.groups))
            year = self.rng.choice(self.fixture.groups[group][1])
            mine = ""
        else:
            group, year = self.account.group_id, self.fixture.published_year
            mine = html.escape(self.account.unit_name)
        name = html.escape(self.fixture.groups[group][0])
        path = f"/xep-hang/?khoi={group}&nam={year}"
        self.html("ranking", path, f"<h1>Xếp hạng năm {year}</h1>", f"{name} · ", mine)

    def sheet(self) -> None:
        if self.account.home_affairs:
            pk, name = self.rng.choice(self.fixture.sheets)
            self.html("sheet", f"/danh-gia/{pk}/", 'id="sheet-form"', html.escape(name))
        else:
            self._draft("sheet")

    def _draft(self, page: str, *markers: str) -> Response | None:
        path = f"/danh-gia/{self.account.draft_id}/"
        return self.html(
            page, path, html.escape(self.account.unit_name), "Lưu phiếu chấm", *markers
        )

    def sheet_save(self) -> None:
        """Open the draft, change one note, save it all, and read the sheet again."""
        page = self._draft("sheet")
        if page is None:
            return
        fields = form_fields(page.text, "sheet-form")
        note = next(name for name in fields if name.startswith("note-"))
        self.saves += 1
        fields[note] = f"Kiểm thử tải: {self.account.username}, lần lưu {self.saves}"
        path = f"/danh-gia/{self.account.draft_id}/luu/"
        saved = self.visit("sheet save", path, status=302, form=fields)
        if saved is not None:
            self._draft("sheet after save", "Đã lưu phiếu chấm (1 tiêu chí thay đổi).")

    def _plan(self) -> tuple[int, str]:
        if self.account.home_affairs:
            return self.rng.choice(self.fixture.plans)
        return self.account.plan_id, self.account.plan_summary

    def plan_list(self) -> None:
        pk, _ = self._plan()
        heading = "<h1>Kế hoạch khắc phục tồn tại, hạn chế</h1>"
        self.html("plan list", "/ke-hoach/", heading, f'href="/ke-hoach/{pk}/"')

    def plan_page(self) -> None:
        pk, summary = self._plan()
        self.html("plan page", f"/ke-hoach/{pk}/", f"<h1>{html.escape(summary)}</h1>")

    def plan_pdf(self) -> None:
        pk, _ = self._plan()
        response = self.visit("plan PDF", f"/ke-hoach/{pk}/ke-hoach.pdf", b"%PDF-", b"%%EOF")
        if response is not None and response.headers.get("content-type") != "application/pdf":
            self.stats.errors["plan PDF"].append("not application/pdf")

    def static(self) -> None:
        self.visit("stylesheet", self.stylesheet, ".site-header {")


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


PROBE_RUNS = 5


def cpu_alone(
    fixture: Fixture, args: argparse.Namespace, server: subprocess.Popen
) -> tuple[dict[str, dict[str, float]], Stats]:
    """CPU milliseconds of the gunicorn workers for each action of one user alone, before
    the load: the median of PROBE_RUNS after one warm-up, per role. The clock ticks in
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
            for _ in range(PROBE_RUNS):
                before = workers_cpu(server.pid)
                action()
                runs.append((workers_cpu(server.pid) - before) * 1000)
            table.setdefault(name, {})[role] = statistics.median(runs)
        stats.merge(user.stats)
    return table, stats


def _one_of_each_role(accounts: list[Account]) -> list[Account]:
    return list({account.home_affairs: account for account in reversed(accounts)}.values())


def workers_cpu(master: int) -> float:
    """User and system CPU seconds of the processes whose parent is `master` (Linux)."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text() if entry.name.isdigit() else ""
        except OSError:  # the process ended meanwhile
            continue
        # After the command name in brackets: state, ppid, ... utime and stime 11th and 12th.
        fields = stat.rpartition(")")[2].split()
        if fields and int(fields[1]) == master:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


# --- The report --------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


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


def doc_update(path: Path, block: str) -> None:
    """Replace the measured block of the load-test section, or add the section."""
    text = path.read_text(encoding="utf-8")
    measured = f"{BEGIN}\n{block}\n{END}"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        text = before + measured + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n\n{measured}\n"
    path.write_text(text, encoding="utf-8")


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


if __name__ == "__main__":
    sys.exit(main())
