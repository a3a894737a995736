"""Evidence files (tài liệu kiểm chứng): checking, storing, deleting.

Files are stored under MEDIA_ROOT with a random name (see models.evidence_path)
and served only through the download view, which checks scope first.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from scoring.access import User
from scoring.models import Assessment, Criterion, Evidence
from scoring.workflow import editable_columns, last_event, sheet_state

# Extension -> the content types a browser may send for it.
ALLOWED_TYPES = {
    ".pdf": {"application/pdf"},
    ".doc": {"application/msword"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    ".xls": {"application/vnd.ms-excel"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
}
# Some browsers send this for any Office file; the extension still has to match.
GENERIC_TYPE = "application/octet-stream"
OFFICE = {".doc", ".docx", ".xls", ".xlsx"}
ALLOWED_LABEL = "PDF, Word (.doc, .docx), Excel (.xls, .xlsx), ảnh (.jpg, .png)"


def check_upload(upload: UploadedFile) -> str:
    """The file's content type if it is one we accept; ValidationError (Vietnamese) if not."""
    extension = PurePath(upload.name).suffix.lower()
    content_type = (upload.content_type or "").split(";")[0].strip().lower()
    allowed = ALLOWED_TYPES.get(extension)
    if allowed is None:
        raise ValidationError(f"Không nhận tệp «{upload.name}»: chỉ nhận {ALLOWED_LABEL}.")
    if content_type in allowed:
        return content_type
    if content_type == GENERIC_TYPE and extension in OFFICE:
        return next(iter(allowed))
    raise ValidationError(
        f"Tệp «{upload.name}» có nội dung ({content_type or 'không rõ'}) không khớp phần mở rộng."
    )


def check_sizes(uploads: list[UploadedFile]) -> None:
    """ValidationError (Vietnamese, naming the files) if any is over EVIDENCE_MAX_MB."""
    limit = settings.EVIDENCE_MAX_MB * 1024 * 1024
    too_large = [upload.name for upload in uploads if upload.size > limit]
    if too_large:
        names = ", ".join(f"«{name}»" for name in too_large)
        raise ValidationError(
            f"Tệp lớn hơn {settings.EVIDENCE_MAX_MB} MB, không nhận được: {names}."
        )


def may_change_evidence(user: User, assessment: Assessment) -> bool:
    """Evidence changes with the unit's self-assessment (or an appraiser while appraising)."""
    return bool(editable_columns(user, sheet_state(assessment, last_event=last_event(assessment))))


@transaction.atomic
def evidence_add(
    *, assessment: Assessment, criterion: Criterion, user: User, upload: UploadedFile
) -> Evidence:
    if not may_change_evidence(user, assessment):
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
    if not may_change_evidence(user, evidence.assessment):
        raise PermissionDenied("Phiếu chấm không mở để bạn sửa: không xóa tài liệu được.")
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))
