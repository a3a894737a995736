"""What a user is told: in the app (the bell) and by e-mail."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """One item in a user's bell, e-mailed too when the user has an address.

    A reminder carries a `key` (what it reminds of, e.g. "self-deadline:<assessment>:
    <date>"); a user gets a key once, which the database enforces, so `send_reminders`
    run on several servers at once sends each reminder once."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Đơn vị gửi phiếu thẩm định"
        RETURNED = "returned", "Phiếu bị trả lại"
        PUBLISHED = "published", "Kết quả được công bố"
        SELF_DEADLINE = "self_deadline", "Sắp hết hạn tự đánh giá"
        APPRAISAL_DEADLINE = "appraisal_deadline", "Sắp hết hạn thẩm định"
        TASK_OVERDUE = "task_overdue", "Nhiệm vụ khắc phục quá hạn"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="người nhận",
    )
    kind = models.CharField("loại", max_length=30, choices=Kind.choices)
    message = models.TextField("nội dung")
    # A path inside the site ("/danh-gia/12/"); e-mails make it absolute with SITE_URL.
    link = models.CharField("liên kết", max_length=500, blank=True)
    key = models.CharField("khóa nhắc việc", max_length=200, blank=True)
    created_at = models.DateTimeField("lúc", auto_now_add=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)
    emailed_at = models.DateTimeField("đã gửi e-mail lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"], condition=~Q(key=""), name="notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.message[:80]
