"""Template filters `points`, `percent` and `full_name`, built into every template."""

from django import template

from cchc.formatting import format_percent, format_points
from cchc.people import full_name

register = template.Library()
register.filter("points", format_points)
register.filter("percent", format_percent)
register.filter("full_name", full_name)
