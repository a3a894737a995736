"""Tài liệu kiểm chứng: files attached to a criterion of an assessment."""

from django.conf import settings
from django.db import models

from scoring.models.assessments import Assessment
from scoring.models.frameworks import Criterion


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name says nothing about the file or its unit: only the view serves it.
    return f"evidence/{instance.uid.hex}"


class Evidence(models.Model):
    """A tài liệu kiểm chứng attached to one criterion of one assessment."""

    uid = models.UUIDField(unique=True, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="evidence", verbose_name="kết quả"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="evidence", verbose_name="tiêu chí"
    )
    file = models.FileField("tệp", upload_to=evidence_path, max_length=200)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("loại tệp", max_length=150)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    # Added by the unit with its explanation (giải trình) after appraisal round 1.
    for_explanation = models.BooleanField("bổ sung khi giải trình", default=False)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["uploaded_at", "id"]
        indexes = [
            # Evidence counts and lists of one sheet, per criterion.
            models.Index(fields=["assessment", "criterion"], name="evidence_sheet"),
        ]

    def __str__(self) -> str:
        return self.original_name
