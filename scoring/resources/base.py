"""What the import resources share: whole-file checks first, then row checks,
every message naming its row and column."""

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from django.core.exceptions import ValidationError
from django.db.models import Model
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Error, Result

from cchc.text import CONTROL_CHARACTER, control_character_problem
from scoring.resources.widgets import cell_text

Row = dict  # column -> cell, as import-export hands a row over
NumberedRows = list[tuple[int, Row]]  # (data row number, 1-based, as import-export counts)
SHOWN_ROWS = 5  # rows named in a message about a whole column
SHOWN_CELLS = 20  # cells named when a file is full of control characters (UTF-16, binary)
NO_DATA_ROWS = "Tệp không có dòng dữ liệu nào."


def row_message(number: int, column: str, message: str) -> str:
    """`number` counts data rows from 1, so the spreadsheet row is one more."""
    return f"Dòng {number + 1}, cột {column}: {message}"


class ControlCharacters:
    """Cells holding a NUL or another control character, by row and column, fed one row
    at a time: such a file is refused whole, before any of its text reaches the
    database (PostgreSQL refuses NUL). The first SHOWN_CELLS are named."""

    def __init__(self, headers: list) -> None:
        self.headers = headers
        self.shown: list[str] = []
        self.count = 0
        for index, header in enumerate(headers, start=1):
            if isinstance(header, str) and (problem := control_character_problem(header)):
                self.found(f"Dòng 1, cột thứ {index}: {problem}")

    def add(self, number: int, values: Sequence) -> None:
        """A data row, `number` counted from 1 as import-export does."""
        if not CONTROL_CHARACTER.search("".join(v for v in values if isinstance(v, str))):
            return
        for index, value in enumerate(values, start=1):
            if isinstance(value, str) and (problem := control_character_problem(value)):
                name = self.headers[index - 1] if index <= len(self.headers) else ""
                self.found(row_message(number, name or f"thứ {index}", problem))

    def found(self, message: str) -> None:
        self.count += 1
        if len(self.shown) < SHOWN_CELLS:
            self.shown.append(message)

    def problems(self) -> list[str]:
        hidden = self.count - len(self.shown)
        return [*self.shown, f"Còn {hidden} ô khác như vậy."] if hidden else self.shown


def control_character_problems(dataset) -> list[str]:
    """A whole dataset's control characters, for imports read whole (the accounts')."""
    found = ControlCharacters(list(dataset.headers or []))
    for number, row in enumerate(dataset, start=1):
        found.add(number, row)
    return found.problems()


class FileScan:
    """The checks of a whole file, fed one row at a time so that a file need not be
    held to be checked: its header (from the resource), cells under no header, and
    control characters. A file with any of these problems is refused whole, with
    these messages only."""

    def __init__(self, resource: "ImportResource", headers: list[str]) -> None:
        self.headers = headers
        self.first = resource.setting_problems() + resource.header_problems(headers)
        self.nameless = [index for index, header in enumerate(headers) if not header]
        self.filled: dict[int, list[int]] = {}  # nameless column -> rows with data, a few
        self.control = ControlCharacters(headers)

    @property
    def broken(self) -> bool:
        return bool(self.first or self.filled or self.control.count)

    def add(self, number: int, values: Sequence) -> None:
        """A data row, `number` counted from 1 as import-export does."""
        for index in [*self.nameless, *range(len(self.headers), len(values))]:
            if index < len(values) and cell_text(values[index]):
                rows = self.filled.setdefault(index + 1, [])
                if len(rows) <= SHOWN_ROWS:
                    rows.append(number + 1)
        self.control.add(number, values)

    def problems(self) -> list[str]:
        nameless = [
            f"Cột thứ {index} không có tên ở dòng 1 nhưng có dữ liệu (dòng {_some(rows)})."
            for index, rows in sorted(self.filled.items())
        ]
        return self.first + nameless + self.control.problems()


def _some(numbers: list[int]) -> str:
    more = "…" if len(numbers) > SHOWN_ROWS else ""
    return f"{', '.join(map(str, numbers[:SHOWN_ROWS]))}{more}"


def is_blank(row: Row) -> bool:
    return not any(cell_text(value) for value in row.values())


def value_field(name: str, widget: widgets.Widget, **options) -> Field:
    """A column read into the model attribute of the same name."""
    return Field(attribute=name, column_name=name, widget=widget, **options)


def code_field(name: str, path: str) -> Field:
    """A column holding another row's code: exported from `path`, imported by the resource."""
    return Field(attribute=path, column_name=name, readonly=True)


class FileProblem(Error):
    """A problem of the whole file, told in Vietnamese. No traceback: the admin would
    show a clerk the server's code under the message."""

    traceback = ""


