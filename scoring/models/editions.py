"""How the criteria of a framework edition answer to those of the edition before it.

Comparisons across editions match criteria by code until Nội vụ maps the pair: from
then on only the mapped counterparts count, and a criterion without one has none
(`scoring.editions.edition_counterparts` reads both).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from scoring.models.frameworks import Criterion, Framework


class EditionMapping(models.Model):
    """Nội vụ's mapping of `framework`'s criteria to those of `previous`, its earlier edition."""

    framework = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="mappings_to_previous",
        verbose_name="bộ chỉ số mới",
    )
    previous = models.ForeignKey(
        Framework,
        on_delete=models.CASCADE,
        related_name="mappings_from_next",
        verbose_name="bộ chỉ số trước",
    )
    mapped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người đối chiếu",
    )
    mapped_at = models.DateTimeField("đối chiếu lúc", auto_now=True)

    class Meta:
        verbose_name = "đối chiếu tiêu chí giữa hai bộ chỉ số"
        verbose_name_plural = "đối chiếu tiêu chí giữa hai bộ chỉ số"
        ordering = ["framework", "previous"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "previous"], name="edition_mapping_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.framework} ← {self.previous}"

    def clean(self) -> None:
        if not (self.framework_id and self.previous_id):
            return
        if self.framework_id == self.previous_id:
            raise ValidationError({"previous": "Hãy chọn một bộ chỉ số khác để đối chiếu."})
        if self.framework.level != self.previous.level:
            raise ValidationError(
                {"previous": "Hai bộ chỉ số phải áp dụng cho cùng một cấp đơn vị."}
            )
        if self.previous.year_from >= self.framework.year_from:
            raise ValidationError(
                {"previous": "Bộ chỉ số trước phải áp dụng từ một năm trước bộ chỉ số mới."}
            )


class CriterionCounterpart(models.Model):
    """One criterion of the new edition and one it continues in the previous edition.

    A new criterion may continue several old ones (two merged into one), and an old one
    may be continued by several new ones (one split in two)."""

    mapping = models.ForeignKey(
        EditionMapping,
        on_delete=models.CASCADE,
        related_name="counterparts",
        verbose_name="đối chiếu",
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="+", verbose_name="tiêu chí mới"
    )
    previous = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="+", verbose_name="tiêu chí trước"
    )

    class Meta:
        verbose_name = "tiêu chí tương ứng"
        verbose_name_plural = "tiêu chí tương ứng"
        ordering = ["mapping", "criterion__sort_key", "previous__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["mapping", "criterion", "previous"], name="criterion_counterpart_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} ← {self.previous.code}"

    def clean(self) -> None:
        if not (self.mapping_id and self.criterion_id and self.previous_id):
            return
        if self.criterion.framework_id != self.mapping.framework_id:
            raise ValidationError({"criterion": "Tiêu chí mới không thuộc bộ chỉ số mới."})
        if self.previous.framework_id != self.mapping.previous_id:
            raise ValidationError({"previous": "Tiêu chí trước không thuộc bộ chỉ số trước."})
