"""The stored totals of every assessment, kept by the scoring engine.

`scoring.engine.refresh_tallies` rewrites them, in SQL and in the transaction of each
write that can move them (sheet saves, imports, not-applicable marks, workflow steps,
the admin). Rankings, dashboards, analyses, exports and PDFs read them instead of
summing every score again; `manage.py verify_tallies` recomputes everything from the
scores and reports any difference.

Points are exact integer thousandths ("milli-points"), as the engine sums them. A leaf
that does not apply leaves both the points and the max.
"""

from django.db import models

from scoring.models.assessments import Assessment
from scoring.models.frameworks import Criterion


class TallyColumns(models.Model):
    """What a field and a whole assessment both keep."""

    max_milli = models.BigIntegerField("điểm tối đa (phần nghìn)")
    # Appraised where there is an appraised score, else self: the points the ranking uses.
    achieved_milli = models.BigIntegerField("điểm đạt (phần nghìn)")
    # The unit's own scores; None while it has entered none on an applicable leaf.
    self_milli = models.BigIntegerField("điểm tự chấm (phần nghìn)", null=True)
    # The survey part ("điều tra xã hội học"); survey_leaves counts the framework's
    # survey leaves, applicable or not, so 0 means the part does not exist.
    survey_leaves = models.PositiveIntegerField("số tiêu chí điều tra")
    survey_max_milli = models.BigIntegerField("điểm tối đa phần điều tra (phần nghìn)")
    survey_achieved_milli = models.BigIntegerField("điểm đạt phần điều tra (phần nghìn)")
    applicable_leaves = models.PositiveIntegerField("số tiêu chí áp dụng")
    self_scored_leaves = models.PositiveIntegerField("số tiêu chí đã tự chấm")
    appraised_leaves = models.PositiveIntegerField("số tiêu chí đã thẩm định")
    scored_leaves = models.PositiveIntegerField("số tiêu chí đã có điểm")

    class Meta:
        abstract = True


class AssessmentTally(TallyColumns):
    assessment = models.OneToOneField(
        Assessment,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="tally",
        verbose_name="kết quả",
    )

    class Meta:
        verbose_name = "tổng điểm đã tính"
        verbose_name_plural = "tổng điểm đã tính"

    def __str__(self) -> str:
        return f"Tổng điểm: {self.assessment_id}"


class FieldTally(TallyColumns):
    """One top-level field (lĩnh vực) of one assessment."""

    # No index of its own: the unique (assessment, field) index serves it.
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        related_name="field_tallies",
        verbose_name="kết quả",
        db_index=False,
    )
    field = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="+", verbose_name="lĩnh vực"
    )

    class Meta:
        verbose_name = "tổng điểm lĩnh vực đã tính"
        verbose_name_plural = "tổng điểm lĩnh vực đã tính"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "field"], name="field_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"Tổng điểm lĩnh vực {self.field_id}: {self.assessment_id}"
