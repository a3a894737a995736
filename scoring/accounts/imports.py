"""Accounts from an .xlsx or .csv file: all or nothing, every problem by row.

The file is read as every import reads one (`scoring.importing`: size, damaged
workbooks, formulas without results, CSV quotes, control characters); the rows are
then checked as one batch by `services.account_problems`, the same checks the
one-account form makes. The resources of django-import-export are not used: a row
here makes two records and a password, and nothing is ever updated.
"""

from collections import defaultdict
from io import BytesIO
from pathlib import PurePath

import openpyxl
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from tablib import Dataset

from cchc.formatting import format_number
from scoring.access import User, units_in_scope
from scoring.accounts.services import AccountData, NewAccount, account_problems, accounts_create
from scoring.importing import ImportFailed, csv_dataset, xlsx_dataset
from scoring.models import Role, Unit
from scoring.resources.base import control_character_problems, row_message
from scoring.resources.widgets import ChoiceWidget, cell_text

# Column -> the headers it may have in the file (compared without case or extra spaces).
COLUMNS = {
    "unit": ("Mã đơn vị",),
    "full_name": ("Họ và tên", "Họ tên"),
    "email": ("E-mail", "Email", "Thư điện tử"),
    "role": ("Vai trò",),
    "username": ("Tên đăng nhập",),
}
REQUIRED_COLUMNS = ("unit", "full_name", "email")
HEADER = {column: names[0] for column, names in COLUMNS.items()}
# A province's communes with a few accounts each; a larger list is several files.
MAX_ACCOUNTS = 2000


def _header_key(header: object) -> str:
    return " ".join(cell_text(header).casefold().split())


HEADER_COLUMNS = {_header_key(name): column for column, names in COLUMNS.items() for name in names}
ROLE_WIDGET = ChoiceWidget(
    Role, what="vai trò", aliases={"nội vụ": Role.HOME_AFFAIRS}, required=False
)


def accounts_import(
    *, by: User, upload: UploadedFile, request: HttpRequest | None = None
) -> list[NewAccount]:
    """Create the file's accounts, or raise ImportFailed listing every problem."""
    rows = _rows(_read(upload))
    accounts, problems = _parse(by, rows)
    numbers = [number for number, _ in rows]
    checks = account_problems(
        by=by, rows=accounts, row_label=lambda index: f"dòng {numbers[index] + 1}"
    )
    for number, found in zip(numbers, checks, strict=True):
        for column, messages in found.items():
            problems[number] += [row_message(number, HEADER[column], m) for m in messages]
    if any(problems.values()):
        raise ImportFailed([message for number in numbers for message in problems[number]])
    return accounts_create(by=by, rows=accounts, request=request)


def _read(upload: UploadedFile) -> Dataset:
    reader = xlsx_dataset if PurePath(upload.name).suffix.lower() == ".xlsx" else csv_dataset
    upload.seek(0)
    dataset = reader(upload.read(), upload.name)
    control_characters = control_character_problems(dataset)  # named by the file's headers
    problems = _header_problems(dataset) + control_characters
    if problems:
        raise ImportFailed(problems)
    return dataset


def _header_problems(dataset: Dataset) -> list[str]:
    """Unknown, repeated and missing columns; the headers become column keys."""
    keys = [_header_key(header) for header in dataset.headers]
    columns = [HEADER_COLUMNS.get(key) for key in keys]
    problems = []
    unknown = [cell_text(h) for h in dataset.headers if _header_key(h) not in HEADER_COLUMNS]
    unknown = [header for header in unknown if header]
    if unknown:
        problems.append(
            f"Tệp có cột không dùng được: {', '.join(f'«{h}»' for h in unknown)}. Các cột "
            f"dùng được: {', '.join(HEADER.values())}."
        )
    found = [column for column in columns if column]
    problems += [
        f"Cột «{HEADER[column]}» có nhiều lần."
        for column in dict.fromkeys(found)
        if found.count(column) > 1
    ]
    missing = [HEADER[column] for column in REQUIRED_COLUMNS if column not in found]
    if missing:
        problems.append(f"Tệp thiếu cột: {', '.join(missing)}.")
    dataset.headers = [column or f"?{index}" for index, column in enumerate(columns)]
    return problems


def _rows(dataset: Dataset) -> list[tuple[int, dict]]:
    """(data row number from 1, {column: text}) of every row that is not blank."""
    rows = [
        (number, {column: cell_text(value) for column, value in row.items()})
        for number, row in enumerate(dataset.dict, start=1)
    ]
    rows = [(number, row) for number, row in rows if any(row.values())]
    if not rows:
        raise ImportFailed(["Tệp không có dòng dữ liệu nào."])
    if len(rows) > MAX_ACCOUNTS:
        raise ImportFailed(
            [
                f"Tệp có {format_number(len(rows))} tài khoản; mỗi lần nhập tối đa "
                f"{format_number(MAX_ACCOUNTS)}: hãy chia thành nhiều tệp."
            ]
        )
    return rows


def _parse(
    by: User, rows: list[tuple[int, dict]]
) -> tuple[list[AccountData], defaultdict[int, list[str]]]:
    """Each row as an account to check, and the problems of its unit and role cells."""
    codes = {row.get("unit", "") for _, row in rows}
    in_scope = {unit.code: unit for unit in units_in_scope(by).filter(code__in=codes)}
    existing = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    accounts, problems = [], defaultdict(list)
    for number, row in rows:
        code = row.get("unit", "")
        unit = in_scope.get(code)
        if not code:
            problems[number].append(row_message(number, HEADER["unit"], "Không được để trống."))
        elif unit is None and code in existing:
            problems[number].append(
                row_message(
                    number,
                    HEADER["unit"],
                    f"Đơn vị mã «{code}» không thuộc địa bàn bạn quản lý.",
                )
            )
        elif unit is None:
            problems[number].append(
                row_message(number, HEADER["unit"], f"Không có đơn vị mã «{code}».")
            )
        try:
            role = ROLE_WIDGET.clean(row.get("role")) or Role.UNIT
        except ValueError as error:
            problems[number].append(row_message(number, HEADER["role"], str(error)))
            role = None
        accounts.append(
            AccountData(
                unit=unit,
                full_name=row.get("full_name", ""),
                email=row.get("email", ""),
                role=role,
                username=row.get("username", ""),
            )
        )
    return accounts, problems


def sample_workbook(units: list[Unit]) -> bytes:
    """A file to fill in: the headers and two example rows with the user's own units."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tài khoản"
    sheet.append(list(HEADER.values()))
    codes = [unit.code for unit in units] or ["MÃ-ĐƠN-VỊ"]
    sheet.append([codes[0], "Nguyễn Văn An", "an.nv@example.vn", Role.UNIT.label, ""])
    sheet.append([codes[-1], "Trần Thị Bình", "", Role.UNIT.label, "binh.tt"])
    for cell in sheet["A"]:
        cell.number_format = "@"  # codes as text: Excel keeps "01" and "7.10" as typed
    for letter, width in zip("ABCDE", (16, 28, 30, 16, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()
