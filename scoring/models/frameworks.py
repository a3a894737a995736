"""Criteria frameworks (bộ chỉ số) and their criteria trees.

Derived criterion fields (depth, sort key, leaf flag, closure links) are written only by
`scoring.services.framework_rebuild_tree`, never by hand.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from scoring.models.units import UnitLevel

POINTS = {"max_digits": 8, "decimal_places": 3}
# What a framework in use may still change: the last year it applies to.
SPAN_FIELDS = ("year_to",)
FROZEN_MESSAGE = (
    "Bộ chỉ số «{name}» đã được dùng để chấm điểm nên không thể sửa. "
    "Muốn thay đổi, hãy tạo một bộ chỉ số (phiên bản) mới."
)


class Framework(models.Model):
    """A bộ chỉ số for one level of unit and a span of years; frozen once used."""

    name = models.CharField("tên bộ chỉ số", max_length=255, unique=True)
    level = models.CharField("áp dụng cho cấp", max_length=20, choices=UnitLevel.choices)
    year_from = models.PositiveSmallIntegerField("áp dụng từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm", null=True, blank=True)
    decision = models.CharField("quyết định ban hành", max_length=500, blank=True)

    class Meta:
        verbose_name = "bộ chỉ số"
        verbose_name_plural = "bộ chỉ số"
        ordering = ["level", "-year_from", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_frozen(self) -> bool:
        return self.pk is not None and self.assessments.exists()

    def clean(self) -> None:
        if self.year_to is not None and self.year_to < self.year_from:
            raise ValidationError({"year_to": "Năm kết thúc không được trước năm bắt đầu."})
        if self.is_frozen:
            self._check_frozen()

    def _check_frozen(self) -> None:
        """A framework in use keeps its criteria and everything else, but its span may
        still move ("đến năm"): a province keeping the same bộ chỉ số another year
        extends it, as long as it still covers every year it scored."""
        stored = Framework.objects.get(pk=self.pk)
        changed = {
            f.name
            for f in self._meta.concrete_fields
            if getattr(stored, f.attname) != getattr(self, f.attname)
        }
        if changed - set(SPAN_FIELDS):
            raise ValidationError(FROZEN_MESSAGE.format(name=stored.name))
        last_scored = self.assessments.aggregate(last=models.Max("year"))["last"]
        if self.year_to is not None and self.year_to < last_scored:
            raise ValidationError(
                {
                    "year_to": f"Bộ chỉ số đã dùng để chấm điểm năm {last_scored} nên phải "
                    f"áp dụng ít nhất đến năm {last_scored}."
                }
            )


class CriterionSource(models.TextChoices):
    ASSESSMENT = "assessment", "Tự đánh giá, thẩm định"
    SURVEY = "survey", "Điều tra xã hội học"


class Criterion(models.Model):
    """A node of a framework: field (lĩnh vực), criterion or sub-criterion."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="criteria", verbose_name="bộ chỉ số"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="tiêu chí cha",
    )
    code = models.CharField("mã", max_length=30)
    title = models.TextField("nội dung")
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    min_points = models.DecimalField("điểm thấp nhất", default=Decimal(0), **POINTS)
    source = models.CharField(
        "nguồn điểm",
        max_length=20,
        choices=CriterionSource.choices,
        default=CriterionSource.ASSESSMENT,
    )
    order = models.PositiveIntegerField("thứ tự", default=0)
    # Compact text read by scoring.rules ("tiers: Kịp thời=1; Không kịp thời=0,5"); empty = manual.
    rule = models.CharField("quy tắc chấm", max_length=500, blank=True)
    # Derived by framework_rebuild_tree.
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_key = models.CharField(max_length=255, default="", editable=False)
    is_leaf = models.BooleanField(default=True, editable=False)

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["framework", "sort_key"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="criterion_unique_code"),
        ]
        indexes = [
            # Tree order of one framework: breakdowns, admin lists, exports.
            models.Index(fields=["framework", "sort_key"], name="criterion_tree_order"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    def clean(self) -> None:
        if self.framework_id and self.framework.is_frozen:
            raise ValidationError(FROZEN_MESSAGE.format(name=self.framework.name))
        bounds_known = self.min_points is not None and self.max_points is not None
        if bounds_known and self.min_points > self.max_points:
            raise ValidationError({"min_points": "Điểm thấp nhất không được lớn hơn điểm tối đa."})
        if self.parent_id and self.parent.framework_id != self.framework_id:
            raise ValidationError({"parent": "Tiêu chí cha phải thuộc cùng bộ chỉ số."})


class CriterionLink(models.Model):
    """Closure table: one row per (ancestor, descendant) pair, a node being its own at 0.

    Lets the database roll leaf scores up to every level in one GROUP BY.
    """

    ancestor = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="descendant_links"
    )
    descendant = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="ancestor_links"
    )
    distance = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ancestor", "descendant"], name="criterion_link_pair")
        ]
        indexes = [
            # Roll-up: from a leaf's score to all of its ancestors.
            models.Index(fields=["descendant", "ancestor"], name="criterion_link_up"),
        ]

    def __str__(self) -> str:
        return f"{self.ancestor_id} → {self.descendant_id} ({self.distance})"
