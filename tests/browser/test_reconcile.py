"""Reconciling in headless Chromium: Nội vụ uploads seed 004's table and a ranking with a
slip; the unit head sees the plan page's warnings on seed 004's typed figures.

Screenshots go to /tmp/shots/reconcile/ (1280 px and 390 px wide).
"""

import csv
import io
from pathlib import Path

import pytest

from remediation.services import plan_draft
from scoring.demo import CAM_SON, COMMUNE_GROUP, DEMO_PASSWORD
from scoring.exports import ranking_table, render_csv
from scoring.models import RankingGroup, Unit
from tests.browser import worlds
from tests.browser.conftest import log_in
from tests.factories import load_demo_data
from tests.remediation.seed_004_sections import type_seed_004
from tests.scoring.reconcile.helpers import SEED_004

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = worlds.SHOTS / "reconcile"


@pytest.fixture
def demo():
    load_demo_data()


def shoot(page, name: str) -> None:
    worlds.shoot(page, name, SHOTS)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") == page.viewport_size["width"]


def ranking_with_a_slip(path: Path) -> Path:
    table = ranking_table([RankingGroup.objects.get(name=COMMUNE_GROUP)], 2023)
    rows = list(csv.reader(io.StringIO(render_csv(table).decode("utf-8-sig"))))
    cam_son = next(row for row in rows if row[1] == CAM_SON)
    cam_son[rows[0].index("score")] = "84.08"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@pytest.mark.parametrize("width", [1280, 390])
def test_home_affairs_reconciles_seed_004_and_a_ranking(
    browser, live_server, demo, tmp_path, width
):
    page = log_in(browser, live_server, "noivu.camxuyen", DEMO_PASSWORD, width=width)
    page.click("nav >> text=Đối chiếu bảng")
    assert page.locator("h1").inner_text() == "Đối chiếu bảng kết quả đã công bố"
    assert page.locator("#id_year").input_value() == "2023"
    shoot(page, f"upload-{width}")

    page.set_input_files("#id_file", str(SEED_004))
    page.click("button:has-text('Đối chiếu')")
    assert page.locator("#ket-qua").inner_text() == "Có 5 chỗ sai lệch trong 39 dòng"
    items = page.locator("ol.differences li")
    assert items.count() == 5
    assert "0,7 nhưng điểm tối đa − điểm đạt = 1,5 − 1,43 = 0,07" in items.nth(0).inner_text()
    assert fits(page)
    shoot(page, f"seed-004-{width}")

    page.set_input_files("#id_file", str(ranking_with_a_slip(tmp_path / "xep-hang.csv")))
    page.click("button:has-text('Đối chiếu')")
    assert page.locator("#ket-qua").inner_text() == "Có 1 chỗ sai lệch trong 23 dòng"
    assert page.locator("ol.differences li").inner_text() == (
        "Dòng 4 · Xã Cẩm Sơn\ntổng điểm 84,08 nhưng cộng các lĩnh vực được 85,08"
    )
    assert fits(page)
    shoot(page, f"ranking-{width}")


@pytest.mark.parametrize("width", [1280, 390])
def test_unit_head_sees_the_warnings_of_its_typed_figures(browser, live_server, demo, width):
    plan = plan_draft(unit=Unit.objects.get(code=CAM_SON), year=2023)
    type_seed_004(plan)
    page = log_in(browser, live_server, "xa.camson", DEMO_PASSWORD, width=width)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")

    boxes = page.locator(".figure-checks")
    assert boxes.count() == 5
    section_7 = page.locator("section.plan-field", has_text="7. Xây dựng")
    field_7 = section_7.locator(".figure-checks")
    assert "Số liệu gõ tay trong «Nội dung bị trừ điểm» chưa khớp (2 chỗ):" in field_7.inner_text()
    assert fits(page)
    field_7.scroll_into_view_if_needed()
    shoot(page, f"plan-{width}")
    section_7.screenshot(path=str(SHOTS / f"plan-field-7-{width}.png"))
