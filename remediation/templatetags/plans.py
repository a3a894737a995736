"""`roman`: the field numbers of the task matrix (I, II, … as in seed 001)."""

from django import template

from remediation.texts import roman

register = template.Library()
register.filter("roman", roman)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)
