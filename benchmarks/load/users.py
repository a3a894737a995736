"""The load test's simulated users: the pages each opens and the check of each answer."""

import html
import http.client
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from benchmarks.load.browser import Browser, Response, form_fields
from benchmarks.load.data import PROVINCE_NAME, Account, Fixture

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
