"""The reconcile page: Nội vụ uploads a table and reads its differences, in its scope."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.demo import CAM_SON, COMMUNE_GROUP
from scoring.exports import ranking_table, render_csv, render_xlsx
from scoring.models import RankingGroup, Role, Unit
from tests.factories import UnitFactory, load_demo_data, user_with_role
from tests.scoring.reconcile.helpers import SEED_004

pytestmark = pytest.mark.django_db
URL = reverse("scoring:reconcile")
# Session and user, the scope, the latest year, then `against_system`: units, assessments,
# the khối's ranking with its fields and bands, its statuses.
QUERY_BOUND = 22
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def demo() -> None:
    load_demo_data()


@pytest.fixture
def home_affairs(client, demo):
    client.force_login(user_with_role(Role.HOME_AFFAIRS, Unit.objects.get(code="HT-CX")))
    return client


def exported_rows(size: int | None = None) -> list[list[str]]:
    table = ranking_table([RankingGroup.objects.get(name=COMMUNE_GROUP)], 2023)
    rows = list(csv.reader(io.StringIO(render_csv(table).decode("utf-8-sig"))))
    return rows if size is None else rows[: size + 1]


def upload(rows: list[list[str]], name: str = "bang.csv") -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"), "text/csv")


def test_home_affairs_gets_the_form_with_the_years_in_scope(home_affairs) -> None:
    page = home_affairs.get(URL).content.decode()

    assert "Đối chiếu bảng kết quả đã công bố" in page
    assert 'name="year" value="2023"' in page


def test_an_exact_export_reports_nothing(home_affairs) -> None:
    response = home_affairs.post(URL, {"file": upload(exported_rows()), "year": 2023})
    page = response.content.decode()

    assert response.status_code == 200
    assert "Không có chỗ sai lệch nào trong 23 dòng" in page
    assert f"So với kết quả khối «{COMMUNE_GROUP}» năm 2023 trong hệ thống" in page


def test_the_exported_workbook_is_read_too(home_affairs) -> None:
    table = ranking_table([RankingGroup.objects.get(name=COMMUNE_GROUP)], 2023)
    workbook = SimpleUploadedFile("bang.xlsx", render_xlsx(table), XLSX)

    page = home_affairs.post(URL, {"file": workbook, "year": 2023}).content.decode()

    assert "Không có chỗ sai lệch nào trong 23 dòng" in page


def test_a_wrong_total_is_listed_with_its_row(home_affairs) -> None:
    rows = exported_rows()
    cam_son = next(row for row in rows if row[1] == CAM_SON)
    cam_son[rows[0].index("score")] = "84.08"

    page = home_affairs.post(URL, {"file": upload(rows), "year": 2023}).content.decode()

    assert "Có 1 chỗ sai lệch trong 23 dòng" in page
    assert (
        "Dòng 4 · Xã Cẩm Sơn</strong><br>tổng điểm 84,08 nhưng cộng các lĩnh vực được 85,08" in page
    )


def test_seed_004_detail_table_shows_its_five_slips(home_affairs) -> None:
    file = SimpleUploadedFile("kh.csv", SEED_004.read_bytes(), "text/csv")
    page = home_affairs.post(URL, {"file": file, "year": 2023}).content.decode()

    assert "Có 5 chỗ sai lệch trong 39 dòng" in page
    assert "điểm bị trừ 0,7 nhưng điểm tối đa − điểm đạt = 1,5 − 1,43 = 0,07" in page


def test_a_unit_breakdown_is_compared_with_the_unit_in_scope_only(client, demo, tmp_path) -> None:
    path = tmp_path / "cs.csv"
    call_command("export_results", "--year", "2023", "--unit", CAM_SON, "--output", str(path))
    data = {"year": 2023, "unit": CAM_SON}
    client.force_login(user_with_role(Role.HOME_AFFAIRS, Unit.objects.get(code="HT-CX")))

    page = client.post(URL, {**data, "file": upload_file(path)}).content.decode()
    assert "So với kết quả của Xã Cẩm Sơn năm 2023 trong hệ thống (đã công bố)." in page
    assert "Không có chỗ sai lệch nào trong 25 dòng" in page

    other = UnitFactory(code="KHAC", name="Huyện khác")
    client.force_login(user_with_role(Role.HOME_AFFAIRS, other, username="noivu.khac"))
    page = client.post(URL, {**data, "file": upload_file(path)}).content.decode()
    assert f"{CAM_SON}</strong><br>đơn vị ngoài phạm vi quản lý của bạn" in page
    assert "So với kết quả của" not in page


def upload_file(path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes(), "text/csv")


def test_units_outside_the_scope_are_reported_not_compared(client, demo) -> None:
    other = UnitFactory(code="KHAC", name="Huyện khác")
    client.force_login(user_with_role(Role.HOME_AFFAIRS, other, username="noivu.khac"))
    rows = exported_rows(2)

    page = client.post(URL, {"file": upload(rows), "year": 2023}).content.decode()

    assert page.count("đơn vị ngoài phạm vi quản lý của bạn") == 2
    assert "So với kết quả khối" not in page


def test_a_bad_file_is_refused_in_vietnamese_and_keeps_the_year(home_affairs) -> None:
    file = SimpleUploadedFile("bang.txt", b"abc", "text/plain")
    response = home_affairs.post(URL, {"file": file, "year": 2022})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Chỉ nhận tệp .xlsx hoặc .csv, không nhận «bang.txt»." in page
    assert 'name="year" value="2022"' in page


def test_a_file_that_is_not_a_table_is_refused(home_affairs) -> None:
    file = SimpleUploadedFile("bang.csv", b"a,b\n1,2\n", "text/csv")
    response = home_affairs.post(URL, {"file": file, "year": 2023})

    assert response.status_code == 400
    assert "Không nhận ra dòng tiêu đề của bảng" in response.content.decode()


def test_a_unit_user_is_refused(client, demo) -> None:
    client.force_login(user_with_role(Role.UNIT, Unit.objects.get(code=CAM_SON)))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"year": 2023}).status_code == 403


def test_only_home_affairs_has_the_nav_link(client, home_affairs) -> None:
    link = f'<a href="{URL}">Đối chiếu bảng</a>'
    assert link in home_affairs.get(reverse("scoring:ranking")).content.decode()
    client.force_login(user_with_role(Role.UNIT, Unit.objects.get(code=CAM_SON)))

    assert link not in client.get(reverse("scoring:ranking")).content.decode()


def test_anonymous_is_sent_to_log_in(client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_other_methods_are_refused(home_affairs) -> None:
    assert home_affairs.put(URL).status_code == 405


def test_the_page_runs_the_same_queries_for_5_and_23_rows(home_affairs) -> None:
    counts = []
    for size in (5, 23):
        table = upload(exported_rows(size))  # the export's own queries are not the page's
        with CaptureQueriesContext(connection) as queries:
            response = home_affairs.post(URL, {"file": table, "year": 2023})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= QUERY_BOUND
