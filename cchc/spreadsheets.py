"""Spreadsheet cells that open as text, never as a live formula; printable workbooks.

Every exporter (the export command, the ranking page's download, the admin's
exports, the plan's task workbook) passes its cells through here. A text that
Excel or LibreOffice would read as a formula (`=HYPERLINK(...)`, `+1+1`,
`@SUM(1)`, `-2+3`, or one of those behind a tab or carriage return) gets a
leading apostrophe: it stays readable, and openpyxl, which stores any str
starting with "=" as a formula, stores it as a string. Numbers stay numbers,
and so does the text of a plain number ("-2.5", as the admin's CSV writes it).

`table_workbook` is the one layout of every workbook a person reads and prints (the
task workbook, the ranking download, export_results --format xlsx): a title row, the
headers in words, wrapped cells in rows tall enough for them, A4 landscape.
"""

import io
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from tablib import Dataset

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)*")


def inert_cell(value: object) -> object:
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_STARTS)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return f"'{value}"
    return value


def inert_dataset(dataset: Dataset) -> Dataset:
    """The dataset itself, its cells made inert in place (as import-export's hook expects)."""
    for index, row in enumerate(dataset):
        dataset[index] = [inert_cell(value) for value in row]
    return dataset


# --- Workbooks a clerk opens and prints -----------------------------------------------

POINTS_FORMAT = "0.00"
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "DD/MM/YYYY"
# Times New Roman, as offices print (LibreOffice uses its metric twin Liberation Serif,
# so both programs wrap alike): a line's height, and how many characters of ordinary
# text fill one unit of column width (measured in LibreOffice; bold is wider).
FONT = "Times New Roman"
FONT_SIZE, TITLE_SIZE = 11, 13
LINE_POINTS = 14  # LibreOffice sets Times New Roman 11 12.2 points apart, Excel a little more
PADDING_POINTS = 3
MAX_ROW_POINTS = 409  # Excel's limit
TEXT_PER_WIDTH = 1.05  # LibreOffice fits 1.2; Excel a little fewer
BOLD_PER_WIDTH = 0.95
TITLE_ROW, HEADER_ROW = 1, 2
THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@dataclass(frozen=True)
class Column:
    """One column of a printed table: its header words, width (characters) and, for
    numbers and dates, the format they are shown in."""

    header: str
    width: float
    number_format: str | None = None


def table_workbook(
    *,
    title: str,
    sheet_name: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    totals: Sequence[Sequence[object]] = (),
) -> bytes:
    """A workbook of one table that opens and prints readably in Excel and LibreOffice.

    Row 1 is `title`, bold, merged across the columns; row 2 the headers; then the rows
    (texts made inert, numbers left numbers in their column's format) and the bold
    `totals`. Every cell wraps; each row is as tall as its most wrapped cell. Printed A4
    landscape, fit to the page's width, title and headers repeated on every page.
    """
    workbook = openpyxl.Workbook()
    # The Normal style's font is what both programs measure column widths in; left as
    # Calibri, LibreOffice without it measures in a wider font and prints smaller.
    workbook._named_styles["Normal"].font = Font(name=FONT, size=FONT_SIZE)
    sheet = workbook.active
    sheet.title = sheet_name_for(sheet_name)
    last = get_column_letter(len(columns))
    sheet.append([title])
    sheet.merge_cells(f"A{TITLE_ROW}:{last}{TITLE_ROW}")
    sheet.append([column.header for column in columns])
    for row in rows:
        sheet.append([inert_cell(value) for value in row])
    for row in totals:
        sheet.append([inert_cell(value) for value in row])
    _style(sheet, columns, bold_from=sheet.max_row - len(totals) + 1)
    print_setup(sheet, columns=len(columns))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_name_for(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    return re.sub(r"[:\\/?*\[\]]", "-", name)[:31]


def print_setup(sheet, *, columns: int) -> None:
    """A4 landscape, one page wide, title and header rows on every page, frozen below."""
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(columns)}{sheet.max_row}"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, footer=0.3)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "Trang &P/&N"


def _style(sheet, columns: Sequence[Column], *, bold_from: int) -> None:
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for row in sheet.iter_rows(min_row=HEADER_ROW):
        bold = row[0].row == HEADER_ROW or row[0].row >= bold_from
        font = Font(name=FONT, size=FONT_SIZE, bold=bold)
        lines = 1
        for cell, column in zip(row, columns, strict=False):
            cell.alignment, cell.font, cell.border = wrap, font, GRID
            if column.number_format and not isinstance(cell.value, str):
                cell.number_format = column.number_format
            per_width = BOLD_PER_WIDTH if bold else TEXT_PER_WIDTH
            lines = max(lines, wrapped_lines(cell.value, column.width * per_width))
        sheet.row_dimensions[row[0].row].height = row_points(lines)
    title = sheet.cell(TITLE_ROW, 1)
    title.font = Font(name=FONT, size=TITLE_SIZE, bold=True)
    title.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    total_width = sum(column.width for column in columns) * BOLD_PER_WIDTH
    total_width *= FONT_SIZE / TITLE_SIZE
    sheet.row_dimensions[TITLE_ROW].height = row_points(wrapped_lines(title.value, total_width))


def wrapped_lines(value: object, characters: float) -> int:
    """How many lines `value` takes in a wrapping cell `characters` wide (word by word,
    as the spreadsheet wraps; a word longer than the line is broken)."""
    if value is None or value == "":
        return 1
    width = max(1, int(characters))
    lines = str(value).split("\n")
    return sum(max(1, len(textwrap.wrap(line, width, break_on_hyphens=False))) for line in lines)


def row_points(lines: int) -> float:
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + PADDING_POINTS)
