"""PDF rendering shared by every document: WeasyPrint, the embedded font, what it needs.

Renderers are functions that take the data and return the bytes (the views only
wrap them). WeasyPrint lays out an HTML template; the font (Liberation Serif,
metric-compatible with Times New Roman, SIL OFL) ships in static/fonts/ and is
embedded, so the file is the same on every machine. The house style (the font, the
A4 page, the tables: `pdf/house.css`) is either inlined by a template through
`pdf/_style.html` or, for the document model, parsed once per thread and handed to
WeasyPrint (`house_style`): parsing it and loading its fonts is then not paid per
request. Every PDF is tagged and
takes its title, author, dates and language from the HTML head; the document model's
renderer (`cchc.documents.pdf`) lays out with `html_layout` to read where the
signature block landed before writing the file.
"""

import atexit
import threading
import unicodedata
import warnings
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

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


HOUSE_CSS = "pdf/house.css"
_per_thread = threading.local()


@atexit.register
def _forget_house_style() -> None:
    # Freed before the interpreter tears its modules down: WeasyPrint's FontConfiguration
    # cleans up in __del__, which fails (printing a traceback) once they are gone.
    _per_thread.__dict__.pop("style", None)


def house_style() -> dict:
    """WeasyPrint's options for the house style: the parsed `pdf/house.css` and the
    FontConfiguration its @font-face rules were loaded into (WeasyPrint ties the two).

    Made once per thread and reused: neither is changed by a render (each render keeps
    its own layout state), but Pango's font objects are not for sharing between
    threads. A change to the stylesheet shows after a restart."""
    if not hasattr(_per_thread, "style"):
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        css = weasyprint.CSS(
            string=render_to_string(HOUSE_CSS), base_url=str(FONTS_DIR.parent), font_config=fonts
        )
        _per_thread.style = {"stylesheets": [css], "font_config": fonts}
    return _per_thread.style


def html_layout(html: str, *, styled: bool = False):
    """NFC-normalised HTML laid out by WeasyPrint (a `weasyprint.Document`: its pages
    say where each element with an id landed); fonts are looked up next to static/.
    With `styled`, in the house style (for HTML that does not inline it)."""
    import weasyprint

    text = unicodedata.normalize("NFC", html)
    options = {**PDF_OPTIONS, **(house_style() if styled else {})}
    return weasyprint.HTML(string=text, base_url=str(FONTS_DIR.parent)).render(**options)


def layout_pdf(layout) -> bytes:
    return layout.write_pdf(**PDF_OPTIONS)


def html_to_pdf(html: str) -> bytes:
    return layout_pdf(html_layout(html))
