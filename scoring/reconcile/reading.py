"""Reading a published results table: which column is which, and its numbers.

Headers are recognised in Vietnamese or English, accents and case ignored ("Mã đơn
vị", "TONG DIEM", "Chỉ số (%)", the export's own "unit_code"/"field_3"), on the
first row that names at least two known columns (an exported workbook has a title
row above its headers). Numbers are read as Vietnamese write them ("85,08",
"1.234,5", "85.08") by `cchc.formatting.parse_points`; a rank may be "3/23".

A table is either a ranking (one row per unit) or a unit's detailed table (one row
per field or criterion: "TT", "Nội dung", "Điểm tối đa", "Điểm đạt", "Điểm bị trừ").
A cell that cannot be read is a difference of its own, so nothing is skipped silently.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from cchc.formatting import parse_points
from cchc.search import fold
from scoring.reconcile.differences import Difference
from scoring.resources.reading import ImportFailed
from scoring.resources.widgets import cell_text

HEADER_SEARCH_ROWS = 10  # a title and a few notes may stand above the headers
# Folded, punctuation-free header words → column key.
HEADERS = {
    "unit_code": ("ma don vi", "ma dv", "unit code"),
    "unit_name": ("ten don vi", "don vi", "unit name", "unit"),
    "group": ("khoi", "khoi xep hang", "group"),
    "total": ("tong diem", "tong", "total", "score", "tong diem dat"),
    "achieved": (
        "diem dat",
        "diem tham dinh",
        "final score",
        "achieved",
    ),
    "max_points": ("diem toi da", "toi da", "max points", "max"),
    "deducted": ("diem bi tru", "bi tru", "deducted"),
    "index": ("chi so", "index", "index pct"),
    "rank": ("xep hang", "xep thu", "hang", "thu hang", "rank"),
    "classification": ("xep loai", "classification"),
    "assessment_part": (
        "diem thanh phan",
        "diem tham dinh cac linh vuc",
        "assessment part",
    ),
    "survey_part": ("diem dieu tra xa hoi hoc", "survey part"),
    "item": ("tt", "stt", "ma", "ma tieu chi", "code"),
    "parent": ("thuoc tieu chi", "parent code"),
    "content": ("noi dung", "tieu chi", "ten tieu chi", "title"),
}
KEYS = {words: key for key, synonyms in HEADERS.items() for words in synonyms}
# "Lĩnh vực 3", "3", "field_3", or the export's "3. Cải cách thủ tục hành chính (14,5 điểm)".
FIELD_HEADER = re.compile(r"(?:linh vuc |field )?(\d+[a-z]?)(?: .*)?")
# What each column is called in a difference, and what the table's first row says.
COLUMN_WORDS = {
    "total": "tổng điểm",
    "achieved": "điểm đạt",
    "max_points": "điểm tối đa",
    "deducted": "điểm bị trừ",
    "index": "chỉ số",
    "rank": "xếp hạng",
    "classification": "xếp loại",
    "assessment_part": "điểm thẩm định các lĩnh vực",
    "survey_part": "điểm điều tra xã hội học",
}
POINT_KEYS = (
    "total",
    "achieved",
    "max_points",
    "deducted",
    "index",
    "assessment_part",
    "survey_part",
)
TOTAL_WORDS = ("tong diem", "tong cong", "tong", "cong")
NUMBER = r"\d+(?:[.,]\d+)*"
RANK = re.compile(r"(\d+)(?:\s*/\s*(\d+))?")


def header_words(text: str) -> str:
    """A header folded to plain words: "Chỉ số (%)" → "chi so"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text).lower()).split())


def column_key(header: str) -> str | None:
    words = header_words(header)
    if words in KEYS:
        return KEYS[words]
    match = FIELD_HEADER.fullmatch(words)
    return f"field:{match.group(1)}" if match else None


@dataclass
class Figures:
    """The numbers of one row, by column key."""

    values: dict[str, Decimal] = field(default_factory=dict)

    def get(self, key: str) -> Decimal | None:
        return self.values.get(key)


@dataclass
class ResultRow:
    """One unit's row of a ranking table."""

    number: int
    unit_code: str = ""
    unit_name: str = ""
    group: str = ""
    figures: Figures = field(default_factory=Figures)
    fields: dict[str, Decimal] = field(default_factory=dict)
    rank: int | None = None
    rank_of: int | None = None
    classification: str = ""

    @property
    def label(self) -> str:
        return self.unit_name or self.unit_code


@dataclass
class DetailRow:
    """One field's or criterion's row of a detailed table (or a line of a plan's text).

    `number` is the row (or line) it was read from, None for a figure that is not in
    the text (a plan's field, whose deduction the engine gives)."""

    number: int | None
    item: str = ""
    content: str = ""
    max_points: Decimal | None = None
    achieved: Decimal | None = None
    deducted: Decimal | None = None
    is_total: bool = False
    parent: str = ""
    children: list["DetailRow"] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ". ".join(part for part in (self.item, self.content) if part)


@dataclass
class Table:
    kind: str  # "ranking" or "detail"
    columns: dict[str, int]  # key → cell index
    rows: list
    unreadable: list[Difference] = field(default_factory=list)
    places: dict[str, int] = field(default_factory=dict)  # key → most places in the column

    def has(self, key: str) -> bool:
        return key in self.columns

    @property
    def field_codes(self) -> list[str]:
        return [key.removeprefix("field:") for key in self.columns if key.startswith("field:")]


