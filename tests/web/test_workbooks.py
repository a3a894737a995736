"""Workbooks a clerk opens and prints: the plan's task workbook, the ranking download and
export_results --format xlsx. openpyxl reads the layout back; LibreOffice (headless, where
it is installed) prints the two downloads to PDF, and pypdf reads what came out."""

import io
import itertools
import re
import shutil
import subprocess
import unicodedata
import uuid
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from remediation.exports import COLUMNS as TASK_COLUMNS
from remediation.models import Task
from scoring.models import Criterion, Role, Unit
from tests.factories import build_framework, user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.pdfs import read, runs, size
from tests.web.dashboard_data import build_group

pytestmark = pytest.mark.django_db

FIELDS = [
    ("1", "Chỉ đạo điều hành", "11"),
    ("2", "Cải cách thể chế", "7"),
    ("3", "Cải cách thủ tục hành chính", "14.5"),
    ("4", "Cải cách tổ chức bộ máy hành chính nhà nước", "6"),
    ("5", "Cải cách chế độ công vụ", "16.5"),
    ("6", "Cải cách tài chính công", "13.5"),
    ("7", "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số", "20"),
    ("8", "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế", "11.5"),
]
RANKING_UNITS = 30
TASKS = 40
PHRASE = (
    "rà soát đánh giá thủ tục hành chính niêm yết công khai tiếp nhận hồ sơ trực tuyến "
    "số hóa kết quả giải quyết báo cáo định kỳ kiểm tra đôn đốc tuyên truyền người dân"
)
WORDS = PHRASE.split(" ")


def long_text(seed: int, words: int) -> str:
    return " ".join(WORDS[(seed * 7 + i) % len(WORDS)] for i in range(words))


@pytest.fixture
def task_workbook(client) -> tuple[bytes, list[Task]]:
    """The task workbook of a plan with 40 tasks, each with long typed texts."""
    commune = district_with_commune()[1]
    plan = plan_with_tasks(commune, TASKS)
    tasks = list(plan.tasks.order_by("section__order", "order", "pk"))
    for number, task in enumerate(tasks):
        task.name = f"Nhiệm vụ {number:02d} {long_text(number, 12 + number % 9)}"
        task.activities = long_text(number + 1, 20 + number % 15)
        task.output = long_text(number + 2, 8)
        task.lead = "Công chức Văn phòng - Thống kê"
        task.coordinators = "Công chức Tư pháp - Hộ tịch; Công chức Địa chính - Xây dựng"
        task.deadline = "Quý II, III/2024"
        task.budget_amount = Decimal("12.5")
    Task.objects.bulk_update(
        tasks, ["name", "activities", "output", "lead", "coordinators", "deadline", "budget_amount"]
    )
    client.force_login(user_with_role(Role.UNIT, commune))
    response = client.get(reverse("remediation:xlsx", args=[plan.pk]))
    return response.content, tasks


@pytest.fixture
def ranking_workbook(client) -> bytes:
    """The ranking download of a khối of 30 communes scored on eight named fields."""
    rows = [(code, None, points) for code, _, points in FIELDS]
    halves = [(code, str(Decimal(points) / 2)) for code, _, points in FIELDS]
    rows += [(f"{code}.{n}", code, half) for code, half in halves for n in (1, 2)]
    framework = build_framework(rows)
    for code, title, _ in FIELDS:
        Criterion.objects.filter(framework=framework, code=code).update(title=title)
    data = build_group(RANKING_UNITS, framework=framework)
    for unit in Unit.objects.filter(ranking_group=data["group"])[::3]:
        unit.name = f"{unit.name} (sáp nhập từ xã Cẩm Quang và xã Cẩm Thượng năm 2020)"
        unit.save()
    client.force_login(data["home_affairs"])
    response = client.get("/xep-hang/", {"khoi": data["group"].pk, "nam": 2023, "tai": "xlsx"})
    return response.content


