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
import itertools
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import openpyxl
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
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

    Written as it goes (openpyxl's write-only mode): `rows` may be a generator reading
    the database in chunks, and only one row is held at a time.
    """
    workbook = openpyxl.Workbook(write_only=True)
    # The Normal style's font is what both programs measure column widths in; left as
    # Calibri, LibreOffice without it measures in a wider font and prints smaller.
    workbook._named_styles["Normal"].font = Font(name=FONT, size=FONT_SIZE)
    sheet = workbook.create_sheet(sheet_name_for(sheet_name))
    writer = _TableWriter(sheet, columns)
    writer.title(title)
    writer.row([column.header for column in columns], bold=True)
    for row in rows:
        writer.row(row, bold=False)
    for row in totals:
        writer.row(row, bold=True)
    print_setup(sheet, columns=len(columns), rows=writer.rows_written)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _TableWriter:
    """Appends styled rows to a write-only sheet: the sheet's look is set before the
    first row (widths, frozen panes), each row's height just before the row."""

    def __init__(self, sheet, columns: Sequence[Column]) -> None:
        self.sheet, self.columns = sheet, columns
        self.rows_written = 0
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = f"A{HEADER_ROW + 1}"
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        # Every cell of a column has one of four styles, each a cell built once and
        # refilled row after row (openpyxl writes a row out before the next comes).
        self._cells: dict[tuple[int, bool, bool], _StyledCell] = {}
        # openpyxl's append tries every value as a plain value first and, failing for a
        # styled cell, copies it: the rows here are styled cells already, in order.
        sheet._values_to_row = _numbered
        self._heights: dict[float, RowDimension] = {}
        # How many characters fill each column, in ordinary text and in bold.
        self._characters = {
            bold: [column.width * per_width for column in columns]
            for bold, per_width in ((False, TEXT_PER_WIDTH), (True, BOLD_PER_WIDTH))
        }

    def title(self, title: str) -> None:
        cell = WriteOnlyCell(self.sheet, title)
        cell.font = Font(name=FONT, size=TITLE_SIZE, bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        total_width = sum(column.width for column in self.columns) * BOLD_PER_WIDTH
        total_width *= FONT_SIZE / TITLE_SIZE
        self.sheet.merged_cells.add(
            f"A{TITLE_ROW}:{get_column_letter(len(self.columns))}{TITLE_ROW}"
        )
        self._append([cell], row_points(wrapped_lines(title, total_width)))

    def row(self, values: Sequence[object], *, bold: bool) -> None:
        cells, lines, widths = [], 1, self._characters[bold]
        padded = itertools.chain(values, itertools.repeat(None))
        for index, (value, characters) in enumerate(zip(padded, widths)):  # noqa: B905
            value = inert_cell(value)
            key = (index, bold, isinstance(value, str))
            cell = self._cells.get(key) or self._styled_cell(key)
            cell.value = value
            cells.append(cell)
            if value is not None:
                lines = max(lines, wrapped_lines(value, characters))
        self._append(cells, row_points(lines))

    def _append(self, cells: list[Cell], height: float) -> None:
        self.rows_written += 1
        number = self.rows_written
        # One row look per height, shared (openpyxl reads only its height and style).
        if height not in self._heights:
            self._heights[height] = RowDimension(self.sheet, ht=height)
        self.sheet.row_dimensions[number] = self._heights[height]
        self.sheet.append(cells)
        # Written out with the row: keeping it would grow with the table.
        del self.sheet.row_dimensions[number]

    def _styled_cell(self, key: tuple[int, bool, bool]) -> "_StyledCell":
        """The cell of a column's style, built the first time the style is written."""
        index, bold, text = key
        # A row and column from the start: openpyxl names the cell in an error.
        cell = _StyledCell(self.sheet, row=1, column=index + 1)
        cell.font = Font(name=FONT, size=FONT_SIZE, bold=bold)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = GRID
        number_format = self.columns[index].number_format
        if number_format and not text:
            cell.number_format = number_format
        cell.style_id = Cell.style_id.fget(cell)
        self._cells[key] = cell
        return cell


class _StyledCell(Cell):
    """A cell styled once, then refilled: its style's number in the workbook, which
    openpyxl would look up again for every value written, is kept."""

    __slots__ = ("style_id",)


def _numbered(cells: list[Cell], row: int) -> list[Cell]:
    for cell in cells:
        cell.row = row
    return cells


def sheet_name_for(name: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    return re.sub(r"[:\\/?*\[\]]", "-", name)[:31]


def print_setup(sheet, *, columns: int, rows: int) -> None:
    """A4 landscape, one page wide, title and header rows on every page (the panes are
    frozen below them and the page fit to its width before the first row is written)."""
    sheet.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{TITLE_ROW}:{HEADER_ROW}"
    sheet.print_area = f"A1:{get_column_letter(columns)}{rows}"
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, footer=0.3)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "Trang &P/&N"


def wrapped_lines(value: object, characters: float) -> int:
    """How many lines `value` takes in a wrapping cell `characters` wide (word by word,
    as the spreadsheet wraps; a word longer than the line is broken)."""
    if value is None or value == "":
        return 1
    width = max(1, int(characters))
    text = str(value)
    if len(text) <= width and "\n" not in text:
        return 1  # most cells (every number): no need to wrap word by word
    lines = text.split("\n")
    return sum(max(1, len(textwrap.wrap(line, width, break_on_hyphens=False))) for line in lines)


def row_points(lines: int) -> float:
    return min(MAX_ROW_POINTS, lines * LINE_POINTS + PADDING_POINTS)
