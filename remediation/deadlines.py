"""Deadline phrases and budgets as people write them in plans.

A deadline is kept as written; where it names a period, the task is overdue
after the last day of the last period named:

    "Quý II/2022" → 30/06/2022      "Quý II, III/2022" → 30/09/2022
    "01/2022" → 31/01/2022          "Tháng 2 đến tháng 7 năm 2022" → 31/07/2022
    "Năm 2024" → 31/12/2024         "15/3/2024" → 15/03/2024
    "Cả năm", "Quý III" (no year) → in the plan's working year (the year after
                                    the results), so "Cả năm" is 31/12 of it
    "Thường xuyên", "Theo KH của tỉnh", "Khi có quy định mới", anything else → none

Budgets are an amount in triệu đồng ("30", "27 triệu đồng/đơn vị", "1.234,5")
or a basis ("Theo dự toán được cấp"), which has no amount.
"""

import calendar
import re
import unicodedata
from datetime import date
from decimal import Decimal

from cchc.formatting import parse_points

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
QUARTERS = re.compile(
    r"^quý\s*((?:iv|iii|ii|i)(?:\s*(?:,|và|-|–)\s*(?:iv|iii|ii|i))*)"
    r"\s*(?:/\s*(\d{4})|năm\s*(\d{4}))?$"
)
MONTH_YEAR = re.compile(r"^(?:tháng\s*)?(\d{1,2})\s*/\s*(\d{4})$")
MONTH_RANGE = re.compile(
    r"^(?:từ\s*)?tháng\s*\d{1,2}\s*(?:đến|-|–)\s*tháng\s*(\d{1,2})\s*(?:năm|/)\s*(\d{4})$"
)
MONTH_NAMED = re.compile(r"^tháng\s*(\d{1,2})\s*năm\s*(\d{4})$")
FULL_DATE = re.compile(r"^(?:ngày\s*)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})$")
WHOLE_YEAR = re.compile(r"^(?:năm|trong năm|cả năm)\s*(\d{4})$")
THIS_YEAR = {"cả năm", "trong năm", "năm"}
THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")
BUDGET = re.compile(r"^([0-9][0-9.,]*)\s*(?:triệu(?:\s*đồng)?|tr\.?đ?)?\s*(?:/.*)?$")


def normalise(text: str) -> str:
    """NFC, lower case, single spaces, no trailing full stop."""
    folded = unicodedata.normalize("NFC", text or "").lower()
    return re.sub(r"\s+", " ", folded).strip().rstrip(".;").strip()


def due_date(phrase: str, work_year: int) -> date | None:
    """The date after which a task with this deadline is overdue; None for open-ended."""
    text = normalise(phrase)
    if not text:
        return None
    if text in THIS_YEAR:
        return date(work_year, 12, 31)
    for parse in (_quarters, _full_date, _month_year, _whole_year):
        found = parse(text, work_year)
        if found is not None:
            return found
    return None


def _quarters(text: str, work_year: int) -> date | None:
    match = QUARTERS.match(text)
    if not match:
        return None
    last = max(ROMAN[q] for q in re.findall(r"iv|iii|ii|i", match.group(1)))
    year = int(match.group(2) or match.group(3) or work_year)
    return _month_end(year, last * 3)


def _full_date(text: str, work_year: int) -> date | None:
    match = FULL_DATE.match(text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_year(text: str, work_year: int) -> date | None:
    for pattern in (MONTH_YEAR, MONTH_RANGE, MONTH_NAMED):
        match = pattern.match(text)
        if match:
            month, year = int(match.group(1)), int(match.group(2))
            return _month_end(year, month) if 1 <= month <= 12 else None
    return None


def _whole_year(text: str, work_year: int) -> date | None:
    match = WHOLE_YEAR.match(text)
    return date(int(match.group(1)), 12, 31) if match else None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def budget_amount(text: str) -> Decimal | None:
    """Triệu đồng in a budget cell; None when the cell names a basis or is empty."""
    match = BUDGET.match(normalise(text))
    if not match:
        return None
    number = match.group(1)
    if THOUSANDS.fullmatch(number):  # "1.500" triệu is fifteen hundred, not one and a half
        return Decimal(number.replace(".", ""))
    try:
        return parse_points(number)
    except ValueError:
        return None
