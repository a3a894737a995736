"""Imports from .csv and .xlsx files: all or nothing, with every error at once.

The import commands and the tests call these; the admin uses the same resources
(`scoring.resources`) through import-export's own preview.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

import openpyxl
from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export.results import Result, RowResult
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHEET_MAIN_NS
from tablib import Dataset

from cchc.formatting import format_number
from scoring.models import Framework
from scoring.resources import (
    CriterionResource,
    ImportResource,
    ScoreResource,
    UnitResource,
    cell_text,
    parse_level,
)
from scoring.resources.base import row_message

WRITE_BATCH = 2000  # scores per upsert statement; Django splits further where a database needs
FORMULA_CELLS_SHOWN = 10
SHEET_DATA_TAG, ROW_TAG, CELL_TAG, FORMULA_TAG, VALUE_TAG = (
    f"{{{SHEET_MAIN_NS}}}{name}" for name in ("sheetData", "row", "c", "f", "v")
)


class ImportFailed(Exception):
    """Nothing was written. `errors` lists every problem found, in Vietnamese."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


class ScoreFileResource(ScoreResource):
    """The commands' path for score files, which run to 100,000 rows nationally.

    Every check is the admin's: the same whole-file `before_import` and the same
    per-row `import_instance`, with the same messages in the same order. What is
    left out is import-export's per-row bookkeeping (results, diffs, instance
    loaders), which the preview needs and a command does not: it took most of the
    time. The scores are then written in one upsert per batch.
    """

    def import_file(self, dataset: Dataset) -> ImportSummary:
        """Import every row or, raising ImportFailed, nothing (call inside a transaction)."""
        errors = []
        try:
            self.before_import(dataset)
        except ValidationError as error:
            if self.file_broken:
                raise ImportFailed(error.messages) from None
            errors = error.messages
        scores = []
        for number, row in self.rows:
            score = self.get_instance(None, row) or self.init_instance(row)
            try:
                self.import_instance(score, row, row_number=number)
            except ValidationError as error:
                errors += [
                    message for messages in error.message_dict.values() for message in messages
                ]
            else:
                if not self.skip_row(score, None, row):
                    scores.append(score)
        if errors:
            raise ImportFailed(errors)
        updated = sum(1 for score in scores if score.pk is not None)
        self.upsert(scores, batch_size=WRITE_BATCH)
        return ImportSummary(created=len(scores) - updated, updated=updated)


def import_criteria(path: str | Path, *, framework: Framework) -> ImportSummary:
    """Add or update the criteria of a framework not yet in use."""
    return run_import(CriterionResource(framework=framework), load_dataset(path))


def import_framework(
    path: str | Path,
    *,
    name: str,
    level: str,
    year_from: int,
    year_to: int | None = None,
    decision: str = "",
) -> tuple[Framework, ImportSummary]:
    """Create a framework and its criteria, together or not at all.

    `level` is a key (`commune`) or a Vietnamese name ("Xã, phường, thị trấn", "xã").
    """
    dataset = load_dataset(path)
    with transaction.atomic():
        framework = _new_framework(
            name=name, level=level, year_from=year_from, year_to=year_to, decision=decision
        )
        summary = run_import(CriterionResource(framework=framework), dataset)
    return framework, summary


def import_units(path: str | Path) -> ImportSummary:
    return run_import(UnitResource(), load_dataset(path))


def import_scores(
    path: str | Path, *, year: int, framework_name: str | None = None
) -> ImportSummary:
    """Scores of `year`; the framework is the named one, else the one for each unit's level."""
    framework = None
    if framework_name:
        framework = Framework.objects.filter(name=framework_name).first()
        if framework is None:
            raise ImportFailed([f"Không có bộ chỉ số tên «{framework_name}»."])
    dataset = load_dataset(path)
    with transaction.atomic():
        return ScoreFileResource(year=year, framework=framework).import_file(dataset)


def run_import(resource: ImportResource, dataset: Dataset) -> ImportSummary:
    """Import inside one transaction that is rolled back unless every row is clean.

    One pass gives what a dry run followed by the real import would, at half the
    cost: every row is read and checked either way, and any error rolls back all.
    """
    with transaction.atomic():
        result = resource.import_data(
            dataset, use_transactions=True, rollback_on_validation_errors=True
        )
        errors = result_errors(result)
        if errors:
            raise ImportFailed(errors)
    return ImportSummary(
        created=result.totals[RowResult.IMPORT_TYPE_NEW],
        updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
    )


def result_errors(result: Result) -> list[str]:
    """Every message of an import result: the file's, then each row's."""
    errors = [message for error in result.base_errors for message in _messages(error.error)]
    errors += [
        message
        for row in result.invalid_rows
        for messages in row.error_dict.values()
        for message in messages
    ]
    errors += [
        f"Dòng {row.number}: {error.error}" for row in result.error_rows for error in row.errors
    ]
    return errors


def _messages(error: Exception) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def load_dataset(path: str | Path) -> Dataset:
    """The first sheet of an .xlsx file, or a UTF-8 .csv (BOM or not, comma or semicolon).

    Rows keep their place, so the row numbers in messages are the spreadsheet's.
    """
    path = Path(path)
    readers = {".csv": csv_dataset, ".xlsx": xlsx_dataset}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise ImportFailed([f"Chỉ nhận tệp .csv hoặc .xlsx, không nhận «{path.name}»."])
    try:
        check_import_size(path.stat().st_size, path.name)
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed([f"Không tìm thấy tệp «{path}»."]) from None
    return reader(data, path.name)


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