def read_table(rows: Iterable[list]) -> Table:
    """The table of `rows` (as `scoring.resources.reading` reads a file); ImportFailed
    in Vietnamese when no header row is recognised."""
    iterator = iter(rows)
    number = 0
    for number, cells in enumerate(iterator, start=1):
        columns = _columns(cells)
        # Numbers alone ("1", "2") read as field headers: a header row names more.
        if len(columns) >= 2 and any(not key.startswith("field:") for key in columns):
            break
        if number >= HEADER_SEARCH_ROWS:
            raise _no_header()
    else:
        raise _no_header()
    kind = _kind(columns)
    table = Table(kind=kind, columns=columns, rows=[])
    for row_number, cells in enumerate(iterator, start=number + 1):
        texts = [cell_text(value) for value in cells]
        if not any(texts):
            continue
        reader = _detail_row if kind == "detail" else _result_row
        table.rows.append(reader(table, row_number, texts))
    if not table.rows:
        raise ImportFailed(["Bảng không có dòng số liệu nào dưới dòng tiêu đề."])
    return table


def _no_header() -> ImportFailed:
    return ImportFailed(
        [
            "Không nhận ra dòng tiêu đề của bảng: cần ít nhất hai cột như «Mã đơn vị», "
            "«Tên đơn vị», «Tổng điểm», «Chỉ số (%)», «Xếp hạng» (bảng xếp hạng) hoặc "
            "«TT», «Nội dung», «Điểm tối đa», «Điểm đạt», «Điểm bị trừ» (bảng chi tiết)."
        ]
    )


def _columns(cells: list) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, value in enumerate(cells):
        key = column_key(cell_text(value))
        if key and key not in columns:
            columns[key] = index
    return columns


def _kind(columns: dict[str, int]) -> str:
    if "unit_code" in columns or "unit_name" in columns:
        if "total" not in columns and "achieved" in columns:
            columns["total"] = columns.pop("achieved")  # a ranking's "Điểm đạt" is its total
        return "ranking"
    if "item" in columns or "content" in columns:
        return "detail"
    raise ImportFailed(
        [
            "Bảng không có cột «Mã đơn vị» hay «Tên đơn vị» (bảng xếp hạng), cũng không có "
            "cột «TT» hay «Nội dung» (bảng chi tiết của một đơn vị)."
        ]
    )


def _cell(texts: list[str], table: Table, key: str) -> str:
    index = table.columns.get(key)
    return texts[index] if index is not None and index < len(texts) else ""


def _read_points(table: Table, number: int, label: str, key: str, text: str) -> Decimal | None:
    """The cell's points, None when blank; an unreadable cell becomes a difference."""
    try:
        value = parse_number(text)
    except ValueError as error:
        table.unreadable.append(unreadable(number, label, COLUMN_WORDS.get(key, key), text, error))
        return None
    if value is not None:
        table.places[key] = max(table.places.get(key, 0), places_of(value))
    return value


def parse_number(text: str) -> Decimal | None:
    """Points or a percentage as printed: "85,08", "85.08", "85,08%", "11 điểm"."""
    cleaned = re.sub(r"\s*(%|điểm)$", "", text.strip(), flags=re.IGNORECASE)
    return parse_points(cleaned)


def places_of(value: Decimal) -> int:
    return max(0, -value.as_tuple().exponent)


def unreadable(number: int, label: str, column: str, text: str, error: Exception) -> Difference:
    return Difference(
        row=number,
        unit=label,
        column=column,
        found=text,
        expected="một số",
        sentence=f"ô {column} không đọc được: {error}",
    )


def _result_row(table: Table, number: int, texts: list[str]) -> ResultRow:
    row = ResultRow(
        number=number,
        unit_code=_cell(texts, table, "unit_code"),
        unit_name=_cell(texts, table, "unit_name"),
        group=_cell(texts, table, "group"),
        classification=_cell(texts, table, "classification"),
    )
    for key in POINT_KEYS:
        value = _read_points(table, number, row.label, key, _cell(texts, table, key))
        if value is not None:
            row.figures.values[key] = value
    for code in table.field_codes:
        text = _cell(texts, table, f"field:{code}")
        value = _read_points(table, number, row.label, f"field:{code}", text)
        if value is not None:
            row.fields[code] = value
    _read_rank(table, row, _cell(texts, table, "rank"))
    return row


def _read_rank(table: Table, row: ResultRow, text: str) -> None:
    if not text:
        return
    match = RANK.fullmatch(text)
    if match is None:
        error = ValueError(f"«{text}» không phải là thứ hạng (như «3» hay «3/23»).")
        table.unreadable.append(unreadable(row.number, row.label, "xếp hạng", text, error))
        return
    row.rank = int(match.group(1))
    row.rank_of = int(match.group(2)) if match.group(2) else None


def _detail_row(table: Table, number: int, texts: list[str]) -> DetailRow:
    item = _cell(texts, table, "item").rstrip(".")
    content = _cell(texts, table, "content")
    row = DetailRow(number=number, item=item, content=content)
    row.parent = _cell(texts, table, "parent").rstrip(".")
    row.is_total = not item and header_words(content.replace(":", "")) in TOTAL_WORDS
    for key in ("max_points", "achieved", "deducted"):
        setattr(row, key, _read_points(table, number, row.label, key, _cell(texts, table, key)))
    return row


def detail_tree(rows: list[DetailRow]) -> tuple[list[DetailRow], DetailRow | None]:
    """The top rows (fields) with their criteria as `children`, and the total row.

    A row's parent is its "Thuộc tiêu chí" cell, else its code less the last part
    ("1.3" under "1", "7b.2.3" under "7b.2")."""
    by_item = {row.item: row for row in rows if row.item and not row.is_total}
    top: list[DetailRow] = []
    total = next((row for row in rows if row.is_total), None)
    for row in rows:
        if row.is_total:
            continue
        parent = by_item.get(row.parent or row.item.rpartition(".")[0])
        (parent.children if parent is not None and parent is not row else top).append(row)
    return top, total
