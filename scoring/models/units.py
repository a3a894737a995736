"""Units, the khối they are ranked in, and the classification bands of a khối."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from cchc.formatting import format_percent


class UnitLevel(models.TextChoices):
    PROVINCE = "province", "Tỉnh, thành phố"
    DEPARTMENT = "department", "Sở, ban, ngành"
    DISTRICT = "district", "Huyện, thị xã, thành phố"
    COMMUNE = "commune", "Xã, phường, thị trấn"


# How high a level stands: a unit sits only under a unit of a higher one (a
# commune under a district or, since districts are being merged away, a province).
LEVEL_RANK = {
    UnitLevel.PROVINCE: 0,
    UnitLevel.DEPARTMENT: 1,
    UnitLevel.DISTRICT: 1,
    UnitLevel.COMMUNE: 2,
}


class RankingGroup(models.Model):
    """A khối: the peers a unit is ranked against."""

    name = models.CharField("tên khối", max_length=200, unique=True)
    description = models.TextField("mô tả", blank=True)

    class Meta:
        verbose_name = "khối xếp hạng"
        verbose_name_plural = "khối xếp hạng"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClassificationBand(models.Model):
    """A unit whose index is at least `min_index` (and below the next band) gets `label`."""

    group = models.ForeignKey(
        RankingGroup, on_delete=models.CASCADE, related_name="bands", verbose_name="khối"
    )
    label = models.CharField("xếp loại", max_length=100)
    min_index = models.DecimalField(
        "chỉ số tối thiểu (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = "mức xếp loại"
        verbose_name_plural = "mức xếp loại"
        ordering = ["group", "-min_index"]
        constraints = [
            models.UniqueConstraint(fields=["group", "min_index"], name="band_unique_threshold")
        ]

    def __str__(self) -> str:
        return f"{self.label} (≥ {format_percent(self.min_index)}%)"


class Unit(models.Model):
    code = models.CharField("mã đơn vị", max_length=50, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    level = models.CharField("cấp", max_length=20, choices=UnitLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="đơn vị cấp trên",
    )
    ranking_group = models.ForeignKey(
        RankingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name="khối xếp hạng hiện tại",
    )
    # The 2025 reorganisation: a commune merged out of three, or split out of one, has
    # results of its own only from `formed_in`; the years before are its predecessors'.
    formed_in = models.PositiveSmallIntegerField("có kết quả riêng từ năm", null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name="hợp nhất, chia tách từ các đơn vị",
    )

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        if self.parent and self.level and LEVEL_RANK[self.parent.level] >= LEVEL_RANK[self.level]:
            raise ValidationError(
                {
                    "parent": f"Đơn vị cấp «{self.get_level_display()}» không thể trực thuộc "
                    f"đơn vị cấp «{self.parent.get_level_display()}»."
                }
            )
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "Đơn vị cấp trên tạo thành vòng lặp."})
            ancestor = ancestor.parent
