"""A jurisdiction's yearly cycle: its calendar, and the decisions that publish its results."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from scoring.models.units import RankingGroup, Unit, UnitLevel

NOTHING_BELOW = "Đơn vị cấp xã không có đơn vị trực thuộc nên không mở kỳ đánh giá."


class ScoringCalendar(models.Model):
    """The deadlines of one jurisdiction's cycle in one year.

    Nội vụ of `unit` opens the cycle for the units below it; a unit's dates are those
    of the nearest unit above it with a calendar for the year (a commune's district's
    if the district opened one, else its province's). Whether a sheet is open is worked
    out from these dates and the assessment's status when it is read, never stored."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="calendars",
        verbose_name="đơn vị mở kỳ đánh giá",
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    self_assessment_closes = models.DateField("hạn tự đánh giá")
    appraisal_closes = models.DateField("hạn thẩm định")
    appraisal_rounds = models.PositiveSmallIntegerField(
        "số vòng thẩm định",
        choices=[(1, "Một vòng"), (2, "Hai vòng (thẩm định, giải trình, thẩm định lại)")],
        default=1,
    )

    class Meta:
        verbose_name = "lịch chấm điểm"
        verbose_name_plural = "lịch chấm điểm"
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="calendar_unit_year"),
        ]

    def __str__(self) -> str:
        return f"Năm {self.year} · {self.unit.name}" if self.unit_id else f"Năm {self.year}"

    def clean(self) -> None:
        if self.unit_id and self.unit.level == UnitLevel.COMMUNE:
            raise ValidationError({"unit": NOTHING_BELOW})
        # A date missing or typed wrongly is already reported by its own field.
        if self.appraisal_closes is None or self.self_assessment_closes is None:
            return
        if self.appraisal_closes < self.self_assessment_closes:
            raise ValidationError(
                {"appraisal_closes": "Hạn thẩm định không được trước hạn tự đánh giá."}
            )
        if self.appraisal_rounds != self._stored_rounds() and self._appraisal_started():
            raise ValidationError(
                {
                    "appraisal_rounds": f"Năm {self.year} đã có đơn vị hoàn tất thẩm định, "
                    "nên không đổi được số vòng thẩm định."
                }
            )

    def _stored_rounds(self) -> int:
        """The rounds the cycle ran with so far: a cycle with no calendar ran one."""
        stored = ScoringCalendar.objects.filter(pk=self.pk).values_list(
            "appraisal_rounds", flat=True
        )
        return stored.first() or 1

    def _appraisal_started(self) -> bool:
        """Whether a sheet of the year below this jurisdiction was appraised already."""
        from scoring.models.assessments import AssessmentEvent

        if self.unit_id is None:
            return False
        below = Q(assessment__unit__parent_id=self.unit_id) | Q(
            assessment__unit__parent__parent_id=self.unit_id
        )
        return AssessmentEvent.objects.filter(
            below, assessment__year=self.year, action=AssessmentEvent.Action.APPRAISE
        ).exists()


class PublicationDecision(models.Model):
    """The decision (quyết định) publishing one khối's results of one year, which the
    units' remediation plans cite as their legal basis (seed 004: "Quyết định số
    9471/QĐ-UBND ngày 26 tháng 12 năm 2023 của UBND huyện Cẩm Xuyên về việc phê duyệt
    Chỉ số cải cách hành chính năm 2023 …")."""

    group = models.ForeignKey(
        RankingGroup, on_delete=models.PROTECT, related_name="decisions", verbose_name="khối"
    )
    year = models.PositiveSmallIntegerField("năm đánh giá")
    number = models.CharField("số quyết định", max_length=100)
    signed_on = models.DateField("ngày ký")
    issuer = models.CharField("cơ quan ban hành", max_length=255)
    signer_name = models.CharField("người ký", max_length=200, blank=True)
    subject = models.CharField("trích yếu", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người ghi nhận",
    )
    recorded_at = models.DateTimeField("ghi nhận lúc", auto_now=True)

    class Meta:
        verbose_name = "quyết định công bố"
        verbose_name_plural = "quyết định công bố"
        ordering = ["-year", "group__name"]
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="decision_group_year"),
        ]

    def __str__(self) -> str:
        return f"Quyết định số {self.number} ngày {self.signed_on:%d/%m/%Y}"
