"""The Word renderer: one `Document` as a .docx laid out by Nghị định 30/2020/NĐ-CP.

A4, margins 20/20/30/15 mm, Times New Roman 14 pt justified with a 1,27 cm first-line
indent; the two-column header as a borderless table with its rules; page numbers
centred at the top from page 2; Nơi nhận and the signature block; each appendix its own
section (landscape for the task matrix). It reads only the document model, as the PDF
renderer does, so both formats carry the same words. Offices edit the file in Word
before signing, so the layout is plain paragraphs and tables, no text boxes or shapes.
"""

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time
from functools import cache

from docx import Document as new_word_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.coreprops import CoreProperties
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Emu, Length, Mm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from fontTools.ttLib import TTFont

from cchc.documents.model import (
    Appendix,
    Block,
    Document,
    Header,
    Heading,
    Metadata,
    Paragraph,
    Row,
    Signoff,
    Table,
)
from cchc.pdf import FONTS_DIR

FONT = "Times New Roman"
# Liberation Serif has Times New Roman's metrics: it measures the rules under the lines.
MEASURING_FONTS = {False: "LiberationSerif-Regular.ttf", True: "LiberationSerif-Bold.ttf"}
LANGUAGES = {"vi": "vi-VN"}
BODY_SIZE = Pt(14)
HEADER_SIZE = Pt(13)
FIRST_LINE_INDENT = Cm(1.27)
SUBITEM_INDENT = Cm(0.63)
PARAGRAPH_AFTER = Pt(6)
RULE = {"val": "single", "sz": "6", "space": "1", "color": "000000"}  # 0,75 pt, as the PDF
RULE_GAP = Pt(3)  # the height of the empty paragraph whose bottom border is a rule
NO_BORDER = {"val": "none", "sz": "0", "space": "0", "color": "auto"}
TABLE_SIZES = {"normal": Pt(13), "small": Pt(11)}
ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
HEADINGS = {  # level → (italic, space before)
    1: (False, Pt(10)),
    2: (False, Pt(6)),
    3: (True, Pt(6)),
}
SIGNATURE_ROOM = Pt(70)
# What may follow these elements inside their parent (WordprocessingML keeps an order).
AFTER_PBDR = (
    *("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap"),
    *("w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi"),
    *("w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing"),
    *("w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment"),
    *("w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr"),
    "w:pPrChange",
)
AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
AFTER_TBLCELLMAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


@dataclass(frozen=True)
class Page:
    width: Length
    height: Length
    top: Length
    bottom: Length
    left: Length
    right: Length

    @property
    def text_width(self) -> Length:
        return Emu(self.width - self.left - self.right)


PORTRAIT = Page(Mm(210), Mm(297), top=Mm(20), bottom=Mm(20), left=Mm(30), right=Mm(15))
LANDSCAPE = Page(Mm(297), Mm(210), top=Mm(20), bottom=Mm(20), left=Mm(20), right=Mm(15))
HEADER_COLUMNS = (38, 62)
SIGNOFF_COLUMNS = (50, 50)


def document_docx(doc: Document) -> bytes:
    word = new_word_document()
    _set_styles(word, _language(doc.metadata))
    _keep_broken_lines_unstretched(word)
    section = word.sections[0]
    _set_page(section, PORTRAIT)
    _number_pages(section)
    _write_header(word, doc.header, PORTRAIT.text_width)
    _write_blocks(word, doc.body, PORTRAIT.text_width)
    _write_signoff(word, doc.signoff, PORTRAIT.text_width)
    for appendix in doc.appendices:
        _write_appendix(word, appendix)
    _set_properties(word.core_properties, doc.metadata)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


# Styles and pages


def _language(metadata: Metadata) -> str:
    return LANGUAGES.get(metadata.language, metadata.language)


def _set_fonts(rpr) -> None:
    """Times New Roman for every script (Word picks east-Asian or complex-script fonts
    by character), replacing the template's theme fonts, which would win otherwise."""
    fonts = rpr.find(qn("w:rFonts"))  # the template's styles and defaults all have one
    fonts.attrib.clear()
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _set_language(rpr, language: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)  # last of what python-docx writes in a style's w:rPr
    for attribute in ("val", "eastAsia"):  # Latin and east-Asian text; w:bidi is other
        lang.set(qn(f"w:{attribute}"), language)


