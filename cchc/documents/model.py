"""The document model: what an official document says, in the order it says it.

Plain frozen dataclasses, no layout: the renderers decide fonts, sizes and rules
from Nghị định 30/2020/NĐ-CP, so a PDF and a .docx of one `Document` carry the same
words. Text is plain (no markup); a line break inside a paragraph is "\\n".
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal


@dataclass(frozen=True)
class Header:
    """The two-column header, then the kind of document and its summary (trích yếu).

    `supervising_agency` is printed above the issuer only where a cơ quan chủ quản
    exists; a UBND's own document leaves it empty (seeds 003, 004)."""

    issuer_lines: tuple[str, ...]  # "ỦY BAN NHÂN DÂN", "XÃ CẨM SƠN"
    number_line: str  # "Số: 05/KH-UBND", or "Số:       /KH-UBND" left to be stamped
    dated_line: str  # "Cẩm Sơn, ngày 05 tháng 01 năm 2024"
    kind: str  # "KẾ HOẠCH", "BÁO CÁO"
    summary: str  # "Khắc phục tồn tại, hạn chế trong công tác cải cách hành chính năm 2023"
    supervising_agency: str = ""


@dataclass(frozen=True)
class Heading:
    """A numbered heading of the body: level 1 "I. MỤC ĐÍCH, YÊU CẦU" (bold, upper case
    as given), level 2 "1. Mục đích" (bold), level 3 "1.1. …" (bold italic)."""

    text: str
    level: Literal[1, 2, 3] = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text, justified with a first-line indent.

    `style`: "body"; "basis" (a legal basis, italic); "item" ("- …" list item);
    "subitem" ("+ …", one level deeper); "closing" (the last paragraph before the
    signature). Items carry their text without the dash: renderers add it."""

    text: str
    style: Literal["body", "basis", "item", "subitem", "closing"] = "body"


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # share of the table's width, in per cent
    align: Literal["left", "center", "right"] = "left"


@dataclass(frozen=True)
class Row:
    """`kind`: "body"; "group" (a field's heading row inside a matrix: bold, its
    first cell numbered and the rest spanning the row); "total" (bold)."""

    cells: tuple[str, ...]
    kind: Literal["body", "group", "total"] = "body"


@dataclass(frozen=True)
class Table:
    """A bordered table whose header row repeats on every page; rows never split."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    size: Literal["normal", "small"] = "normal"  # 13 pt, or 11 pt for a wide matrix
    keep_together: bool = False  # a short table (the fields) is kept on one page


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Signoff:
    """Nơi nhận on the left, the signature block on the right.

    The signature block is where ký số places the signature: the PDF renderer
    leaves an empty signature field there."""

    recipients: tuple[str, ...]  # "UBND huyện Cẩm Xuyên", …, "Lưu: VT"
    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN"
    position: str = ""  # "CHỦ TỊCH"
    signer_name: str = ""


@dataclass(frozen=True)
class Appendix:
    """A part printed on its own pages after the signature (the landscape task matrix)."""

    title: str  # "PHỤ LỤC"
    summary: str  # bold, centred
    note: str = ""  # italic, centred: "(Kèm theo Kế hoạch số … của …)"
    blocks: tuple[Block, ...] = ()
    landscape: bool = True


@dataclass(frozen=True)
class Metadata:
    """What the file says about itself (PDF info and core properties of the .docx)."""

    title: str  # names the unit and the date: "Kế hoạch khắc phục … năm 2023 - Xã Cẩm Sơn"
    author: str  # the issuing agency: "Ủy ban nhân dân xã Cẩm Sơn"
    subject: str = ""
    keywords: tuple[str, ...] = ()
    created: date | None = None  # the document's date (issued, or as of)
    language: str = "vi"


@dataclass(frozen=True)
class Document:
    metadata: Metadata
    header: Header
    body: tuple[Block, ...]
    signoff: Signoff
    appendices: tuple[Appendix, ...] = field(default=())
    filename: str = "van-ban"  # stem of the downloaded file, ASCII: "ke-hoach-HT-CX-CS-2023"
