"""The mapping page and the comparison across editions in headless Chromium.

Nội vụ maps the demo's 2023 commune framework to the 2022 one (merging two criteria
and leaving one without a counterpart), then Nội vụ and the unit head read Cẩm Sơn's
comparison. Screenshots go to /tmp/shots/editions/ (1280 and 390 px wide).
"""

import pytest

from scoring.demo import CAM_SON, COMMUNE_2022, COMMUNE_2023, DEMO_PASSWORD
from scoring.models import CriterionCounterpart, Framework, Unit
from tests.browser import worlds
from tests.browser.conftest import log_in
from tests.browser.test_dashboard import assert_reads_at_this_width
from tests.factories import load_demo_data

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = worlds.SHOTS / "editions"


@pytest.fixture
def demo():
    load_demo_data()


def shoot(page, name: str) -> None:
    worlds.shoot(page, name, SHOTS)


def _box(page, framework: Framework, code: str):
    pk = framework.criteria.get(code=code).pk
    return page.locator(f"#id_ma_{pk}")


@pytest.mark.parametrize("width", [1280, 390])
def test_home_affairs_maps_the_editions_and_the_comparison_follows(
    browser, live_server, demo, width
):
    new = Framework.objects.get(name=COMMUNE_2023.name)
    old = Framework.objects.get(name=COMMUNE_2022.name)
    page = log_in(browser, live_server, "noivu.camxuyen", DEMO_PASSWORD, width=width)

    page.click("nav >> text=Bộ chỉ số")
    editions = page.locator("#editions").inner_text()
    assert editions.count("Chưa đối chiếu: ghép theo mã") == 2  # 2023 and the district's 2021
    assert editions.count("không có bộ chỉ số trước") == 2
    shoot(page, f"editions-list-{width}")
    assert_reads_at_this_width(page)
    page.locator(f'tr[data-id="{new.pk}"] >> text=Đối chiếu tiêu chí').click()
    assert "Chưa đối chiếu" in page.locator("#mapping-state").inner_text()
    assert _box(page, new, "1.3").input_value() == "1.3"
    assert page.locator('tr[data-code="1.3"] .tag').inner_text() == "đề xuất"
    shoot(page, f"mapping-proposed-{width}")
    assert_reads_at_this_width(page)

    _box(page, new, "1.3").fill("1.2, 1.3, 9.9")
    _box(page, new, "1.2").fill("")  # the new 1.3 continues the old 1.2 and 1.3
    _box(page, new, "1.6").fill("")
    page.click("text=Lưu đối chiếu")
    assert "Không có tiêu chí mã 9.9" in page.locator('tr[data-code="1.3"]').inner_text()
    assert _box(page, new, "1.3").input_value() == "1.2, 1.3, 9.9"  # kept as typed
    shoot(page, f"mapping-error-{width}")
    assert_reads_at_this_width(page)
    _box(page, new, "1.3").fill("1.2, 1.3")
    page.click("text=Lưu đối chiếu")
    assert "Đã lưu đối chiếu" in page.locator(".messages").inner_text()
    assert "Nội vụ đã đối chiếu" in page.locator("#mapping-state").inner_text()
    stored = CriterionCounterpart.objects.filter(mapping__framework=new, criterion__code="1.3")
    assert sorted(stored.values_list("previous__code", flat=True)) == ["1.2", "1.3"]
    shoot(page, f"mapping-saved-{width}")

    cam_son = Unit.objects.get(code=CAM_SON)
    page.goto(f"{live_server.url}/don-vi/{cam_son.pk}/so-sanh/")
    _assert_mapped_comparison(page)
    shoot(page, f"comparison-home-affairs-{width}")
    page.goto(f"{live_server.url}/phan-tich/?nam=2022")
    lost_2022 = page.locator('#field-losses tr[data-code="1"] td').nth(2).inner_text()
    page.goto(f"{live_server.url}/phan-tich/?nam=2023")
    last_year = page.locator('#criterion-losses tr[data-code="1.3"] td').last.inner_text()
    assert "mã 1.2 + 1.3" in last_year
    # Field 1 continues field 1: beside 2023, what the 2022 page says it lost.
    field = page.locator('#field-losses tr[data-code="1"] td').last.inner_text()
    assert field.startswith(f"{lost_2022}\nTB ")
    shoot(page, f"analysis-{width}")
    assert_reads_at_this_width(page)
    page.close()

    page = log_in(browser, live_server, "xa.camson", DEMO_PASSWORD, width=width)
    page.goto(f"{live_server.url}/don-vi/{cam_son.pk}/so-sanh/")
    _assert_mapped_comparison(page)
    assert page.locator("nav >> text=Bộ chỉ số").count() == 0
    shoot(page, f"comparison-unit-{width}")
    assert old.pk  # the 2022 edition stays as it was


def _assert_mapped_comparison(page) -> None:
    assert "đối chiếu của Nội vụ" in page.locator("#framework-note").inner_text()
    merged = page.locator('#criterion-comparison tr[data-code="1.3"]').inner_text()
    assert "gộp từ 2 tiêu chí" in merged
    assert page.locator('#criterion-comparison tr[data-code="1.2"]').count() == 0
    unmatched = page.locator("#unmatched").inner_text()
    assert "1.6. Các nội dung khác của lĩnh vực" in unmatched
    assert "1.2. Kết quả khắc phục tồn tại" in unmatched
    assert "không có tiêu chí tương ứng năm 2022" in unmatched
    assert_reads_at_this_width(page)