class SpreadsheetResult(Result):
    """Row numbers as a spreadsheet shows them (the header is row 1), as the messages
    give them, so the admin preview's row column and its messages agree; the file's
    problems one message each."""

    def append_base_error(self, error: Error) -> None:
        if not isinstance(error.error, ValidationError):
            super().append_base_error(error)
            return
        for message in error.error.messages:
            super().append_base_error(FileProblem(message))

    def append_invalid_row(self, number, row, validation_error) -> None:
        super().append_invalid_row(number + 1, row, validation_error)

    def append_error_row(self, number, row, errors) -> None:
        super().append_error_row(number + 1, row, errors)


class ImportResource(resources.ModelResource):
    """The checks and messages the three resources share."""

    @classmethod
    def get_result_class(cls) -> type[Result]:
        return SpreadsheetResult

    required_columns: tuple[str, ...] = ()

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.import_fields = super().get_import_fields()
        self.columns = [field.column_name for field in self.import_fields]
        self.file_broken = False
        self.row_problems: defaultdict[int, defaultdict[str, list[str]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def get_import_fields(self) -> list[Field]:
        # Asked for on every row; the fields do not change during an import.
        return self.import_fields

    def setting_problems(self) -> list[str]:
        """What the import needs besides the file (a framework, a year)."""
        return []

    def prepare(self, rows: NumberedRows, headers: list[str]) -> list[str]:
        """Whole-file checks and lookups; returns problems that belong to no row."""
        raise NotImplementedError

    def check_row(self, instance: Model, row: Row, failed: set[str]) -> Iterator[tuple[str, str]]:
        """(column, message) for a row whose fields are read; `failed` columns did not parse."""
        yield from ()

    def add_problem(self, number: int, column: str, message: str) -> None:
        self.row_problems[number][column].append(message)

    def before_import(self, dataset, **kwargs) -> None:
        dataset.headers = [cell_text(header).casefold() for header in dataset.headers or []]
        scan = FileScan(self, dataset.headers)
        for number, row in enumerate(dataset, start=1):
            scan.add(number, row)
        problems = scan.problems()
        rows = [] if problems else self.data_rows(dataset)
        if not problems and not rows:
            problems = [NO_DATA_ROWS]
        if problems:
            self.file_broken = True
            raise ValidationError(problems)
        problems = self.prepare(rows, dataset.headers)
        if problems:
            raise ValidationError(problems)

    def header_problems(self, headers: list[str]) -> list[str]:
        """The header's own problems; columns without a name are told by FileScan."""
        named = [header for header in headers if header]
        problems = [
            f"Cột «{header}» có nhiều lần."
            for header in dict.fromkeys(named)
            if named.count(header) > 1
        ]
        unknown = [header for header in dict.fromkeys(named) if header not in self.columns]
        if unknown:
            problems.append(
                f"Tệp có cột không dùng được: {', '.join(f'«{h}»' for h in unknown)}. "
                f"Các cột dùng được: {', '.join(self.columns)}."
            )
        missing = [name for name in self.required_columns if name not in named]
        if missing:
            problems.append(f"Tệp thiếu cột: {', '.join(missing)}.")
        return problems

    @staticmethod
    def data_rows(dataset) -> NumberedRows:
        return [
            (number, row) for number, row in enumerate(dataset.dict, start=1) if not is_blank(row)
        ]

    def first_rows(
        self, rows: NumberedRows, key_of: Callable[[Row], tuple], column: str, label: str
    ) -> dict[tuple, tuple[int, Row]]:
        """The first row of each key; later rows with the same key are duplicates."""
        first: dict[tuple, tuple[int, Row]] = {}
        for number, row in rows:
            key = key_of(row)
            if not all(key):
                continue
            if key in first:
                earlier = first[key][0] + 1
                self.add_problem(number, column, f"{label.format(*key)} trùng với dòng {earlier}.")
            else:
                first[key] = (number, row)
        return first

    def import_instance(self, instance: Model, row: Row, **kwargs) -> None:
        number = kwargs["row_number"]
        found = self.row_problems.get(number, {})  # get: no entry made for each clean row
        problems = defaultdict(list, {k: list(v) for k, v in found.items()})
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                problems[name] += messages
        if not self.file_broken:
            for name, message in self.check_row(instance, row, set(problems)):
                problems[name].append(message)
        if problems:
            raise ValidationError(
                {
                    name: [row_message(number, name, message) for message in problems[name]]
                    for name in sorted(problems, key=self.columns.index)
                }
            )

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        # Rows of a file whose columns are wrong are not read; blank rows are spacing.
        if self.file_broken or is_blank(row):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)
