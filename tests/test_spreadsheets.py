"""cchc.spreadsheets: which cells are made inert, and that the rest is left alone."""

import io
from decimal import Decimal

import openpyxl
import pytest
from tablib import Dataset

from cchc.spreadsheets import (
    POINTS_FORMAT,
    Column,
    inert_cell,
    inert_dataset,
    table_workbook,
    wrapped_lines,
)
from tests.factories import FORMULA_TEXTS


@pytest.mark.parametrize("text", FORMULA_TEXTS)
def test_a_text_that_would_run_as_a_formula_gets_an_apostrophe(text):
    assert inert_cell(text) == f"'{text}"


@pytest.mark.parametrize(
    "value",
    [Decimal("-2.5"), -3, 0, None, "-2.5", "-2,5", "-12", "Thiếu hồ sơ", "1+1", "a=b", ""],
)
def test_numbers_their_text_and_ordinary_text_are_left_alone(value):
    assert inert_cell(value) == value


def test_a_dataset_is_made_inert_in_place_and_keeps_its_headers_and_title():
    dataset = Dataset(["+1+1", Decimal("-1")], headers=["note", "points"], title="Điểm")

    assert inert_dataset(dataset) is dataset
    assert dataset.dict == [{"note": "'+1+1", "points": Decimal("-1")}]
    assert dataset.title == "Điểm"


def test_a_table_workbook_takes_its_rows_from_a_generator_one_at_a_time():
    """Written as it goes: the rows are read once, in order, while the sheet is written,
    and come back with their styles, heights, totals and print setup."""
    read = []

    def rows():
        for number in range(1, 1201):
            read.append(number)
            yield [number, f"Xã thử {number}" + " rất dài" * (number % 3 * 4), Decimal(number) / 4]

    data = table_workbook(
        title="Bảng thử",
        sheet_name="Thử: 1/2",
        columns=[Column("TT", 5), Column("Đơn vị", 12), Column("Điểm", 8, POINTS_FORMAT)],
        rows=rows(),
        totals=[["Tổng", None, Decimal("180150")]],
    )

    assert read == list(range(1, 1201))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Thử- 1-2"
    assert sheet.max_row == 2 + 1200 + 1
    assert [sheet.cell(3, column).value for column in (1, 2, 3)] == [
        1,
        "Xã thử 1 rất dài rất dài rất dài rất dài",
        0.25,
    ]
    assert sheet.cell(3, 3).number_format == POINTS_FORMAT
    assert not sheet.cell(3, 1).font.bold and sheet.cell(1203, 1).font.bold
    assert sheet.cell(1203, 2).border.left.style == "thin"  # an empty cell keeps the grid
    assert sheet.row_dimensions[3].height > sheet.row_dimensions[5].height  # 1 vs 3 lines
    assert wrapped_lines("Xã thử 3", 12) == 1
    assert sheet.print_area == "'Thử- 1-2'!$A$1:$C$1203"


def test_a_column_holding_numbers_and_texts_shows_each_cell_as_its_own():
    """Each style's cell is refilled row after row: nothing of one row reaches the next."""
    data = table_workbook(
        title="Bảng thử",
        sheet_name="Thử",
        columns=[Column("Điểm", 8, POINTS_FORMAT), Column("Ghi chú", 12)],
        rows=[[Decimal("1.5"), "=1+1"], ["không chấm", None], [Decimal(2)]],
        totals=[[Decimal("3.5"), "Tổng"]],
    )

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [[sheet.cell(row, column) for column in (1, 2)] for row in range(3, 7)]
    assert [[cell.value for cell in row] for row in cells] == [
        [1.5, "'=1+1"],
        ["không chấm", None],
        [2, None],
        [3.5, "Tổng"],
    ]
    assert [row[0].number_format for row in cells] == [
        POINTS_FORMAT,
        "General",
        POINTS_FORMAT,
        POINTS_FORMAT,
    ]
    assert [row[0].font.bold for row in cells] == [False, False, False, True]