def csv_dataset(data: bytes, name: str = "") -> Dataset:
    """A CSV file's bytes as the commands and the admin both read them."""
    check_import_size(len(data), name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(
            [f"Tệp{_quoted(name)} không phải văn bản UTF-8; hãy lưu lại dạng «CSV UTF-8»."]
        ) from None
    header = text.partition("\n")[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    # Strict: otherwise a quote left open swallows the rest of the file into one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    try:
        for row in reader:
            rows.append(row)
            _check_row_count(len(rows))
    except csv.Error as error:
        raise ImportFailed([_csv_message(len(rows) + 1, error)]) from None
    return _dataset(rows)


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


def xlsx_dataset(data: bytes, name: str = "") -> Dataset:
    """The first sheet of an .xlsx file's bytes, as the commands and the admin read it."""
    check_import_size(len(data), name)
    try:
        _check_unpacked_size(data, name)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = _sheet_rows(workbook.active)
        finally:
            workbook.close()
    except ImportFailed:
        raise
    except Exception:
        # openpyxl and the XML parser under it raise whatever a damaged part makes
        # them meet (BadZipFile, KeyError, ParseError, ValueError, TypeError...).
        raise ImportFailed(
            [
                f"Không đọc được tệp Excel{_quoted(name)}: tệp bị hỏng hoặc không phải tệp "
                ".xlsx. Hãy mở tệp bằng Excel, lưu lại dạng «Excel Workbook (.xlsx)» rồi "
                "nhập lại."
            ]
        ) from None
    dataset = _dataset(rows)
    problems = _decimal_codes(dataset)
    if problems:
        raise ImportFailed(problems)
    return dataset


def _check_unpacked_size(data: bytes, name: str) -> None:
    """Refuse a zip bomb by the sizes its members declare. A header that lies about its
    size cannot make more come out: zipfile stops at the declared size, and the CRC
    check `testzip` makes of every member then fails, refusing the file as damaged."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        check_import_size(sum(member.file_size for member in archive.infolist()), name)
        if archive.testzip() is not None:
            raise zipfile.BadZipFile


def _sheet_rows(sheet: ReadOnlyWorksheet) -> list[list]:
    _check_formulas(sheet)
    # Read-only mode stops at the rows the sheet's <dimension> tag declares, and
    # programs other than Excel write that tag wrong: read every row there is.
    sheet.reset_dimensions()
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(list(row))
        _check_row_count(len(rows))
    return rows


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


# Columns holding dotted criterion or unit codes.
CODE_COLUMNS = ("code", "parent_code", "criterion_code", "unit_code")


def _decimal_codes(dataset: Dataset) -> list[str]:
    """Code cells Excel stored as a decimal number. Such a cell has lost what made it
    a code: "7.10" typed into a number cell is kept as 7,1, which is another
    criterion, so the file is refused rather than read as the wrong code."""
    problems = []
    for column in CODE_COLUMNS:
        if column not in dataset.headers:
            continue
        for number, value in enumerate(dataset.get_col(dataset.headers.index(column)), 1):
            if isinstance(value, float) and not value.is_integer():
                problems.append(
                    row_message(
                        number,
                        column,
                        f"Excel lưu mã «{cell_text(value)}» dưới dạng số nên có thể đã bỏ "
                        "số 0 ở cuối (7.10 thành 7.1). Hãy định dạng cột mã là Văn bản "
                        "(Text), gõ lại mã rồi nhập lại tệp.",
                    )
                )
    return problems


def _quoted(name: str) -> str:
    return f" «{name}»" if name else ""


def _dataset(rows: list[list]) -> Dataset:
    while rows and not any(cell_text(value) for value in rows[-1]):
        rows.pop()
    if not rows:
        raise ImportFailed(["Tệp trống."])
    # Cells beyond the header keep their place under a blank header, which the
    # resource refuses if they hold anything.
    width = max(len(row) for row in rows)
    header, *data = ([*row, *[None] * (width - len(row))] for row in rows)
    return Dataset(*data, headers=[cell_text(value) for value in header])


def _new_framework(
    *, name: str, level: str, year_from: int, year_to: int | None, decision: str
) -> Framework:
    if Framework.objects.filter(name=name).exists():
        raise ImportFailed([f"Đã có bộ chỉ số tên «{name}»; phiên bản mới cần tên mới."])
    try:
        framework = Framework(
            name=name,
            level=parse_level(level),
            year_from=year_from,
            year_to=year_to,
            decision=decision,
        )
        framework.full_clean()
    except ValueError as error:
        raise ImportFailed([f"Cấp áp dụng: {error}"]) from None
    except ValidationError as error:
        raise ImportFailed(_field_messages(error)) from None
    framework.save()
    return framework


def _field_messages(error: ValidationError) -> list[str]:
    return [
        message
        if field == NON_FIELD_ERRORS
        else f"{Framework._meta.get_field(field).verbose_name}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]
