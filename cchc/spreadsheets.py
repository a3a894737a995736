"""Cells that a spreadsheet opens as text, never as a live formula.

Every exporter (the export command, the ranking page's download, the admin's
exports, the plan's task workbook) passes its cells through here. A text that
Excel or LibreOffice would read as a formula (`=HYPERLINK(...)`, `+1+1`,
`@SUM(1)`, `-2+3`, or one of those behind a tab or carriage return) gets a
leading apostrophe: it stays readable, and openpyxl, which stores any str
starting with "=" as a formula, stores it as a string. Numbers stay numbers,
and so does the text of a plain number ("-2.5", as the admin's CSV writes it).
"""

import re

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
