"""Charts as plain SVG markup, drawn on the server from numbers already on the page.

Pure SVG (no script, no external font or stylesheet) so the same markup can go
into a PDF later. Every value label is written with `cchc.formatting`, and a
caller passes only numbers that the table beside the chart also shows.
"""

import textwrap
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cchc.formatting import format_points

FONT = 'font-family="Noto Sans, Liberation Sans, Arial, sans-serif"'
INK, MUTED, TRACK, BAR, BAR_ALT = "#1d2733", "#5b6775", "#e3e8ee", "#0b5394", "#9bb7d4"
# Average width of a 13 px character of the sans fonts above, Vietnamese text.
LABEL_CHAR_PX = 6.8


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


def bar_chart(title: str, bars: list[Bar], *, width: int = 360) -> SafeString:
    """Horizontal bars, each under its label, the value (and "/max") at the bar's end.

    Labels sit on their own lines across the whole width so that, scaled down to
    a phone's width, they still read in full (up to two lines). With `maximum`
    each bar is drawn on its own scale against a grey track (a field's achieved
    against its max); without, all bars share the largest value.
    """
    value_w, line_h, bar_h, top = 84, 16, 14, 34
    plot_w = width - value_w
    scale = max((b.value for b in bars if b.maximum is None), default=Decimal(0))
    body, y = [], top
    for item in bars:
        lines = _wrap(item.label, int(width / LABEL_CHAR_PX))
        body.append(_label(lines, y + 12, line_h))
        y += len(lines) * line_h + 2
        full = item.maximum if item.maximum is not None else scale
        length = 0 if not full else float(max(item.value, Decimal(0)) / full) * plot_w
        body.append(
            f'<rect x="0" y="{y}" width="{plot_w}" height="{bar_h}" fill="{TRACK}"/>'
            f'<rect x="0" y="{y}" width="{length:.1f}" height="{bar_h}" fill="{BAR}"/>'
            f'<text x="{plot_w + 6}" y="{y + 12}" font-size="13" font-weight="600" '
            f'fill="{INK}">{escape(_caption(item))}</text>'
        )
        y += bar_h + 10
    return _svg(width, y, title, body)


def _caption(item: Bar) -> str:
    if item.caption:
        return item.caption
    if item.maximum is None:
        return format_points(item.value)
    return f"{format_points(item.value)}/{format_points(item.maximum)}"


def _label(lines: list[str], y: int, line_h: int) -> str:
    spans = "".join(
        f'<tspan x="0" dy="{0 if i == 0 else line_h}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="0" y="{y}" font-size="13" fill="{INK}">{spans}</text>'


def _wrap(text: str, chars: int, max_lines: int = 2) -> list[str]:
    """The label in lines of about `chars` characters; the last one cut with "…"."""
    lines = textwrap.wrap(text, chars) or [""]
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = [*lines[: max_lines - 1], _short(rest, chars)]
    return lines


def column_chart(
    title: str, columns: list[Bar], *, width: int = 360, highlight: str | None = None
) -> SafeString:
    """Vertical columns on one scale from zero, the value above each and the label below.

    The column labelled `highlight` (the last one by default) is drawn darker.
    """
    if highlight is None and columns:
        highlight = columns[-1].label
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
            f'fill="{BAR if item.label == highlight else BAR_ALT}"/>'
            f'<text x="{x + col_w / 2:.1f}" y="{y - 5:.1f}" font-size="13" fill="{INK}" '
            f'text-anchor="middle">{escape(caption)}</text>'
            f'<text x="{x + col_w / 2:.1f}" y="{top + plot_h + 16}" font-size="13" '
            f'fill="{MUTED}" text-anchor="middle">{escape(item.label)}</text>'
        )
    return _svg(width, top + plot_h + bottom, title, body)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
