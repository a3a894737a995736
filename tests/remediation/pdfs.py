"""Reading the rendered PDFs back with pypdf: text, page sizes, text positions, fonts."""

import io
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from cchc.pdf import SYSTEM_PACKAGES, missing_library

MM = 72 / 25.4
A4 = (595.28, 841.89)


def needs_weasyprint() -> None:
    """Skip, with the same one-line reason everywhere, where WeasyPrint cannot run.

    CI installs the libraries, so there every PDF test runs.
    """
    missing = missing_library()
    if missing:
        pytest.skip(f"PDF tests skipped: {missing} is missing (Debian: {SYSTEM_PACKAGES})")


@dataclass(frozen=True)
class Run:
    text: str
    x: float
    y: float
    font: str = ""  # base font without the subset tag: "CCHC-Serif-Bold"
    size: float = 0.0  # points

    @property
    def bold(self) -> bool:
        return "Bold" in self.font

    @property
    def italic(self) -> bool:
        return "Italic" in self.font


def read(data: bytes) -> PdfReader:
    assert data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(data))


def page_text(page) -> str:
    return " ".join(page.extract_text().split())


def all_text(reader: PdfReader) -> str:
    return " ".join(page_text(page) for page in reader.pages)


def runs(page) -> list[Run]:
    """Every piece of text on the page with where it starts (points, from bottom-left),
    its font and its size."""
    found: list[Run] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            font = str((font_dict or {}).get("/BaseFont", "")).split("+")[-1]
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.append(Run(text.strip(), x, y, font, round(font_size * tm[0] * cm[0], 1)))

    page.extract_text(visitor_text=visit)
    return found


def size(page) -> tuple[float, float]:
    box = page.mediabox
    return float(box.width), float(box.height)


def embedded_font_files(reader: PdfReader) -> dict[str, bool]:
    """Base font name → whether the font program is embedded (FontFile2/3)."""
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile2", "/FontFile3", "/FontFile")
            )
    return fonts
