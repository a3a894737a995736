"""cchc.spreadsheets: which cells are made inert, and that the rest is left alone."""

from decimal import Decimal

import pytest
from tablib import Dataset

from cchc.spreadsheets import inert_cell, inert_dataset
from tests.factories import FORMULA_TEXTS


@pytest.mark.parametrize("text", FORMULA_TEXTS)
def test_a_text_that_would_run_as_a_formula_gets_an_apostrophe(text):
    assert inert_cell(text) == f"'{text}"


@pytest.mark.parametrize(
    "value",
    [Decimal("-2.5"), -3, 0, None, "-2.5", "-2,5", "-12", "Thiếu hồ sơ", "1+1", "a=b", ""],
)
def test_numbers_their_text_and_ordinary_text_are_left_alone(value):
    assert inert_cell(value) == value


def test_a_dataset_is_made_inert_in_place_and_keeps_its_headers_and_title():
    dataset = Dataset(["+1+1", Decimal("-1")], headers=["note", "points"], title="Điểm")

    assert inert_dataset(dataset) is dataset
    assert dataset.dict == [{"note": "'+1+1", "points": Decimal("-1")}]
    assert dataset.title == "Điểm"
