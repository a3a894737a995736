"""Remediation plans (Kế hoạch khắc phục tồn tại, hạn chế), their tasks and progress.

Points are never stored here: a plan reads its unit's deductions from
`scoring.engine.assessment_breakdown` whenever it is shown or printed.

`edited_fields` on plans, sections and tasks lists the fields a person changed;
drafting again refreshes only the other fields and adds what is new.
"""

import uuid
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from scoring.models import AssessmentStatus, Criterion, Unit

MONEY = {"max_digits": 14, "decimal_places": 3}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ISSUED = "issued", "Đã ban hành"
    # An issued plan another version replaced or corrected: kept, files and all.
    SUPERSEDED = "superseded", "Đã được thay thế"


class CorrectionKind(models.TextChoices):
    """How a later version relates to the issued plan before it."""

    REPLACEMENT = "replacement", "Thay thế"
    ERRATUM = "erratum", "Đính chính"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    CANCELLED = "cancelled", "Không thực hiện"


OPEN_STATUSES = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS)
# A plan answers the appraised deductions, not the unit's own estimate of them.
RESULT_STATUSES = (AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED)


class Agency(models.Model):
    """A lead or coordinator (cơ quan, bộ phận, chức danh) offered again in a jurisdiction."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="agencies", verbose_name="đơn vị"
    )
    name = models.CharField("tên cơ quan, bộ phận, chức danh", max_length=255)

    class Meta:
        verbose_name = "cơ quan chủ trì, phối hợp"
        verbose_name_plural = "cơ quan chủ trì, phối hợp"
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="agency_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


def issued_path(instance: "Plan", filename: str) -> str:
    return f"remediation/plans/{instance.unit_id}/{uuid.uuid4().hex}{PurePath(filename).suffix}"


def signed_path(instance: "Plan", filename: str) -> str:
    """A random name: what the sender called the file is kept in `signed_name`."""
    return f"remediation/signed/{instance.unit_id}/{uuid.uuid4().hex}"


class Plan(models.Model):
    """One unit's remediation plan for the results of one year (Mẫu 1.4, ký hiệu KH)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="remediation_plans", verbose_name="đơn vị"
    )
    year = models.PositiveSmallIntegerField("năm kết quả Chỉ số")
    number = models.CharField("số, ký hiệu", max_length=100, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    summary = models.CharField("trích yếu", max_length=500)
    supervising_agency = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    issuing_agency = models.CharField("cơ quan ban hành", max_length=255)
    legal_bases = models.TextField("căn cứ (mỗi dòng một căn cứ)", blank=True)
    purpose = models.TextField("mục đích (mỗi dòng một ý)", blank=True)
    requirements = models.TextField("yêu cầu (mỗi dòng một ý)", blank=True)
    organisation = models.TextField("tổ chức thực hiện (mỗi dòng một đoạn)", blank=True)
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)", blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=100, blank=True)
    signer_position = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=100, blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # None: the task matrix is printed when a task says more than its criterion.
    print_appendix = models.BooleanField("in phụ lục nhiệm vụ", null=True, blank=True)
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name="thay thế, đính chính kế hoạch",
    )
    correction_kind = models.CharField(
        "hình thức", max_length=20, choices=CorrectionKind.choices, blank=True
    )
    issued_at = models.DateTimeField("ban hành lúc", null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người ban hành",
    )
    # The files as issued: written once, never rendered again.
    issued_pdf = models.FileField("bản PDF ban hành", upload_to=issued_path, blank=True)
    issued_docx = models.FileField("bản Word ban hành", upload_to=issued_path, blank=True)
    signed_file = models.FileField("bản đã ký", upload_to=signed_path, blank=True)
    signed_name = models.CharField("tên tệp đã ký", max_length=255, blank=True)
    signed_uploaded_at = models.DateTimeField("tải bản ký lúc", null=True, blank=True)
    signed_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người tải bản ký",
    )
    # What pyHanko read from the signed PDF when it was uploaded: signer, time, intact.
    signatures = models.JSONField("chữ ký số", default=list, blank=True, editable=False)
    edited_fields = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "kế hoạch khắc phục"
        verbose_name_plural = "kế hoạch khắc phục"
        # The newest version first, so `.first()` of a unit and year is the one in force.
        ordering = ["-year", "unit__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "version"], name="plan_unit_year_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Kế hoạch khắc phục năm {self.year} - {self.unit.name}"

    @property
    def work_year(self) -> int:
        """The year the plan is carried out in: the one after the results."""
        return self.year + 1


# Set only by the issuing services (remediation.services.issuing): the admin shows them
# read-only and a correction does not copy them.
ISSUING_FIELDS = (
    "status",
    "version",
    "replaces",
    "correction_kind",
    "issued_at",
    "issued_by",
    "issued_pdf",
    "issued_docx",
    "signed_file",
    "signed_name",
    "signed_uploaded_at",
    "signed_uploaded_by",
    "signatures",
)


class Section(models.Model):
    """Part III of the plan for one field (lĩnh vực) that lost points."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name="kế hoạch"
    )
    field = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name="lĩnh vực"
    )
    order = models.PositiveIntegerField("thứ tự", default=0)
    # Drafted from the field's deducted criteria and the appraisers' comments, one
    # line a paragraph ("+ " opens a line under the one before); people edit it.
    deductions = models.TextField("nội dung bị trừ điểm", blank=True)
    deadline = models.CharField("thời gian khắc phục", max_length=200, blank=True)
    lead = models.CharField("chủ trì thực hiện", max_length=500, blank=True)
    coordinators = models.CharField("phối hợp", max_length=1000, blank=True)
    solutions = models.TextField("giải pháp thực hiện (mỗi dòng một giải pháp)", blank=True)
    edited_fields = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "phần khắc phục theo lĩnh vực"
        verbose_name_plural = "phần khắc phục theo lĩnh vực"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "field"], name="section_plan_field"),
        ]

    def __str__(self) -> str:
        return f"{self.field.code}. {self.field.title}"


class Task(models.Model):
    """A row of the task matrix (phụ lục): what is done about some deducted criteria."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="kế hoạch"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="tasks", verbose_name="lĩnh vực"
    )
    criteria = models.ManyToManyField(
        Criterion, related_name="+", blank=True, verbose_name="tiêu chí bị trừ điểm"
    )
    order = models.PositiveIntegerField("thứ tự", default=0)
    objective = models.TextField("mục tiêu, chỉ tiêu", blank=True)
    name = models.TextField("nhiệm vụ", blank=True)
    activities = models.TextField("hoạt động", blank=True)
    output = models.TextField("kết quả, sản phẩm", blank=True)
    lead = models.CharField("chủ trì", max_length=500, blank=True)
    coordinators = models.CharField("phối hợp", max_length=1000, blank=True)
    deadline = models.CharField("thời gian hoàn thành", max_length=200, blank=True)
    # From `deadline` (remediation.deadlines) unless a person set it: see edited_fields.
    due_date = models.DateField("hạn tính quá hạn", null=True, blank=True)
    budget = models.CharField("kinh phí", max_length=200, blank=True)
    # From `budget` (remediation.budgets): triệu đồng, None when it names a basis.
    budget_amount = models.DecimalField(
        "kinh phí (triệu đồng)", null=True, blank=True, editable=False, **MONEY
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        "tiến độ (%)", default=0, validators=[MaxValueValidator(100)]
    )
    edited_fields = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["plan", "section__order", "order", "pk"]
        indexes = [
            # Overdue counts of every plan in a jurisdiction.
            models.Index(fields=["plan", "status", "due_date"], name="task_overdue"),
        ]

    def __str__(self) -> str:
        return self.name or self.objective or f"Nhiệm vụ {self.pk}"

    def is_overdue(self, on: date) -> bool:
        return overdue(self.status, self.due_date, on)


def overdue(status: str, due: date | None, on: date) -> bool:
    """Still open on `on` although the due date has passed (selectors.overdue_q in SQL)."""
    return status in OPEN_STATUSES and due is not None and due < on


def evidence_path(instance: "ProgressUpdate", filename: str) -> str:
    """A random name: what the sender called the file is kept in `evidence_name`."""
    return f"remediation/{instance.task.plan_id}/{instance.task_id}/{uuid.uuid4().hex}"


class ProgressUpdate(models.Model):
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="updates", verbose_name="nhiệm vụ"
    )
    reported_on = models.DateField("ngày báo cáo")
    status = models.CharField("trạng thái", max_length=20, choices=TaskStatus.choices)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", validators=[MaxValueValidator(100)])
    note = models.TextField("nội dung", blank=True)
    evidence = models.FileField("tài liệu kiểm chứng", upload_to=evidence_path, blank=True)
    evidence_name = models.CharField("tên tệp kiểm chứng", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người cập nhật",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "cập nhật tiến độ"
        verbose_name_plural = "cập nhật tiến độ"
        ordering = ["task", "reported_on", "pk"]

    def __str__(self) -> str:
        return f"{self.task} - {self.reported_on:%d/%m/%Y}"