def sheet_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def assert_printable(sheet, title: str, headers: list[str]) -> None:
    """Title merged across the columns and bold, bold wrapped headers, every cell wrapped,
    A4 landscape one page wide, title and headers on every page, frozen below them."""
    width = len(headers)
    assert sheet["A1"].value == title and sheet["A1"].font.bold
    assert [str(r) for r in sheet.merged_cells.ranges] == [
        f"A1:{openpyxl.utils.get_column_letter(width)}1"
    ]
    assert [cell.value for cell in sheet[2]] == headers
    assert all(cell.font.bold for cell in sheet[2])
    assert all(cell.alignment.wrap_text for row in sheet.iter_rows(min_row=2) for cell in row)
    setup = sheet.page_setup
    assert (setup.orientation, int(setup.paperSize)) == ("landscape", int(sheet.PAPERSIZE_A4))
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.freeze_panes == "A3"
    assert 0.3 <= sheet.page_margins.left <= 1 and 0.3 <= sheet.page_margins.top <= 1


def test_the_task_workbook_has_a_title_worded_headers_and_a_print_layout(task_workbook):
    data, tasks = task_workbook

    sheet = sheet_of(data)

    assert_printable(
        sheet,
        "Nhiệm vụ của kế hoạch khắc phục năm 2023 · Xã Thử Một",
        [column.header for column in TASK_COLUMNS],
    )
    names = [sheet.cell(row, 5).value for row in range(3, 3 + TASKS)]
    assert names == [task.name for task in tasks]
    assert sheet.cell(3, 2).value == "1. Tiêu chí 1"
    # Numbers stay numbers, in their column's format; the total closes the table in bold.
    budget = sheet.cell(3, 13)
    assert (budget.value, budget.data_type, budget.number_format) == (12.5, "n", "#,##0.00")
    total = sheet.cell(3 + TASKS, 13)
    assert (total.value, total.font.bold) == (500, True)


def test_row_heights_follow_the_longest_wrapped_cell(task_workbook):
    data, tasks = task_workbook

    sheet = sheet_of(data)

    heights = [sheet.row_dimensions[row].height for row in range(3, 3 + TASKS)]
    # Hoạt động is 22 wide; LibreOffice prints about 26 characters a line, 12.2 points apart.
    for height, task in zip(heights, tasks, strict=True):
        assert height >= 12.2 * len(task.activities) / 26
    assert min(heights) < max(heights)


def test_the_ranking_download_names_each_field_with_its_max(ranking_workbook):
    sheet = sheet_of(ranking_workbook)

    headers = [cell.value for cell in sheet[2]]
    title = "Xếp hạng Chỉ số cải cách hành chính năm 2023 · Khối xã huyện D"
    assert_printable(sheet, title, headers)
    assert headers[7:15] == [
        "1. Chỉ đạo điều hành (11 điểm)",
        "2. Cải cách thể chế (7 điểm)",
        "3. Cải cách thủ tục hành chính (14,5 điểm)",
        "4. Cải cách tổ chức bộ máy hành chính nhà nước (6 điểm)",
        "5. Cải cách chế độ công vụ (16,5 điểm)",
        "6. Cải cách tài chính công (13,5 điểm)",
        "7. Xây dựng và phát triển Chính quyền điện tử, Chính quyền số (20 điểm)",
        "8. Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế "
        "(11,5 điểm)",
    ]
    assert sheet.max_row == 2 + RANKING_UNITS
    total = sheet.cell(3, headers.index("Tổng điểm") + 1)
    assert (total.data_type, total.number_format) == ("n", "0.00")


def test_export_results_xlsx_is_printable_and_csv_keeps_the_codes(ranking_workbook, tmp_path):
    target = tmp_path / "ket-qua.xlsx"

    call_command("export_results", year=2023, format="xlsx", output=str(target))
    out = io.StringIO()
    call_command("export_results", year=2023, stdout=out)

    sheet = openpyxl.load_workbook(target).active
    headers = [cell.value for cell in sheet[2]]
    assert_printable(
        sheet, "Kết quả Chỉ số cải cách hành chính năm 2023 · Khối xã huyện D", headers
    )
    assert headers[:3] == ["Hạng", "Mã đơn vị", "Đơn vị"]
    assert headers[-1] == (
        "8. Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế "
        "(11,5 điểm)"
    )
    csv_header = out.getvalue().removeprefix("\ufeff").splitlines()[0].split(",")
    assert csv_header[:3] == ["rank", "unit_code", "unit_name"]
    assert csv_header[-8:] == [f"field_{code}" for code, _, _ in FIELDS]


