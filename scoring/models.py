"""Units, criteria frameworks, assessments and scores.

Points are Decimal with three places, as some provinces publish them. Derived
criterion fields (depth, sort key, leaf flag, closure links) are written only by
`scoring.services.framework_rebuild_tree`, never by hand.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from cchc.formatting import format_percent, format_points

POINTS = {"max_digits": 8, "decimal_places": 3}
FROZEN_MESSAGE = (
    "Bộ chỉ số «{name}» đã được dùng để chấm điểm nên không thể sửa. "
    "Muốn thay đổi, hãy tạo một bộ chỉ số (phiên bản) mới."
)


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

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": "Đơn vị cấp trên tạo thành vòng lặp."})
            ancestor = ancestor.parent


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
            stored = Framework.objects.get(pk=self.pk)
            changed = [
                f.name
                for f in self._meta.concrete_fields
                if getattr(stored, f.attname) != getattr(self, f.attname)
            ]
            if changed:
                raise ValidationError(FROZEN_MESSAGE.format(name=stored.name))


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


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã gửi thẩm định"
    APPRAISED = "appraised", "Đã thẩm định"
    PUBLISHED = "published", "Đã công bố"


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

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name="kết quả"
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name="tiêu chí"
    )
    self_score = models.DecimalField("điểm tự đánh giá", null=True, blank=True, **POINTS)
    appraised_score = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)
    note = models.TextField("ghi chú, lý do trừ điểm", blank=True)
    not_applicable = models.BooleanField("không áp dụng", default=False)
    appraisal_comment = models.TextField("nhận xét thẩm định", blank=True)
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


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị"
    HOME_AFFAIRS = "home_affairs", "Cán bộ Nội vụ"
    UNIT = "unit", "Đơn vị"


class Membership(models.Model):
    """What a user may do, and where.

    Cán bộ Nội vụ work on `unit` and every unit below it (their jurisdiction);
    a unit's staff on `unit` alone; administrators everywhere (no unit).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name="tài khoản",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="đơn vị",
    )

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()}"

    def clean(self) -> None:
        if self.role != Role.ADMIN and self.unit_id is None:
            raise ValidationError({"unit": "Vai trò này cần chọn đơn vị."})


class ScoringCalendar(models.Model):
    """The deadlines of one year's cycle. Whether a sheet is open is worked out
    from these dates and the assessment's status when it is read, never stored."""

    year = models.PositiveSmallIntegerField("năm đánh giá", unique=True)
    self_assessment_closes = models.DateField("hạn tự đánh giá")
    appraisal_closes = models.DateField("hạn thẩm định")

    class Meta:
        verbose_name = "lịch chấm điểm"
        verbose_name_plural = "lịch chấm điểm"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Năm {self.year}"

    def clean(self) -> None:
        if self.appraisal_closes < self.self_assessment_closes:
            raise ValidationError(
                {"appraisal_closes": "Hạn thẩm định không được trước hạn tự đánh giá."}
            )


class AssessmentEvent(models.Model):
    """One workflow step of an assessment: who moved it, when, from what to what, why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Gửi thẩm định"
        APPRAISE = "appraise", "Hoàn tất thẩm định"
        RETURN = "return", "Trả lại để giải trình"
        PUBLISH = "publish", "Công bố"
        REOPEN = "reopen", "Mở lại"

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="events", verbose_name="kết quả"
    )
    action = models.CharField("thao tác", max_length=20, choices=Action.choices)
    from_status = models.CharField("từ trạng thái", max_length=20, choices=AssessmentStatus.choices)
    to_status = models.CharField("sang trạng thái", max_length=20, choices=AssessmentStatus.choices)
    reason = models.TextField("lý do", blank=True)
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
