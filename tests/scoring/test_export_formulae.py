"""No export gives a spreadsheet a live formula: the export command (group table and
--unit, CSV and xlsx), the ranking page's Excel download and the admin's exports."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from scoring.models import Role, Score
from tests.factories import (
    FORMULA_TEXTS,
    AssessmentFactory,
    RankingGroupFactory,
    UnitFactory,
    build_framework,
    score_assessment,
    update_scores,
    user_with_role,
)

pytestmark = pytest.mark.django_db

TREE = [(str(n), None, "10") for n in range(1, len(FORMULA_TEXTS) + 1)]
INERT = [f"'{text}" for text in FORMULA_TEXTS]
# An XML reader, Excel as openpyxl without lxml, reads a carriage return in a cell as a line
# feed; with lxml openpyxl keeps it. `xlsx_cells` folds it, so both read the same.
INERT_XLSX = [text.replace("\r", "\n") for text in INERT]
CSV_FORMAT, XLSX_FORMAT = "0", "1"
# The workbook's header words for the CSV's machine headers.
XLSX_HEADERS = {
    "unit_name": "Đơn vị",
    "score_change": "Thay đổi điểm",
    "note": "Ghi chú",
    "deducted": "Điểm bị trừ",
    "self_score": "Điểm tự chấm",
}


@pytest.fixture
def hostile_group():
    """One unit per hostile text, in its name and in the notes of its 2023 scores; each
    unit loses 2 points against 2022, so the score change is a negative number."""
    framework = build_framework(TREE)
    group = RankingGroupFactory(name="Khối xã")
    for index, text in enumerate(FORMULA_TEXTS):
        unit = UnitFactory(code=f"X{index}", name=text, ranking_group=group)
        full = {code: "10" for code, _, _ in TREE}
        score_assessment(AssessmentFactory(unit=unit, framework=framework, year=2022), full)
        lower = {**full, "1": "8"}
        score_assessment(
            AssessmentFactory(unit=unit, framework=framework, year=2023), lower, note=text
        )
    return group


def export(tmp_path, file_format: str, **options) -> list[list]:
    """The command's output as rows of cells; xlsx cells checked to be no formula."""
    if file_format == "csv":
        out = io.StringIO()
        call_command("export_results", stdout=out, year=2023, **options)
        return list(csv.reader(io.StringIO(out.getvalue().removeprefix("\ufeff"))))
    path = tmp_path / "out.xlsx"
    call_command("export_results", year=2023, format="xlsx", output=str(path), **options)
    return titled(xlsx_cells(path.read_bytes()))


def xlsx_cells(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = []
    for row in sheet.iter_rows():
        assert [cell.coordinate for cell in row if cell.data_type == "f"] == []
        rows.append([folded(cell.value) for cell in row])
    return rows


def folded(value: object) -> object:
    return value.replace("\r", "\n") if isinstance(value, str) else value


def titled(rows: list[list]) -> list[list]:
    """A printable workbook's rows after its title row (checked to name the year)."""
    title, *table = rows
    assert "năm 2023" in title[0]
    return table


def column(rows: list[list], name: str, file_format: str = "csv") -> list:
    header, *data = rows
    if file_format == "xlsx":
        name = XLSX_HEADERS[name]
    return [row[header.index(name)] for row in data]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_group_table_gives_hostile_names_as_text(hostile_group, tmp_path, file_format):
    rows = export(tmp_path, file_format, group="Khối xã")

    inert = INERT if file_format == "csv" else INERT_XLSX
    assert sorted(column(rows, "unit_name", file_format)) == sorted(inert)
    changes = column(rows, "score_change", file_format)
    if file_format == "csv":
        assert changes == ["-2"] * len(FORMULA_TEXTS)
    else:
        assert changes == [-2] * len(FORMULA_TEXTS)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_unit_breakdown_gives_hostile_notes_as_text(hostile_group, tmp_path, file_format):
    rows = export(tmp_path, file_format, unit="X0")

    assert column(rows, "note", file_format) == [f"'{FORMULA_TEXTS[0]}"] * len(TREE)
    deducted = column(rows, "deducted", file_format)[0]
    assert deducted == ("2" if file_format == "csv" else 2)


def test_every_hostile_note_of_a_unit_is_inert_in_its_breakdown(tmp_path):
    framework = build_framework(TREE)
    assessment = AssessmentFactory(framework=framework, year=2023)
    score_assessment(assessment, {code: "-1" for code, _, _ in TREE})
    for score, text in zip(Score.objects.order_by("criterion__order"), FORMULA_TEXTS, strict=True):
        score.note = text
        score.save()

    rows = export(tmp_path, "xlsx", unit=assessment.unit.code)

    assert column(rows, "note", "xlsx") == INERT_XLSX
    assert column(rows, "self_score", "xlsx") == [-1] * len(TREE)


def test_the_ranking_page_download_gives_hostile_names_as_text(client, hostile_group):
    client.force_login(user_with_role(Role.ADMIN))

    response = client.get("/xep-hang/", {"khoi": hostile_group.pk, "nam": 2023, "tai": "xlsx"})

    rows = titled(xlsx_cells(response.content))
    assert sorted(column(rows, "Đơn vị")) == sorted(INERT_XLSX)
    assert column(rows, "Thay đổi điểm") == [-2] * len(FORMULA_TEXTS)
    assert column(rows, "Tổng điểm") == [58] * len(FORMULA_TEXTS)


def admin_export(admin_client, model: str, file_format: str) -> list[list]:
    url = reverse(f"admin:scoring_{model}_export")
    response = admin_client.post(url, {"format": file_format, "resource": "0"})
    assert response.status_code == 200
    if file_format == XLSX_FORMAT:
        return xlsx_cells(response.content)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_admin_csv_export_gives_hostile_notes_as_text(admin_client, hostile_group):
    update_scores(Score.objects.filter(criterion__code="2"), self_score=Decimal("-1.5"))

    rows = admin_export(admin_client, "score", CSV_FORMAT)

    assert sorted(set(column(rows, "note"))) == sorted(["", *INERT])
    # The admin writes points as localised text; a negative one stays a number.
    assert set(column(rows, "self_score")) == {"10,000", "8,000", "-1,500"}


def test_the_admin_xlsx_export_gives_hostile_text_as_text_and_numbers_as_numbers(
    admin_client, hostile_group
):
    update_scores(Score.objects.filter(criterion__code="2"), self_score=Decimal("-1.5"))

    scores = admin_export(admin_client, "score", XLSX_FORMAT)
    units = admin_export(admin_client, "unit", XLSX_FORMAT)

    assert sorted(set(column(scores, "note")) - {None}) == sorted(INERT_XLSX)
    assert set(column(scores, "self_score")) == {10, 8, -1.5}
    assert sorted(column(units, "name")) == sorted(INERT_XLSX)
