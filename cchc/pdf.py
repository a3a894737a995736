"""PDF rendering shared by every document: WeasyPrint, the embedded font, what it needs.

Renderers are functions that take the data and return the bytes (the views only
wrap them). WeasyPrint lays out an HTML template; the font (Liberation Serif,
metric-compatible with Times New Roman, SIL OFL) ships in static/fonts/ and is
embedded, so the file is the same on every machine. Templates include
`pdf/_style.html` for the font, the A4 page and the tables. Every PDF is tagged and
takes its title, author, dates and language from the HTML head; the document model's
renderer (`cchc.documents.pdf`) lays out with `html_layout` to read where the
signature block landed before writing the file.
"""

import unicodedata
import warnings
from functools import cache
from pathlib import Path

from django.conf import settings

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
# What WeasyPrint needs from the system, as Debian names it (see README).
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


@cache
def missing_library() -> str:
    """The system library WeasyPrint lacks here ("Pango", "HarfBuzz-subset"), or "".

    Without Pango WeasyPrint cannot be imported at all. Without HarfBuzz-subset
    it imports with a DeprecationWarning and subsets fonts with fontTools: the
    PDF still renders, so downloads work, but the tests skip rather than check
    output that CI (which installs it) never makes.
    """
    try:
        with warnings.catch_warnings():
            # The HarfBuzz-subset warning: checked below, where it can be said plainly.
            warnings.simplefilter("ignore", DeprecationWarning)
            from weasyprint.text import ffi
    except (ImportError, OSError):
        return "Pango"
    # WeasyPrint 70 sets it to None when the library is absent.
    return "HarfBuzz-subset" if getattr(ffi, "harfbuzz_subset", "") is None else ""


def weasyprint_missing() -> str:
    """Why the PDFs cannot be made on this machine (for the user), or "" when they can."""
    if missing_library() != "Pango":
        return ""
    return (
        f"Máy chủ thiếu thư viện Pango nên chưa tạo được PDF; cần cài các gói: {SYSTEM_PACKAGES}."
    )


# Tagged (a structure tree from the HTML, for screen readers and reflow); the title,
# author, dates and language come from the HTML head.
PDF_OPTIONS = {"pdf_tags": True}


def html_layout(html: str):
    """NFC-normalised HTML laid out by WeasyPrint (a `weasyprint.Document`: its pages
    say where each element with an id landed); fonts are looked up next to static/."""
    import weasyprint

    text = unicodedata.normalize("NFC", html)
    return weasyprint.HTML(string=text, base_url=str(FONTS_DIR.parent)).render(**PDF_OPTIONS)


def layout_pdf(layout) -> bytes:
    return layout.write_pdf(**PDF_OPTIONS)


def html_to_pdf(html: str) -> bytes:
    return layout_pdf(html_layout(html))
