"""Reading .csv and .xlsx files row by row, as the commands and the admin both read them.

A file is never held whole: its rows come one at a time (the csv module over the
decoded stream, openpyxl's read-only sheet), so the streaming score import keeps
its memory flat in the size of the file. The admin, whose files are size-limited,
makes a tablib Dataset of the same rows (`csv_dataset`, `xlsx_dataset`).
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import IO
from xml.etree.ElementTree import Element

import openpyxl
from defusedxml import ElementTree
from django.conf import settings
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHEET_MAIN_NS
from tablib import Dataset

from cchc.formatting import format_number
from scoring.resources.base import row_message
from scoring.resources.widgets import cell_text

FORMULA_CELLS_SHOWN = 10
SHEET_DATA_TAG, ROW_TAG, CELL_TAG, FORMULA_TAG, VALUE_TAG = (
    f"{{{SHEET_MAIN_NS}}}{name}" for name in ("sheetData", "row", "c", "f", "v")
)
# Columns holding dotted criterion or unit codes.
CODE_COLUMNS = ("code", "parent_code", "criterion_code", "unit_code")
MAX_ERRORS = 1000  # errors told of one file; the rest are counted
Rows = Iterator[list]  # the header row first, then the data rows, as lists of cells


class ImportFailed(Exception):
    """Nothing was written. `errors` lists every problem found, in Vietnamese, or the
    first of them and then how many more (`hidden`); `total` counts them all."""

    def __init__(self, errors: list[str], *, hidden: int = 0) -> None:
        more = [f"… và {format_number(hidden)} lỗi khác."] if hidden else []
        super().__init__("\n".join(errors + more))
        self.errors = errors + more
        self.total = len(errors) + hidden


def import_limit() -> int:
    """The most bytes an import file may hold, unpacked: IMPORT_MAX_MB."""
    return settings.IMPORT_MAX_MB * 1024 * 1024


def check_import_size(size: int, name: str = "") -> None:
    """ImportFailed if a file (or an .xlsx unpacked) is over IMPORT_MAX_MB."""
    if size > import_limit():
        raise ImportFailed(
            [
                f"Tệp{_quoted(name)} lớn hơn {settings.IMPORT_MAX_MB} MB (kể cả khi giải nén), "
                "không nhập được: hãy chia thành nhiều tệp nhỏ hơn."
            ]
        )


class SheetRows:
    """The rows of a file, one at a time. Iterating raises ImportFailed for what
    stops the reading (a quote left open, text not UTF-8, too many rows); the
    problems of cells that are read but refused (codes Excel stored as decimal
    numbers) are told by `failure` once the rows are read, and refuse the file whole."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.code_cells = DecimalCodes()

    def failure(self) -> ImportFailed | None:
        """What refuses the file, once its rows are read; None if nothing does."""
        found = self.code_cells
        return ImportFailed(found.shown(), hidden=found.hidden()) if found.count else None

    def __iter__(self) -> Rows:
        for count, row in enumerate(self.rows, start=1):
            _check_row_count(count)
            if count == 1:
                self.code_cells.start([cell_text(value) for value in row])
            else:
                self.code_cells.add(count - 1, row)
            yield row


@contextmanager
def open_rows(path: str | Path) -> Iterator[SheetRows]:
    """The first sheet of an .xlsx file, or a UTF-8 .csv (BOM or not, comma or semicolon).

    Rows keep their place, so the row numbers in messages are the spreadsheet's.
    """
    path = Path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise ImportFailed([f"Chỉ nhận tệp .csv hoặc .xlsx, không nhận «{path.name}»."])
    try:
        check_import_size(path.stat().st_size, path.name)
        handle = path.open("rb")
    except FileNotFoundError:
        raise ImportFailed([f"Không tìm thấy tệp «{path}»."]) from None
    with handle:
        if path.suffix.lower() == ".csv":
            yield SheetRows(csv_rows(handle, path.name))
        else:
            with xlsx_sheet(handle, path.name) as sheet:
                yield SheetRows(sheet_rows(sheet, path.name))