def test_export_results_xlsx_of_two_groups_names_only_the_fields_they_share(
    ranking_workbook, tmp_path
):
    build_group(3, prefix="N")  # fields 1 and 2 of another framework: other titles and maxes
    target = tmp_path / "ket-qua.xlsx"

    call_command("export_results", year=2023, format="xlsx", output=str(target))

    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "Kết quả Chỉ số cải cách hành chính năm 2023 · 2 khối"
    fields = [cell.value for cell in sheet[2]][-8:]
    assert fields[:3] == ["Lĩnh vực 1", "Lĩnh vực 2", "3. Cải cách thủ tục hành chính (14,5 điểm)"]


# --- Printed by LibreOffice -----------------------------------------------------------


def printed(data: bytes, tmp_path: Path):
    """The workbook as LibreOffice prints it to PDF (a private profile per run, so
    parallel runs do not share one)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the printed workbook is not checked")
    source = tmp_path / "bang.xlsx"
    source.write_bytes(data)
    profile = f"file:///tmp/lo-{uuid.uuid4().hex}"
    subprocess.run(
        [
            *(soffice, f"-env:UserInstallation={profile}", "--headless"),
            *("--convert-to", "pdf", "--outdir", str(tmp_path), str(source)),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    shutil.rmtree(profile.removeprefix("file://"), ignore_errors=True)
    return read((tmp_path / "bang.pdf").read_bytes())


def words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))


def page_words(page) -> set[str]:
    """The words of every piece of text on the page (pieces apart: extracted as one text,
    the last word of a header cell can run into the next cell's first)."""
    return set(words(" ".join(run.text for run in runs(page))))


def assert_printed_whole(reader, header_words: list[str], cell_texts: list[str]) -> None:
    """More than one landscape page, the headers on each, every cell's words somewhere,
    and no cell's text running past its row (its lines would fall on the next row's)."""
    assert len(reader.pages) > 1
    for page in reader.pages:
        width, height = size(page)
        assert width > height
        assert set(header_words) <= page_words(page)
        assert_no_overflow(page)
    printed_words = set().union(*(page_words(page) for page in reader.pages))
    for text in cell_texts:
        assert set(words(text)) <= printed_words, text


def assert_no_overflow(page) -> None:
    """Lines of one column (the same left edge) are at least most of a line apart, and
    all of them on the page: a row too short for its text prints its lines over the
    next row's, or past the page."""
    width, height = size(page)
    by_edge: dict[int, list] = {}
    for run in runs(page):
        assert 0 <= run.x <= width and 0 <= run.y <= height, run
        by_edge.setdefault(round(run.x), []).append(run)
    for column in by_edge.values():
        column.sort(key=lambda run: -run.y)
        for upper, lower in itertools.pairwise(column):
            assert upper.y - lower.y > 0.8 * min(upper.size, lower.size), (upper, lower)


def test_libreoffice_prints_the_task_workbook_whole_with_headers_on_every_page(
    task_workbook, tmp_path
):
    data, tasks = task_workbook

    reader = printed(data, tmp_path)

    header_words = words("TT Lĩnh vực Nhiệm vụ Hoạt động Chủ trì Phối hợp Trạng thái")
    texts = [text for task in tasks for text in (task.name, task.activities, task.coordinators)]
    assert_printed_whole(reader, header_words, texts)


def test_libreoffice_prints_the_ranking_whole_with_headers_on_every_page(
    ranking_workbook, tmp_path
):
    reader = printed(ranking_workbook, tmp_path)

    sheet = sheet_of(ranking_workbook)
    header_words = words(" ".join(cell.value for cell in sheet[2]))
    names = [sheet.cell(row, 3).value for row in range(3, sheet.max_row + 1)]
    assert_printed_whole(reader, header_words, names)


@pytest.mark.parametrize("tasks", [1, TASKS])
def test_the_task_workbook_costs_the_same_queries_for_1_or_40_tasks(
    client, django_assert_max_num_queries, tasks
):
    commune = district_with_commune()[1]
    plan = plan_with_tasks(commune, tasks)
    client.force_login(user_with_role(Role.UNIT, commune))

    with django_assert_max_num_queries(16):
        response = client.get(reverse("remediation:xlsx", args=[plan.pk]))

    assert sheet_of(response.content).max_row == 2 + tasks + 1
