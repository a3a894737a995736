from decimal import Decimal

import pytest
from django.template import engines

from cchc.formatting import format_percent, format_points, round_half_up


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("85.08"), "85,08"),
        (Decimal("14.50"), "14,5"),
        (Decimal("11.000"), "11"),
        (Decimal("1234.5"), "1.234,5"),
        (Decimal("1234567.125"), "1.234.567,125"),
        (Decimal("-0.5"), "-0,5"),
        (Decimal("0"), "0"),
        (Decimal("0.000"), "0"),
        (Decimal("100"), "100"),
        (Decimal("9.13"), "9,13"),
        (7, "7"),
        (None, ""),
    ],
)
def test_points_are_written_the_vietnamese_way(value, text):
    assert format_points(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("84.305"), "84,31"),
        (Decimal("84.315"), "84,32"),
        (Decimal("84.3049"), "84,3"),
        (Decimal("-84.305"), "-84,31"),
        (Decimal("100.00"), "100"),
        (Decimal("85.08"), "85,08"),
        (None, ""),
    ],
)
def test_percents_round_half_up_to_two_places(value, text):
    assert format_percent(value) == text


def test_points_round_half_up_to_three_places():
    assert format_points(Decimal("0.0005")) == "0,001"
    assert format_points(Decimal("2.0004")) == "2"


def test_round_half_up_does_not_round_to_even():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("0.135"), 2) == Decimal("0.14")


def test_points_and_percent_filters_are_builtin_in_templates():
    template = engines["django"].from_string("{{ score|points }} điểm, đạt {{ index|percent }}%")

    text = template.render({"score": Decimal("85.080"), "index": Decimal("84.305")})

    assert text == "85,08 điểm, đạt 84,31%"


def test_filters_render_nothing_for_a_missing_number():
    template = engines["django"].from_string("[{{ missing|points }}][{{ missing|percent }}]")

    assert template.render({"missing": None}) == "[][]"
