"""`roman`: the field numbers of the task matrix (I, II, … as in seed 001)."""

from pathlib import PurePath

from django import template

from remediation.texts import roman

register = template.Library()
register.filter("roman", roman)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key)


@register.filter
def evidence_name(path: str) -> str:
    """The name an evidence file was uploaded under, without its folders."""
    return PurePath(path).name
