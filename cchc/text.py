"""Text people type or import: control characters are refused, with a message.

PostgreSQL refuses a NUL in text (a save would end in a server error), xlsx
cannot hold the other C0 controls, and none of them belongs in a note. Tab, line
feed and carriage return are ordinary text. The sheet, the plan forms, the
workflow's reason box, the admin's forms and the imports all call this module.
It also says how a unit's name reads inside a sentence.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator

NULL_CHECK = ProhibitNullCharactersValidator
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def control_character_problem(text: str) -> str | None:
    """A Vietnamese message naming the first control character and where it is; None if clean."""
    found = CONTROL_CHARACTER.search(text)
    if found is None:
        return None
    return (
        f"Có ký tự điều khiển không hợp lệ (mã {ord(found.group()):#04x}) ở ký tự thứ "
        f"{found.start() + 1}; hãy xóa ký tự đó rồi nhập lại."
    )


def refuse_control_characters(value: object) -> None:
    """A form or model validator."""
    problem = control_character_problem(str(value))
    if problem:
        raise ValidationError(problem, code="control_character")


def check_text_field(field: forms.Field | None) -> forms.Field | None:
    """A text field made to refuse control characters with the message above, in place of
    Django's own check for NUL alone; any other field as it is."""
    if isinstance(field, forms.CharField):
        kept = [v for v in field.validators if not isinstance(v, NULL_CHECK)]
        field.validators = [*kept, refuse_control_characters]
    return field


class RefuseControlCharacters:
    """A form mixin: every text field refuses control characters."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            check_text_field(field)


class RefuseControlCharactersAdmin:
    """A ModelAdmin or inline mixin: the text fields of its forms refuse control characters.
    (Its search box is Django's form, whose NUL check scoring's catalog words in Vietnamese.)"""

    def formfield_for_dbfield(self, db_field, request, **kwargs) -> forms.Field | None:
        return check_text_field(super().formfield_for_dbfield(db_field, request, **kwargs))


def in_sentence(name: str) -> str:
    """ "Xã Cẩm Sơn" → "xã Cẩm Sơn": a unit's name inside a sentence."""
    return name[:1].lower() + name[1:] if name else name
