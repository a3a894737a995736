"""Files a view hands to the browser: their content types and the attachment response."""

from django.http import HttpResponse

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def attachment(data: bytes, filename: str) -> HttpResponse:
    """`data` downloaded as `filename`; the content type follows its suffix."""
    suffix = filename.rsplit(".", 1)[-1]
    response = HttpResponse(data, content_type=CONTENT_TYPES[suffix])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
