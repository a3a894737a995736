from decimal import Decimal

import pytest

from cchc.formatting import POINT_DIGITS, POINT_PLACES, parse_points
from scoring.models import POINTS


@pytest.mark.parametrize(
    ("text", "points"),
    [
        ("9,13", "9.13"),
        ("9.13", "9.13"),
        (" 9,130 ", "9.13"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("1.234", "1.234"),
        ("0,5", "0.5"),
        ("-0,5", "-0.5"),
        ("+2", "2"),
        ("11", "11"),
        ("9,1300", "9.13"),
        ("99999,999", "99999.999"),
    ],
)
def test_reads_points_written_either_way(text, points):
    value = parse_points(text)

    assert isinstance(value, Decimal)
    assert value == Decimal(points)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_blank_is_no_value(text):
    assert parse_points(text) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "«abc» không phải là số."),
        ("1,2345", "«1,2345» có quá 3 chữ số thập phân."),
        ("0.0001", "«0.0001» có quá 3 chữ số thập phân."),
        ("NaN", "«NaN» không phải là số."),
        ("inf", "«inf» không phải là số."),
        ("-Infinity", "«-Infinity» không phải là số."),
        ("1e3", "«1e3» không phải là số."),
        ("9,13đ", "«9,13đ» không phải là số."),
        ("1 234", "«1 234» không phải là số."),
        ("1.2.3", "«1.2.3» không phải là số."),
        ("5,", "«5,» không phải là số."),
        ("-", "«-» không phải là số."),
        ("100000", "«100000» quá lớn (tối đa 99.999,999)."),
        ("1.234.567", "«1.234.567» quá lớn (tối đa 99.999,999)."),
    ],
)
def test_refuses_what_is_not_points(text, message):
    with pytest.raises(ValueError) as raised:
        parse_points(text)

    assert str(raised.value) == message


def test_limits_match_the_model_fields():
    assert {"max_digits": POINT_DIGITS, "decimal_places": POINT_PLACES} == POINTS
