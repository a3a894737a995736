"""Assessments, their scores and the workflow log.

Points are Decimal with three places, as some provinces publish them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from cchc.formatting import format_points
from scoring.models.frameworks import POINTS, Criterion, Framework
from scoring.models.units import RankingGroup, Unit


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã gửi thẩm định"
    APPRAISED = "appraised", "Đã thẩm định"
    PUBLISHED = "published", "Đã công bố"


# Results whose points no longer move: what analyses and last year's comparisons read.
SETTLED_STATUSES = (AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED)


class Assessment(models.Model):
    """One unit's scoring in one year against one framework.

    `ranking_group` is the khối the unit was ranked in that year, copied when the
    assessment is made, so later changes of a unit's group do not move history.
    """

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assessments", verbose_name="đơn vị"
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name="bộ chỉ số"
    )
    ranking_group = models.ForeignKey(
        RankingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name="khối xếp hạng năm đó",
    )
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    # Optimistic concurrency: every save of the sheet bumps it; a form that
    # carries an older version was read before someone else saved.
    version = models.PositiveIntegerField("phiên bản", default=0)
    # 1 until a two-round year's sheet is returned for explanation (giải trình), then 2.
    appraisal_round = models.PositiveSmallIntegerField("vòng thẩm định", default=1)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "kết quả đánh giá"
        verbose_name_plural = "kết quả đánh giá"
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="assessment_unit_year"),
        ]
        indexes = [
            # Ranking of one group and year.
            models.Index(fields=["year", "ranking_group"], name="assessment_group_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} - năm {self.year}"

    def clean(self) -> None:
        if self.unit_id and self.ranking_group_id is None:
            self.ranking_group = self.unit.ranking_group
        if self.framework_id and self.unit_id and self.framework.level != self.unit.level:
            raise ValidationError({"framework": "Bộ chỉ số không áp dụng cho cấp của đơn vị này."})


class Score(models.Model):
    """The points of one leaf criterion in one assessment."""

    # No index of its own: the unique (assessment, criterion) index serves it.
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name="kết quả",
        db_index=False,
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name="tiêu chí"
    )
    self_score = models.DecimalField("điểm tự đánh giá", null=True, blank=True, **POINTS)
    appraised_score = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)
    note = models.TextField("ghi chú, lý do trừ điểm", blank=True)
    not_applicable = models.BooleanField("không áp dụng", default=False)
    appraisal_comment = models.TextField("nhận xét thẩm định", blank=True)
    not_applicable_reason = models.TextField("lý do không áp dụng", blank=True)
    # Two-round years: round 1 as it stood when the sheet went back for explanation
    # (appraised_score then carries the last round), and the unit's explanation.
    first_round_score = models.DecimalField(
        "điểm thẩm định vòng 1", null=True, blank=True, **POINTS
    )
    first_round_comment = models.TextField("nhận xét thẩm định vòng 1", blank=True)
    explanation_agrees = models.BooleanField("đơn vị đồng ý với vòng 1", null=True, blank=True)
    explanation = models.TextField("giải trình của đơn vị", blank=True)
    # The fact a unit declares under a scoring rule; the points follow from it.
    declared_tier = models.CharField("mức đã chọn", max_length=200, blank=True)
    declared_ratio = models.DecimalField(
        "tỷ lệ đã kê khai (%)", max_digits=7, decimal_places=3, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "điểm"
        verbose_name_plural = "điểm"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_unique_leaf"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {format_points(self.final_score)}"

    @property
    def final_score(self) -> Decimal | None:
        return self.appraised_score if self.appraised_score is not None else self.self_score

    def clean(self) -> None:
        if self.criterion_id is None:  # the form reports the missing field itself
            return
        criterion = self.criterion
        if not criterion.is_leaf:
            raise ValidationError(
                {"criterion": f"Tiêu chí {criterion.code} có tiêu chí con, không chấm trực tiếp."}
            )
        if self.assessment_id and criterion.framework_id != self.assessment.framework_id:
            raise ValidationError(
                {"criterion": "Tiêu chí không thuộc bộ chỉ số của kết quả đánh giá này."}
            )
        errors = {}
        for field in ("self_score", "appraised_score"):
            value = getattr(self, field)
            if value is not None and not criterion.min_points <= value <= criterion.max_points:
                errors[field] = (
                    f"Điểm phải từ {format_points(criterion.min_points)} "
                    f"đến {format_points(criterion.max_points)}."
                )
        if errors:
            raise ValidationError(errors)


class AssessmentEvent(models.Model):
    """One workflow step of an assessment: who moved it, when, from what to what, why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Gửi thẩm định"
        APPRAISE = "appraise", "Hoàn tất thẩm định"
        RETURN = "return", "Trả lại để giải trình"
        PUBLISH = "publish", "Công bố"
        REOPEN = "reopen", "Mở lại"
        ACCEPT_SELF = "accept_self", "Chấp nhận điểm tự chấm cho các tiêu chí còn trống"
        EXTEND = "extend", "Gia hạn tự đánh giá"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="events", verbose_name="kết quả"
    )
    action = models.CharField("thao tác", max_length=20, choices=Action.choices)
    from_status = models.CharField("từ trạng thái", max_length=20, choices=AssessmentStatus.choices)
    to_status = models.CharField("sang trạng thái", max_length=20, choices=AssessmentStatus.choices)
    reason = models.TextField("lý do", blank=True)
    # EXTEND: the unit's own new self-assessment deadline.
    deadline = models.DateField("gia hạn đến", null=True, blank=True)
    # APPRAISE: the appraisal round it closed and the full name of the person signing it off.
    appraisal_round = models.PositiveSmallIntegerField("vòng thẩm định", null=True, blank=True)
    signer_name = models.CharField("người ký", max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người thực hiện",
    )
    at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        verbose_name = "bước xử lý"
        verbose_name_plural = "nhật ký xử lý"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.assessment}"
