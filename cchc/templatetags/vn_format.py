"""Template filters `points` and `percent`, built into every template."""

from django import template

from cchc.formatting import format_percent, format_points

register = template.Library()
register.filter("points", format_points)
register.filter("percent", format_percent)
