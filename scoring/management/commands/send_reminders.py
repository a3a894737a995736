from django.core.management.base import BaseCommand
from django.utils import timezone

from scoring.models import Notification
from scoring.notifications.reminders import send_reminders

Kind = Notification.Kind


class Command(BaseCommand):
    help = (
        "Gửi nhắc việc đến hạn: sắp hết hạn tự đánh giá, sắp hết hạn thẩm định, nhiệm vụ "
        "khắc phục quá hạn. Mỗi nhắc việc chỉ gửi một lần; chạy mỗi giờ (cron, systemd timer) "
        "trên một hay nhiều máy chủ đều được."
    )

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        run = send_reminders(today=today)
        self.stdout.write(
            f"Nhắc việc ngày {today:%d/%m/%Y}: "
            f"{run.count(Kind.SELF_DEADLINE)} nhắc hạn tự đánh giá, "
            f"{run.count(Kind.APPRAISAL_DEADLINE)} nhắc hạn thẩm định, "
            f"{run.count(Kind.TASK_OVERDUE)} nhắc nhiệm vụ quá hạn; "
            f"{run.emailed} đã gửi qua e-mail."
        )
