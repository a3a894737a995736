"""The benchmark's database: the national data set, two accounts, the targets timed,
and the gunicorn server that serves the pages."""

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from benchmarks.load.browser import Browser
from benchmarks.load.data import manage, server_start

PROVINCE_CODE = "BENCH-TINH"
PROVINCE_NAME = "Tỉnh giả lập (đo hiệu năng)"
HOME_AFFAIRS_USER, UNIT_USER = "bench.noivu", "bench.xa"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def data_ensure(units: int, criteria: int, years: int) -> str:
    """Migrate, and generate the data set unless it is there; says which. Then ANALYZE,
    so the planner plans with the statistics of the data as it is."""
    from django.core.management import call_command
    from django.db import connection

    from scoring.models import Score
    from scoring.synthetic import dataset_exists

    call_command("migrate", verbosity=0)
    if dataset_exists(seed=1):
        made = f"the data already in the database ({Score.objects.count():,} scores)"
    else:
        start = time.perf_counter()
        call_command("generate_data", units=units, criteria=criteria, years=years, verbosity=0)
        made = f"generate_data in {time.perf_counter() - start:,.0f} s"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return made


@dataclass(frozen=True)
class Targets:
    """What the rows time: the largest group of the last year and units in it."""

    year: int
    group_id: int
    group_size: int
    unit_id: int  # the unit account's commune (the group's median unit)
    unit_name: str
    assessment_id: int
    prev_assessment_id: int
    framework_id: int
    plan_id: int  # the plan of the group's last unit: the most deductions, the longest plan


def targets_choose() -> Targets:
    from django.db.models import Count

    from remediation.models import Plan
    from remediation.services import plan_draft
    from scoring.engine import group_ranking
    from scoring.models import Assessment, RankingGroup

    year = Assessment.objects.order_by("-year").values_list("year", flat=True).first()
    busiest = (
        Assessment.objects.filter(year=year)
        .values("ranking_group")
        .annotate(size=Count("id"))
        .order_by("-size")
        .first()
    )
    group = RankingGroup.objects.get(pk=busiest["ranking_group"])
    rows = group_ranking(group, year).rows
    middle = Assessment.objects.select_related("unit").get(pk=rows[len(rows) // 2].assessment_id)
    last = Assessment.objects.select_related("unit").get(pk=rows[-1].assessment_id)
    plan = Plan.objects.filter(unit=last.unit, year=year).first()
    plan = plan or plan_draft(unit=last.unit, year=year)
    prev = Assessment.objects.get(unit=middle.unit, year=year - 1)
    return Targets(
        year=year,
        group_id=group.pk,
        group_size=busiest["size"],
        unit_id=middle.unit_id,
        unit_name=middle.unit.name,
        assessment_id=middle.pk,
        prev_assessment_id=prev.pk,
        framework_id=middle.framework_id,
        plan_id=plan.pk,
    )


def accounts_ensure(unit_id: int) -> str:
    """A Cán bộ Nội vụ over the data set's communes (hung under one synthetic province)
    and the staff of the unit; one fresh password for both."""
    from django.contrib.auth import get_user_model

    from scoring.models import Membership, Role, Unit, UnitLevel
    from scoring.synthetic import dataset_prefix

    province, _ = Unit.objects.get_or_create(
        code=PROVINCE_CODE, defaults={"name": PROVINCE_NAME, "level": UnitLevel.PROVINCE}
    )
    Unit.objects.filter(code__startswith=dataset_prefix(1)).update(parent=province)
    password = secrets.token_urlsafe(16)
    User = get_user_model()
    for username, name, role, unit in (
        (HOME_AFFAIRS_USER, "Cán bộ Nội vụ đo hiệu năng", Role.HOME_AFFAIRS, province.pk),
        (UNIT_USER, "Cán bộ xã đo hiệu năng", Role.UNIT, unit_id),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": name})
        user.set_password(password)
        user.save()
        Membership.objects.update_or_create(
            user=user, defaults={"role": role, "unit_id": unit, "must_set_password": False}
        )
    return password


def home_affairs_statuses(targets: Targets) -> list[str]:
    """The statuses the Nội vụ account's ranking of the group counts."""
    from django.contrib.auth import get_user_model

    from scoring.analysis import ranking_statuses
    from scoring.models import RankingGroup

    user = get_user_model().objects.get(username=HOME_AFFAIRS_USER)
    return ranking_statuses(user, RankingGroup.objects.get(pk=targets.group_id), targets.year)


# --- The server and its sessions -------------------------------------------------------


def server_env(base: dict[str, str], port: int, static_root: Path) -> dict[str, str]:
    return base | {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SITE_URL": f"http://127.0.0.1:{port}",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }


def server_run(env: dict[str, str], port: int, log: Path):
    """gunicorn as in production (sync workers, DEBUG off) after collectstatic."""
    manage(env, "collectstatic", "--noinput", "--verbosity=0")
    # Two workers: the rows ask one page at a time; a long timeout for the big downloads.
    return server_start(env, SimpleNamespace(port=port, workers=2, timeout=600), log)


def logged_in(port: int, username: str, password: str) -> Browser:
    """A browser with the session of a login through the login form."""
    browser = Browser("127.0.0.1", port)
    page = browser.request("GET", "/dang-nhap/")
    form = {
        "csrfmiddlewaretoken": CSRF_INPUT.search(page.text).group(1),
        "username": username,
        "password": password,
        "next": "",
    }
    answer = browser.request("POST", "/dang-nhap/", form)
    if answer.status != 302 or answer.headers.get("location") != "/":
        raise SystemExit(f"Could not log in as {username}: status {answer.status}.")
    return browser
