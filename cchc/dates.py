"""Date fields as Vietnamese users type and read them: dd/mm/yyyy.

A browser's `<input type="date">` shows dates in the computer's language (mm/dd/yyyy
on an English Windows), so every form uses a text box showing d/m/Y instead; the
input formats (cchc/formats/vi) also take two-digit years and ISO dates.
"""

from django import forms
from django.db import models

SHOWN = "%d/%m/%Y"
INVALID_DATE = "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."


class DayMonthYearInput(forms.DateInput):
    def __init__(self, attrs: dict | None = None) -> None:
        shown = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**shown, **(attrs or {})}, format=SHOWN)


class DayMonthYearField(forms.DateField):
    widget = DayMonthYearInput
    default_error_messages = {"invalid": INVALID_DATE}


def date_error_messages(required: str) -> dict[str, str]:
    """For a model form's date field: what to say when it is blank or unreadable."""
    return {"required": required, "invalid": INVALID_DATE}


# A ModelAdmin's `formfield_overrides`: its date fields (the admin's own widget, read
# as dd/mm/yyyy by the formats) say how to type a date when one cannot be read.
ADMIN_DATE_FIELDS = {models.DateField: {"error_messages": {"invalid": INVALID_DATE}}}
