"""The one place that turns numbers into text the Vietnamese way.

Pages, admin, exports read by people, and PDFs all call these: decimal comma,
dot between thousands, no trailing zeros (85,08 · 14,5 · 11 · 1.234,5).
Files read by machines use plain Decimal strings instead. `parse_points` reads
numbers back from what people type: both "9,13" and "9.13".
"""

import re
from decimal import ROUND_HALF_UP, Decimal

POINT_PLACES = 3
PERCENT_PLACES = 2
# As scoring.models.POINTS: eight digits, three of them after the separator.
POINT_DIGITS = 8
MAX_POINTS = Decimal(10**POINT_DIGITS - 1).scaleb(-POINT_PLACES)
DIGITS = re.compile(r"[0-9]+")


class PointsTooLarge(ValueError):
    """A well-formed number beyond what a points column holds."""


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | int | None, places: int = POINT_PLACES) -> str:
    """Round half-up to `places`, then write it with Vietnamese separators."""
    if value is None:
        return ""
    rounded = round_half_up(Decimal(value), places)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def format_points(value: Decimal | int | None) -> str:
    return format_number(value, POINT_PLACES)


def format_percent(value: Decimal | int | None) -> str:
    return format_number(value, PERCENT_PLACES)


def parse_points(text: str | None) -> Decimal | None:
    """Points typed by a person: "9,13", "9.13", " 9,130 ", "1.234,5"; None when blank.

    The last separator is the decimal one when both appear or it appears once;
    a separator repeated alone groups thousands. So "1.234" is 1,234 points, not
    1234, because points carry up to three decimals. Raises ValueError in Vietnamese.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    sign = "-" if raw[0] == "-" else ""
    digits = _plain_digits(raw[1:] if raw[0] in "+-" else raw)
    if digits is None:
        raise ValueError(f"«{raw}» không phải là số.")
    value = Decimal(sign + digits)
    if abs(value) > MAX_POINTS:
        raise PointsTooLarge(f"«{raw}» quá lớn (tối đa {format_points(MAX_POINTS)}).")
    rounded = value.quantize(Decimal(1).scaleb(-POINT_PLACES))
    if rounded != value:
        raise ValueError(f"«{raw}» có quá {POINT_PLACES} chữ số thập phân.")
    return value if value.as_tuple().exponent >= -POINT_PLACES else rounded


def _plain_digits(body: str) -> str | None:
    """'1.234,5' -> '1234.5'; None when the text is not a number written with separators."""
    last = max(body.rfind(","), body.rfind("."))
    if last < 0:
        return body if DIGITS.fullmatch(body) else None
    decimal_mark = body[last]
    thousands_mark = "." if decimal_mark == "," else ","
    if thousands_mark not in body and body.count(decimal_mark) > 1:
        whole, fraction, thousands_mark = body, "", decimal_mark
    else:
        whole, fraction = body[:last], body[last + 1 :]
        if not DIGITS.fullmatch(fraction) or decimal_mark in whole:
            return None
    whole = _ungrouped(whole, thousands_mark) if whole else "0"
    if whole is None:
        return None
    return f"{whole}.{fraction}" if fraction else whole


def _ungrouped(whole: str, mark: str) -> str | None:
    """'1.234.567' -> '1234567' when every group after the first has three digits."""
    first, *groups = whole.split(mark)
    if not DIGITS.fullmatch(first) or (groups and len(first) > 3):
        return None
    if any(len(group) != 3 or not DIGITS.fullmatch(group) for group in groups):
        return None
    return first + "".join(groups)
