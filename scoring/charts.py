"""Charts as plain SVG markup, drawn on the server from numbers already on the page.

Pure SVG (no script, no external font or stylesheet) so the same markup can go
into a PDF later. Every value label is written with `cchc.formatting`, and a
caller passes only numbers that the table beside the chart also shows.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cchc.formatting import format_points

FONT = 'font-family="Noto Sans, Liberation Sans, Arial, sans-serif"'
INK, MUTED, TRACK, BAR, BAR_ALT = "#1d2733", "#5b6775", "#e3e8ee", "#0b5394", "#9bb7d4"


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal
    # The bar's own scale (a field's max); the track behind the bar shows it.
    maximum: Decimal | None = None
    caption: str = ""


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    safe_title = escape(title)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{safe_title}" {FONT}>'
        f"<title>{safe_title}</title>"
        f'<text x="0" y="16" font-size="15" font-weight="600" fill="{INK}">{safe_title}</text>'
        + "".join(body)
        + "</svg>"
    )


def bar_chart(
    title: str, bars: list[Bar], *, width: int = 480, label_width: int = 170
) -> SafeString:
    """Horizontal bars, one a row: label on the left, value (and "/max") on the right.

    With `maximum` each bar is drawn on its own scale against a grey track (a
    field's achieved against its max); without, all bars share the largest value.
    """
    label_w, value_w, row_h, top = label_width, 90, 26, 32
    # About 6,5 px a character at 12 px: longer labels are cut, the table has them whole.
    label_chars = int((label_w - 10) / 6.5)
    plot_w = width - label_w - value_w
    scale = max((b.value for b in bars if b.maximum is None), default=Decimal(0))
    body = []
    for i, item in enumerate(bars):
        y = top + i * row_h
        full = item.maximum if item.maximum is not None else scale
        length = 0 if not full else float(max(item.value, Decimal(0)) / full) * plot_w
        caption = item.caption or (
            format_points(item.value)
            if item.maximum is None
            else f"{format_points(item.value)}/{format_points(item.maximum)}"
        )
        body.append(
            f'<text x="{label_w - 8}" y="{y + 15}" font-size="12" fill="{INK}" '
            f'text-anchor="end">{escape(_short(item.label, label_chars))}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{plot_w}" height="14" fill="{TRACK}"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="14" fill="{BAR}"/>'
            f'<text x="{label_w + plot_w + 6}" y="{y + 15}" font-size="12" '
            f'fill="{INK}">{escape(caption)}</text>'
        )
    return _svg(width, top + len(bars) * row_h + 6, title, body)


def column_chart(title: str, columns: list[Bar], *, width: int = 420) -> SafeString:
    """Vertical columns on one scale from zero, the value above each and the label below."""
    top, bottom, plot_h = 40, 24, 150
    gap = 16
    count = max(len(columns), 1)
    col_w = min(70, (width - gap * (count + 1)) / count)
    scale = max([c.maximum or c.value for c in columns] + [Decimal(0)])
    body = [
        f'<line x1="0" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    ]
    for i, item in enumerate(columns):
        x = gap + i * (col_w + gap)
        height = 0 if not scale else float(max(item.value, Decimal(0)) / scale) * plot_h
        y = top + plot_h - height
        caption = item.caption or format_points(item.value)
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w:.1f}" height="{height:.1f}" '
            f'fill="{BAR if i == len(columns) - 1 else BAR_ALT}"/>'
            f'<text x="{x + col_w / 2:.1f}" y="{y - 5:.1f}" font-size="12" fill="{INK}" '
            f'text-anchor="middle">{escape(caption)}</text>'
            f'<text x="{x + col_w / 2:.1f}" y="{top + plot_h + 16}" font-size="12" '
            f'fill="{MUTED}" text-anchor="middle">{escape(item.label)}</text>'
        )
    return _svg(width, top + plot_h + bottom, title, body)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
