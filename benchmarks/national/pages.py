"""The page rows: a served page over HTTP, logged in, beside its floor."""

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from benchmarks.load.browser import Browser
from benchmarks.national import floors
from benchmarks.national.data import Targets
from benchmarks.national.timing import Result, Sample, interleaved, timed


@dataclass(frozen=True)
class Page:
    """One address and what its answer must hold, so a login page or an error is
    never timed as the page."""

    path: str
    markers: tuple[str | bytes, ...]

    def fetch(self, browser: Browser) -> Callable[[], bytes]:
        def run() -> bytes:
            response = browser.request("GET", self.path, timeout=600)
            missing = [
                marker
                for marker in self.markers
                if marker not in (response.body if isinstance(marker, bytes) else response.text)
            ]
            if response.status != 200 or missing:
                raise SystemExit(f"{self.path}: status {response.status}, missing {missing}")
            return response.body

        return run


@dataclass(frozen=True)
class Sessions:
    home_affairs: Browser
    unit: Browser
    province_id: int


def bare_request(sessions: Sessions, runs: int) -> Sample:
    """The least a served page costs: GET /healthz (one SELECT 1) with a session."""
    return timed(Page("/healthz", ("ok",)).fetch(sessions.home_affairs), runs)


def ranking_path(targets: Targets) -> str:
    return f"/xep-hang/?khoi={targets.group_id}&nam={targets.year}"


def ranking(targets: Targets, sessions: Sessions, statuses: list[str], runs: int) -> Result:
    page = Page(ranking_path(targets), (f"<h1>Xếp hạng năm {targets.year}</h1>",))
    engine, floor = interleaved(
        page.fetch(sessions.home_affairs), floors.ranking(targets, statuses), runs
    )
    label = (
        f"ranking page, {targets.group_size:,} units (HTTP; floor on the {floors.ranking_schema()})"
    )
    return Result(label, engine, floor, goal=1.3)


def dashboard(targets: Targets, sessions: Sessions, runs: int) -> Result:
    path = f"/don-vi/{targets.unit_id}/tong-quan/?nam={targets.year}"
    page = Page(path, (f"<h1>{html.escape(targets.unit_name)}</h1>",))
    engine, floor = interleaved(page.fetch(sessions.unit), floors.dashboard(targets), runs)
    return Result("a unit's dashboard (HTTP) / its two breakdowns", engine, floor, goal=1.5)


def analysis(targets: Targets, sessions: Sessions, runs: int) -> Result:
    path = f"/phan-tich/?khoi={targets.group_id}&nam={targets.year}"
    page = Page(path, (f"<h1>Phân tích điểm bị trừ năm {targets.year}</h1>",))
    floor = floors.analysis(targets, sessions.province_id)
    engine, floor_sample = interleaved(page.fetch(sessions.home_affairs), floor, runs)
    return Result("analysis page (HTTP)", engine, floor_sample, goal=1.3)


def excel(targets: Targets, sessions: Sessions, statuses: list[str], runs: int) -> Result:
    page = Page(ranking_path(targets) + "&tai=xlsx", (b"PK\x03\x04",))
    engine, floor = interleaved(
        page.fetch(sessions.home_affairs), floors.excel(targets, statuses), runs
    )
    return Result("ranking Excel (HTTP) / SQL + openpyxl write-only", engine, floor, goal=1.5)


def plan_pdf(targets: Targets, sessions: Sessions, runs: int) -> Result:
    page = Page(f"/ke-hoach/{targets.plan_id}/ke-hoach.pdf", (b"%PDF-", b"%%EOF"))
    engine, floor = interleaved(page.fetch(sessions.home_affairs), bare_weasyprint(targets), runs)
    return Result("plan PDF (HTTP) / bare WeasyPrint, same HTML", engine, floor, goal=1.2)


def bare_weasyprint(targets: Targets) -> Callable[[], bytes]:
    """WeasyPrint alone on the HTML the renderer makes of the plan (built once, untimed)."""
    import unicodedata

    import weasyprint

    from cchc.documents.pdf import document_html
    from cchc.pdf import FONTS_DIR, PDF_OPTIONS
    from remediation.documents import plan_document_model
    from remediation.models import Plan

    plan = Plan.objects.get(pk=targets.plan_id)
    text = unicodedata.normalize(
        "NFC", document_html(plan_document_model(plan, date.today()), inline_style=True)
    )
    base_url = str(FONTS_DIR.parent)
    return lambda: weasyprint.HTML(string=text, base_url=base_url).write_pdf(**PDF_OPTIONS)