def _set_styles(word: WordDocument, language: str) -> None:
    defaults = word.styles.element.find(qn("w:docDefaults"))
    normal = word.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = BODY_SIZE
    for rpr in (defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"), normal.element.rPr):
        _set_fonts(rpr)
        _set_language(rpr, language)
    _format(
        normal.paragraph_format,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line=FIRST_LINE_INDENT,
        after=PARAGRAPH_AFTER,
    )
    # Real heading styles: Word's navigation pane and a tagged PDF export see the outline.
    for level, (italic, before) in HEADINGS.items():
        style = word.styles[f"Heading {level}"]
        _set_fonts(style.element.get_or_add_rPr())
        style.font.size = BODY_SIZE
        style.font.bold = True
        style.font.italic = italic
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        _format(fmt, first_line=FIRST_LINE_INDENT, before=before, after=PARAGRAPH_AFTER)
        fmt.keep_with_next = True
    header = word.styles["Header"]
    header.font.size = HEADER_SIZE
    _format(header.paragraph_format, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=Cm(0), after=0)


def _keep_broken_lines_unstretched(word: WordDocument) -> None:
    """A justified line ending in a "\n" break stays as set, not spread to the margin."""
    # python-docx's template has a w:compat, and this option comes first in its order.
    compat = word.settings.element.find(qn("w:compat"))
    compat.insert(0, OxmlElement("w:doNotExpandShiftReturn"))


def _set_page(section: Section, page: Page) -> None:
    landscape = page.width > page.height
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = page.width, page.height
    section.top_margin, section.bottom_margin = page.top, page.bottom
    section.left_margin, section.right_margin = page.left, page.right
    section.header_distance = section.footer_distance = Mm(10)


def _number_pages(section: Section) -> None:
    """The page number centred in the top margin, none on the first page."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # page 1: an empty header
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    field.append(OxmlElement("w:r"))
    section.header.paragraphs[0]._p.append(field)


def _set_properties(properties: CoreProperties, metadata: Metadata) -> None:
    properties.title = metadata.title
    properties.author = properties.last_modified_by = metadata.author
    properties.subject = metadata.subject
    properties.keywords = ", ".join(metadata.keywords)
    properties.language = _language(metadata)
    properties.comments = ""
    properties.revision = 1
    if metadata.created:
        properties.created = properties.modified = datetime.combine(metadata.created, time())


# Paragraphs


def _format(
    fmt,
    *,
    align=None,
    first_line: Length | None = None,
    left: Length | None = None,
    right: Length | None = None,
    before: Length | int = 0,
    after: Length | int | None = None,
) -> None:
    if align is not None:
        fmt.alignment = align
    if first_line is not None:
        fmt.first_line_indent = first_line
    if left is not None:
        fmt.left_indent = left
    if right is not None:
        fmt.right_indent = right
    fmt.space_before = before
    if after is not None:
        fmt.space_after = after
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _add(container) -> WordParagraph:
    """A new paragraph; a table cell's own empty first paragraph is used first."""
    if isinstance(container, _Cell):
        first = container.paragraphs[0]
        if len(container.paragraphs) == 1 and first._p.pPr is None and not first.runs:
            return first
    return container.add_paragraph()


def _text(paragraph: WordParagraph, text: str, *, size=None, bold=None, italic=None) -> None:
    """The text in one run; python-docx makes each "\\n" a line break, each tab a tab."""
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.italic = size, bold, italic
    # "Số:       /KH-UBND" keeps the room left for the number: no reader may fold spaces.
    for piece in run._r.iter(qn("w:t")):
        piece.set(qn("xml:space"), "preserve")


def _line(container, text: str, *, size=None, bold=None, italic=None, **fmt) -> None:
    """A centred, unindented line: the header, the titles, the signature block."""
    paragraph = _add(container)
    fmt.setdefault("align", WD_ALIGN_PARAGRAPH.CENTER)
    fmt.setdefault("after", 0)
    _format(paragraph.paragraph_format, first_line=Cm(0), **fmt)
    _text(paragraph, text, size=size, bold=bold, italic=italic)


def _rule(container, length: Length, room: Length, *, after: Length | int = 0) -> None:
    """A centred horizontal rule `length` long: the bottom border of an empty paragraph
    a few points high, narrowed by its indents within `room`."""
    paragraph = _add(container)
    margin = Emu(max(0, (room - length) // 2))
    _format(paragraph.paragraph_format, first_line=Cm(0), left=margin, right=margin, after=after)
    paragraph.paragraph_format.line_spacing = RULE_GAP
    borders = OxmlElement("w:pBdr")
    borders.append(_border("w:bottom", RULE))
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *AFTER_PBDR)


def _border(tag: str, attributes: dict[str, str]):
    border = OxmlElement(tag)
    for name, value in attributes.items():
        border.set(qn(f"w:{name}"), value)
    return border


@cache
def _measuring_font(bold: bool) -> tuple[dict[int, str], dict, int]:
    font = TTFont(FONTS_DIR / MEASURING_FONTS[bold])
    return font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm


def _text_width(text: str, size: Length, *, bold: bool) -> Length:
    """How long `text` is set in Times New Roman at `size`."""
    cmap, metrics, units = _measuring_font(bold)
    advance = sum(
        metrics[cmap.get(ord(char), ".notdef")][0] for char in unicodedata.normalize("NFC", text)
    )
    return Emu(advance * size // units)


# The header


def _write_header(word: WordDocument, header: Header, width: Length) -> None:
    table = _borderless_table(word, rows=2, shares=HEADER_COLUMNS, width=width)
    (agency, nation), (number, dated) = (row.cells for row in table.rows)
    left, right = (cell.width for cell in table.rows[0].cells)
    if header.supervising_agency:
        _line(agency, header.supervising_agency.upper(), size=HEADER_SIZE)
    issuer = [line.upper() for line in header.issuer_lines]
    for line in issuer:
        _line(agency, line, size=HEADER_SIZE, bold=True)
    # Nghị định 30: a third to a half of the name's length, centred under it.
    longest = max((_text_width(line, HEADER_SIZE, bold=True) for line in issuer), default=left)
    _rule(agency, Emu(min(longest, left) * 2 // 5), left)
    _line(number, header.number_line, size=HEADER_SIZE, before=Pt(8))

    motto = "Độc lập - Tự do - Hạnh phúc"
    _line(nation, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=HEADER_SIZE, bold=True)
    _line(nation, motto, size=BODY_SIZE, bold=True)
    _rule(nation, _text_width(motto, BODY_SIZE, bold=True), right)
    _line(dated, header.dated_line, size=BODY_SIZE, italic=True, before=Pt(8))

    _line(word, header.kind.upper(), bold=True, before=Pt(20))
    _line(word, header.summary, bold=True)
    summary = _text_width(header.summary, BODY_SIZE, bold=True)
    _rule(word, Emu(min(summary, width) * 2 // 5), width, after=Pt(12))


# Body blocks


def _write_blocks(word: WordDocument, blocks: tuple[Block, ...], width: Length) -> None:
    for block in blocks:
        if isinstance(block, Heading):
            _text(word.add_heading(level=block.level), block.text)
        elif isinstance(block, Paragraph):
            _write_paragraph(word, block)
        else:
            _write_table(word, block, width)


def _write_paragraph(word: WordDocument, block: Paragraph) -> None:
    paragraph = word.add_paragraph()
    style = block.style
    text = {"item": f"- {block.text}", "subitem": f"+ {block.text}"}.get(style, block.text)
    if style == "subitem":
        paragraph.paragraph_format.left_indent = SUBITEM_INDENT
    if style == "closing":
        paragraph.paragraph_format.space_before = PARAGRAPH_AFTER
    _text(paragraph, text, italic=True if style == "basis" else None)


def _write_table(word: WordDocument, table: Table, width: Length) -> None:
    size = TABLE_SIZES[table.size]
    grid = word.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    _set_widths(grid, [column.width for column in table.columns], width)
    _set_borders(grid, RULE)
    _set_cell_margins(grid, left=Pt(4), right=Pt(4), top=Pt(2), bottom=Pt(2))
    head = grid.rows[0]
    _row_property(head, "w:tblHeader")  # repeated at the top of every page
    for cell, column in zip(head.cells, table.columns, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _cell_text(cell, column.title, size=size, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for word_row, row in zip(grid.rows[1:], table.rows, strict=True):
        _write_row(word_row, row, table, size)
    for previous, row in zip(grid.rows[:-1], table.rows, strict=True):
        if row.kind == "total":  # a total never starts a page alone
            _keep_with_next(previous)
    for word_row in grid.rows:
        _row_property(word_row, "w:cantSplit")
    if table.keep_together:
        for word_row in grid.rows[:-1]:
            _keep_with_next(word_row)
    # As the PDF's margin; an empty line also keeps Word from joining two tables.
    _spacer(word, Pt(8))


def _write_row(word_row, row: Row, table: Table, size: Length) -> None:
    cells = list(row.cells) + [""] * (len(table.columns) - len(row.cells))
    bold = True if row.kind in ("group", "total") else None
    for start, stop in _spans(cells, row.kind):
        cell = word_row.cells[start]
        if stop - start > 1:
            cell = cell.merge(word_row.cells[stop - 1])
        text = " ".join(text for text in cells[start:stop] if text)
        align = ALIGNMENTS[table.columns[start].align] if stop - start == 1 else None
        _cell_text(cell, text, size=size, bold=bold, align=align or WD_ALIGN_PARAGRAPH.LEFT)
    if row.kind == "group":  # a field's heading row stays with its first task
        _keep_with_next(word_row)


def _spans(cells: list[str], kind: str) -> list[tuple[int, int]]:
    """Which cells a row merges: a group row is its number then one cell spanning the
    rest; in a total row a label spans the empty cells after it ("Tổng kinh phí")."""
    if kind == "group":
        return [(0, 1), (1, len(cells))] if len(cells) > 1 else [(0, 1)]
    if kind != "total":
        return [(index, index + 1) for index in range(len(cells))]
    spans: list[tuple[int, int]] = []
    for index, text in enumerate(cells):
        if text or not spans or index == 0:
            spans.append((index, index + 1))
        else:
            spans[-1] = (spans[-1][0], index + 1)
    return spans


def _cell_text(cell: _Cell, text: str, *, size: Length, bold=None, align=None) -> None:
    paragraph = _add(cell)
    _format(paragraph.paragraph_format, align=align, first_line=Cm(0), after=0)
    _text(paragraph, text, size=size, bold=bold)


def _spacer(word: WordDocument, height: Length) -> None:
    """An empty line `height` high."""
    spacer = word.add_paragraph().paragraph_format
    _format(spacer, first_line=Cm(0), after=0)
    spacer.line_spacing = height


def _keep_with_next(word_row) -> None:
    for cell in word_row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


# Tables' properties


def _borderless_table(word, *, rows: int, shares: tuple[int, ...], width: Length) -> WordTable:
    table = word.add_table(rows=rows, cols=len(shares))
    _set_widths(table, list(shares), width)
    _set_borders(table, NO_BORDER)
    _set_cell_margins(table, left=0, right=0, top=0, bottom=0)
    return table


def _set_widths(table: WordTable, shares: list[int], width: Length) -> None:
    """Fixed column widths, each its share of `width` (shares need not add up to 100)."""
    table.autofit = False
    total = sum(shares) or 1
    widths = [Emu(width * share // total) for share in shares]
    table_width = table._tbl.tblPr.find(qn("w:tblW"))
    table_width.set(qn("w:type"), "dxa")
    table_width.set(qn("w:w"), str(sum(widths) // 635))  # EMU → twentieths of a point
    for column, column_width in zip(table.columns, widths, strict=True):
        column.width = column_width
        for cell in column.cells:
            cell.width = column_width


def _set_borders(table: WordTable, attributes: dict[str, str]) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_border(f"w:{edge}", attributes))
    table._tbl.tblPr.insert_element_before(borders, *AFTER_TBLBORDERS)


def _set_cell_margins(table: WordTable, **margins: Length | int) -> None:
    cell_margins = OxmlElement("w:tblCellMar")
    for edge, value in margins.items():
        cell_margins.append(_border(f"w:{edge}", {"w": str(Emu(value).twips), "type": "dxa"}))
    table._tbl.tblPr.insert_element_before(cell_margins, *AFTER_TBLCELLMAR)


def _row_property(word_row, tag: str) -> None:
    """`w:tblHeader` (repeat the row on each page) or `w:cantSplit` (never split it)."""
    properties = word_row._tr.get_or_add_trPr()
    if properties.find(qn(tag)) is None:
        properties.append(OxmlElement(tag))


# The signoff and the appendices


def _write_signoff(word: WordDocument, signoff: Signoff, width: Length) -> None:
    _spacer(word, Pt(6))
    table = _borderless_table(word, rows=1, shares=SIGNOFF_COLUMNS, width=width)
    _row_property(table.rows[0], "w:cantSplit")  # the signature stays with Nơi nhận
    recipients, signature = table.rows[0].cells
    left = WD_ALIGN_PARAGRAPH.LEFT
    _line(recipients, "Nơi nhận:", size=Pt(12), bold=True, italic=True, align=left)
    for number, recipient in enumerate(signoff.recipients, start=1):
        end = "." if number == len(signoff.recipients) else ";"
        _line(recipients, f"- {recipient.rstrip(';.')}{end}", size=Pt(11), align=left)
    for line in (signoff.authority, signoff.position):
        if line:
            _line(signature, line.upper(), bold=True)
    _line(signature, signoff.signer_name, bold=True, before=SIGNATURE_ROOM)


def _write_appendix(word: WordDocument, appendix: Appendix) -> None:
    section = word.add_section(WD_SECTION.NEW_PAGE)
    page = LANDSCAPE if appendix.landscape else PORTRAIT
    _set_page(section, page)
    # The section inherits the numbered header; only the document's first page has none.
    section.different_first_page_header_footer = False
    _line(word, appendix.title.upper(), bold=True)
    _line(word, appendix.summary, bold=True, after=0 if appendix.note else Pt(8))
    if appendix.note:
        _line(word, appendix.note, italic=True, after=Pt(8))
    _write_blocks(word, appendix.blocks, page.text_width)
