"""Any `Document` as a PDF: one generic template laid out by WeasyPrint (`cchc.pdf`).

The file is tagged (a structure tree from the HTML) and says what it is: title,
author (the issuing agency), subject, keywords, dates and language come from
`doc.metadata` through the HTML head. For ký số the PDF can carry an empty signature
field over the signer's room in the signature block, on the page where WeasyPrint
laid it out, added by pyHanko as an incremental update so nothing else in the file
moves.
"""

import io
from dataclasses import dataclass

from django.template.loader import render_to_string

from cchc.documents.model import Block, Document, Heading, Paragraph, Row, Table
from cchc.pdf import html_layout, layout_pdf

SIGNATURE_FIELD = "ChuKy"
SIGNATURE_ANCHOR = "chu-ky"  # the id of the signer's room in documents/_signoff.html
PT_PER_PX = 0.75  # WeasyPrint lays out in CSS pixels, 96 to the inch
TEMPLATES = {Heading: "_heading.html", Paragraph: "_paragraph.html", Table: "_table.html"}


@dataclass(frozen=True)
class Cell:
    text: str
    align: str = "left"
    span: int = 1


@dataclass(frozen=True)
class RowView:
    kind: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Part:
    """A block with the partial that prints it (and a table's cells, spans worked out)."""

    template: str
    block: Block
    rows: tuple[RowView, ...] = ()


def document_html(doc: Document, *, inline_style: bool = False) -> str:
    """The HTML WeasyPrint lays out. The house style is not in it (`html_layout` adds it,
    parsed once), unless `inline_style`: one self-contained file, as bare WeasyPrint is
    given it in the benchmarks."""
    metadata = doc.metadata
    context = {
        "doc": doc,
        "body": parts(doc.body),
        "appendices": [(appendix, parts(appendix.blocks)) for appendix in doc.appendices],
        "keywords": ", ".join(metadata.keywords),
        "created": metadata.created.isoformat() if metadata.created else "",
        "signature_anchor": SIGNATURE_ANCHOR,
        "inline_style": inline_style,
    }
    return render_to_string("documents/document.html", context)


def document_pdf(doc: Document, *, signature_field: bool = False) -> bytes:
    """The PDF of `doc`; with `signature_field`, ready for ký số (an empty field "ChuKy").

    The field is an incremental update: the bytes WeasyPrint wrote come first, unchanged,
    and pyHanko's update sets ModDate to the time it was added. The caller stores the
    result as it is: that file is the one the signer signs."""
    layout = html_layout(document_html(doc), styled=True)
    data = layout_pdf(layout)
    if not signature_field:
        return data
    page, box = signature_box(layout)
    return with_signature_field(data, page, box)


def parts(blocks: tuple[Block, ...]) -> list[Part]:
    return [
        Part(
            f"documents/{TEMPLATES[type(block)]}",
            block,
            table_rows(block) if isinstance(block, Table) else (),
        )
        for block in blocks
    ]


def table_rows(table: Table) -> tuple[RowView, ...]:
    return tuple(RowView(row.kind, row_cells(table, row)) for row in table.rows)


def row_cells(table: Table, row: Row) -> tuple[Cell, ...]:
    """A group row: its number, then one cell spanning the rest. A total row: a label
    spans the empty cells after it ("Tổng kinh phí" over the matrix's columns)."""
    columns = table.columns
    texts = list(row.cells[: len(columns)]) + [""] * (len(columns) - len(row.cells))
    if row.kind == "group":
        rest = next((text for text in texts[1:] if text), "")
        return (Cell(texts[0], "center"), Cell(rest, "left", len(columns) - 1))
    if row.kind != "total":
        return tuple(Cell(text, column.align) for text, column in zip(texts, columns, strict=True))
    cells: list[Cell] = []
    for text, column in zip(texts, columns, strict=True):
        if not text and cells and cells[-1].text:
            cells[-1] = Cell(cells[-1].text, cells[-1].align, cells[-1].span + 1)
        else:
            cells.append(Cell(text, column.align))
    return tuple(cells)


def signature_box(layout) -> tuple[int, tuple[float, float, float, float]]:
    """The page (from 0) and the box (PDF points from the bottom-left) of the signer's room."""
    for number, page in enumerate(layout.pages):
        if SIGNATURE_ANCHOR in page.anchors:
            x1, y1, x2, y2 = page.anchors[SIGNATURE_ANCHOR]
            height = page.height
            box = (x1, height - y2, x2, height - y1)
            return number, tuple(round(value * PT_PER_PX, 2) for value in box)
    raise ValueError("The document has no signature block to place the field on.")


def with_signature_field(data: bytes, page: int, box: tuple[float, float, float, float]) -> bytes:
    """`data` with an empty signature field appended (the original bytes stay as they are)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    append_signature_field(
        writer, SigFieldSpec(sig_field_name=SIGNATURE_FIELD, on_page=page, box=box)
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
