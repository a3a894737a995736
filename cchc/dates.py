"""Date fields as Vietnamese users type and read them: dd/mm/yyyy.

A browser's `<input type="date">` shows dates in the computer's language (mm/dd/yyyy
on an English Windows), so every form uses a text box showing d/m/Y instead; the
input formats (cchc/formats/vi) also take two-digit years and ISO dates.
"""

from django import forms

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
