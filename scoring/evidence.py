"""Evidence files (tài liệu kiểm chứng): checking, storing, deleting.

Files are stored under MEDIA_ROOT with a random name (see models.evidence_path)
and served only through the download view, which checks scope first.
"""

import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from cchc.uploads import MB, TooLargeUpload
from scoring.access import User
from scoring.models import Assessment, Criterion, Evidence
from scoring.workflow import EXPLANATION, editable_columns, last_event, sheet_state

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    signature: bytes
    # For Office Open XML (a zip): the folder its main part lives in.
    ooxml_folder: str = ""


# Extension -> what the file must be. The browser's content type is not asked:
# it is whatever the extension says to the sender's system.
KINDS = {
    ".pdf": Kind("PDF", "application/pdf", b"%PDF-"),
    ".doc": Kind("Word", "application/msword", OLE),
    ".docx": Kind(
        "Word",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ZIP,
        "word/",
    ),
    ".xls": Kind("Excel", "application/vnd.ms-excel", OLE),
    ".xlsx": Kind(
        "Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP, "xl/"
    ),
    ".jpg": Kind("ảnh JPEG", "image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": Kind("ảnh JPEG", "image/jpeg", b"\xff\xd8\xff"),
    ".png": Kind("ảnh PNG", "image/png", b"\x89PNG\r\n\x1a\n"),
}
EXECUTABLE = b"MZ"  # Windows programs (.exe, .dll)
ALLOWED_LABEL = "PDF, Word (.doc, .docx), Excel (.xls, .xlsx), ảnh (.jpg, .png)"


def check_upload(upload: UploadedFile) -> str:
    """The content type to keep for an upload whose content is what its extension says;
    ValidationError (Vietnamese) if it is not, or not a kind we accept."""
    kind = KINDS.get(PurePath(upload.name).suffix.lower())
    if kind is None:
        raise ValidationError(f"Không nhận tệp «{upload.name}»: chỉ nhận {ALLOWED_LABEL}.")
    upload.seek(0)
    head = upload.read(len(kind.signature))
    if head.startswith(EXECUTABLE):
        raise ValidationError(f"Tệp «{upload.name}» là một chương trình máy tính, không nhận.")
    if head != kind.signature or (kind.ooxml_folder and not _is_ooxml(upload, kind)):
        raise ValidationError(
            f"Tệp «{upload.name}» không phải tệp {kind.label}: nội dung không khớp phần mở "
            "rộng. Hãy mở tệp bằng chương trình đã tạo ra nó, lưu lại đúng định dạng rồi "
            "tải lên lại."
        )
    upload.seek(0)
    return kind.content_type


def _is_ooxml(upload: UploadedFile, kind: Kind) -> bool:
    """A zip holding what every Word or Excel file does: [Content_Types].xml and its folder."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(
        name.startswith(kind.ooxml_folder) for name in names
    )


def check_sizes(uploads: list[UploadedFile]) -> None:
    """ValidationError (Vietnamese, naming the files) if any is over EVIDENCE_MAX_MB, or if
    they came in a request over EVIDENCE_MAX_TOTAL_MB (see cchc.uploads)."""
    limit = settings.EVIDENCE_MAX_MB * MB
    too_large = [upload.name for upload in uploads if upload.size > limit]
    if too_large:
        names = ", ".join(f"«{name}»" for name in too_large)
        raise ValidationError(
            f"Tệp lớn hơn {settings.EVIDENCE_MAX_MB} MB, không nhận được: {names}."
        )
    if any(isinstance(upload, TooLargeUpload) for upload in uploads):
        raise ValidationError(
            f"Các tệp gửi cùng một lần lớn hơn {settings.EVIDENCE_MAX_TOTAL_MB} MB, không "
            "nhận được: hãy gửi ít tệp hơn mỗi lần."
        )


def evidence_columns(user: User, assessment: Assessment) -> set[str]:
    """The sheet columns this user may change now: evidence changes with the unit's
    self-assessment or explanation, or with the appraisal while an appraiser is at it."""
    return editable_columns(user, sheet_state(assessment, last_event=last_event(assessment)))


def may_delete(evidence: Evidence, columns: set[str]) -> bool:
    """While explaining, the unit adds files but keeps those round 1 was appraised on."""
    return bool(columns) and (EXPLANATION not in columns or evidence.for_explanation)


@transaction.atomic
def evidence_add(
    *, assessment: Assessment, criterion: Criterion, user: User, upload: UploadedFile
) -> Evidence:
    columns = evidence_columns(user, assessment)
    if not columns:
        raise PermissionDenied("Phiếu chấm không mở để bạn sửa: không thêm tài liệu được.")
    content_type = check_upload(upload)
    evidence = Evidence(
        uid=uuid.uuid4(),
        assessment=assessment,
        criterion=criterion,
        original_name=PurePath(upload.name).name[:255],
        content_type=content_type,
        size=upload.size,
        uploaded_by=user,
        for_explanation=EXPLANATION in columns,
    )
    evidence.file.save("", upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_add_files(
    *, assessment: Assessment, criterion: Criterion, user: User, uploads: list[UploadedFile]
) -> list[Evidence]:
    """Several files at once, all or none: every file is checked before any is stored."""
    for upload in uploads:
        check_upload(upload)
    return [
        evidence_add(assessment=assessment, criterion=criterion, user=user, upload=upload)
        for upload in uploads
    ]


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User) -> None:
    if not may_delete(evidence, evidence_columns(user, evidence.assessment)):
        raise PermissionDenied(
            "Phiếu chấm không mở để bạn sửa, hoặc tệp đã dùng để thẩm định vòng 1: không xóa "
            "tài liệu được."
        )
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
