"""Filters for the dashboard pages: changes of rank and points in words and signs."""

from decimal import Decimal

from django import template

from cchc.formatting import format_percent, format_points

register = template.Library()


@register.filter
def rank_change(places: int | None) -> str:
    """Places gained as the decisions write them: "tăng 20 bậc", "giảm 2 bậc"."""
    if places is None:
        return ""
    if places > 0:
        return f"tăng {places} bậc"
    if places < 0:
        return f"giảm {-places} bậc"
    return "giữ nguyên"


@register.filter
def signed_points(value: Decimal | None) -> str:
    """ "+0,96", "−1,5" or "0"; empty when there is nothing to compare with."""
    return _signed(value, format_points)


@register.filter
def signed_percent(value: Decimal | None) -> str:
    """A change of index in percentage points, two decimals: "+4,76", "−0,5"."""
    return _signed(value, format_percent)


def _signed(value: Decimal | None, write) -> str:
    if value is None:
        return ""
    written = write(abs(value))
    if written == "0":
        return "0"
    return f"+{written}" if value > 0 else f"−{written}"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None