def csv_rows(handle: IO[bytes], name: str = "") -> Rows:
    """A CSV file's rows, decoded as they are read."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="strict", newline="")
    number = 0
    try:
        header = text.readline()
        delimiter = ";" if header.count(";") > header.count(",") else ","
        # Strict: otherwise a quote left open swallows the rest of the file into one cell.
        reader = csv.reader(chain([header], text), delimiter=delimiter, strict=True)
        for number, row in enumerate(reader, start=1):  # noqa: B007 (read after the loop)
            yield row
    except UnicodeDecodeError:
        raise ImportFailed(
            [f"Tệp{_quoted(name)} không phải văn bản UTF-8; hãy lưu lại dạng «CSV UTF-8»."]
        ) from None
    except csv.Error as error:
        raise ImportFailed([_csv_message(number + 1, error)]) from None
    finally:
        if not handle.closed:
            text.detach()  # the caller closes the file


def _csv_message(number: int, error: csv.Error) -> str:
    if "end of data" in str(error):
        problem = 'có dấu ngoặc kép (") mở mà không đóng, nên phần còn lại của tệp sẽ dồn vào một ô'
    else:
        problem = 'có dấu ngoặc kép (") đặt sai chỗ trong một ô'
    return f"Dòng {number}: {problem}. Hãy sửa dòng này rồi nhập lại."


def _check_row_count(count: int) -> None:
    if count > settings.IMPORT_MAX_ROWS + 1:  # the header is not a data row
        raise ImportFailed(
            [
                f"Tệp có hơn {format_number(settings.IMPORT_MAX_ROWS)} dòng dữ liệu, "
                "không nhập được: hãy chia thành nhiều tệp nhỏ hơn."
            ]
        )


def _broken_workbook(name: str) -> ImportFailed:
    return ImportFailed(
        [
            f"Không đọc được tệp Excel{_quoted(name)}: tệp bị hỏng hoặc không phải tệp "
            ".xlsx. Hãy mở tệp bằng Excel, lưu lại dạng «Excel Workbook (.xlsx)» rồi "
            "nhập lại."
        ]
    )


@contextmanager
def xlsx_sheet(handle: IO[bytes], name: str = "") -> Iterator[ReadOnlyWorksheet]:
    """The first sheet of a workbook, read-only, once its size and formulas are checked."""
    try:
        _check_unpacked_size(handle, name)
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except ImportFailed:
        raise
    except Exception:
        # openpyxl and the XML parser under it raise whatever a damaged part makes
        # them meet (BadZipFile, KeyError, ParseError, ValueError, TypeError...).
        raise _broken_workbook(name) from None
    try:
        yield workbook.active
    finally:
        workbook.close()


def sheet_rows(sheet: ReadOnlyWorksheet, name: str = "") -> Rows:
    try:
        _check_formulas(sheet)
        # Read-only mode stops at the rows the sheet's <dimension> tag declares, and
        # programs other than Excel write that tag wrong: read every row there is.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    except ImportFailed:
        raise
    except Exception:
        raise _broken_workbook(name) from None


def _check_unpacked_size(handle: IO[bytes], name: str) -> None:
    """Refuse a zip bomb by the sizes its members declare. A header that lies about its
    size cannot make more come out: zipfile stops at the declared size, and the CRC
    check `testzip` makes of every member then fails, refusing the file as damaged."""
    with zipfile.ZipFile(handle) as archive:
        check_import_size(sum(member.file_size for member in archive.infolist()), name)
        if archive.testzip() is not None:
            raise zipfile.BadZipFile
    handle.seek(0)


def _check_formulas(sheet: ReadOnlyWorksheet) -> None:
    """Refuse formula cells saved without their result, which openpyxl reads as empty.

    Excel stores each formula's last result beside it; a file written by a program
    (openpyxl among them) stores only the formula, so its value is unknown here.
    """
    cells = []
    # The sheet's own XML: openpyxl's read-only parser keeps either the formula or
    # the stored result of a cell, never both. (`_get_source` opens that XML.)
    with sheet._get_source() as source:
        for event, element in ElementTree.iterparse(source, events=("start", "end")):
            if event == "start":
                if element.tag == SHEET_DATA_TAG:
                    sheet_data = element
            elif element.tag == CELL_TAG:
                if element.find(FORMULA_TAG) is not None and not _has_result(element):
                    cells.append(element.get("r") or "?")
            elif element.tag == ROW_TAG:
                sheet_data.clear()  # keep one row in memory, not the whole sheet
    if cells:
        shown = ", ".join(cells[:FORMULA_CELLS_SHOWN])
        hidden = len(cells) - FORMULA_CELLS_SHOWN
        more = f" (cùng {hidden} ô khác)" if hidden > 0 else ""
        raise ImportFailed(
            [
                f"Ô {shown}{more} có công thức nhưng tệp không lưu kết quả đã tính, nên "
                "không đọc được giá trị. Hãy mở tệp bằng Excel rồi lưu lại, hoặc sao chép "
                "và dán dạng giá trị (Paste Special > Values), rồi nhập lại."
            ]
        )


def _has_result(cell: Element) -> bool:
    # A formula whose result is the empty string is stored as t="str" with an empty <v>.
    value = cell.find(VALUE_TAG)
    return value is not None and (bool(value.text) or cell.get("t") == "str")


class DecimalCodes:
    """Code cells Excel stored as a decimal number. Such a cell has lost what made it
    a code: "7.10" typed into a number cell is kept as 7,1, which is another
    criterion, so the file is refused rather than read as the wrong code. Told
    column by column; the first MAX_ERRORS of them are kept."""

    def __init__(self) -> None:
        self.columns: dict[int, str] = {}  # cell index -> code column
        self.found: dict[str, list[str]] = {}
        self.count = 0

    def start(self, headers: list[str]) -> None:
        self.found = {column: [] for column in CODE_COLUMNS if column in headers}
        self.columns = {headers.index(column): column for column in self.found}

    def add(self, number: int, row: list) -> None:
        for index, column in self.columns.items():
            value = row[index] if index < len(row) else None
            if isinstance(value, float) and not value.is_integer():
                self.count += 1
                if self.count <= MAX_ERRORS:
                    self.found[column].append(self.message(number, column, value))

    @staticmethod
    def message(number: int, column: str, value: float) -> str:
        return row_message(
            number,
            column,
            f"Excel lưu mã «{cell_text(value)}» dưới dạng số nên có thể đã bỏ "
            "số 0 ở cuối (7.10 thành 7.1). Hãy định dạng cột mã là Văn bản "
            "(Text), gõ lại mã rồi nhập lại tệp.",
        )

    def shown(self) -> list[str]:
        return [message for messages in self.found.values() for message in messages]

    def hidden(self) -> int:
        return self.count - min(self.count, MAX_ERRORS)


def csv_dataset(data: bytes, name: str = "") -> Dataset:
    """A CSV file's bytes as the commands and the admin both read them."""
    check_import_size(len(data), name)
    return dataset_of(SheetRows(csv_rows(io.BytesIO(data), name)))


def xlsx_dataset(data: bytes, name: str = "") -> Dataset:
    """The first sheet of an .xlsx file's bytes, as the commands and the admin read it."""
    check_import_size(len(data), name)
    with xlsx_sheet(io.BytesIO(data), name) as sheet:
        return dataset_of(SheetRows(sheet_rows(sheet, name)))


def dataset_of(rows: SheetRows) -> Dataset:
    """Every row at once, for the admin's preview and the imports other than scores."""
    cells = list(rows)
    while cells and not any(cell_text(value) for value in cells[-1]):
        cells.pop()
    if not cells:
        raise ImportFailed(["Tệp trống."])
    failure = rows.failure()
    if failure:
        raise failure
    # Cells beyond the header keep their place under a blank header, which the
    # resource refuses if they hold anything.
    width = max(len(row) for row in cells)
    header, *data = ([*row, *[None] * (width - len(row))] for row in cells)
    return Dataset(*data, headers=[cell_text(value) for value in header])


def _quoted(name: str) -> str:
    return f" «{name}»" if name else ""
