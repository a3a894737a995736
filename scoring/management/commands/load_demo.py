"""Load the demo data: real results from fixtures/ among synthetic peers."""

from django.core.management.base import BaseCommand

from cchc.formatting import format_number
from scoring.demo import demo_load
from scoring.models import Assessment, Framework, Score, Unit

COUNTED = {"bộ chỉ số": Framework, "đơn vị": Unit, "kết quả": Assessment, "điểm": Score}


def counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in COUNTED.items()}


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: kết quả thật của xã Cẩm Sơn (2023) và huyện An Lão (2021) trong "
        "fixtures/, cùng các đơn vị giả lập để xếp hạng. Chạy lại chỉ tạo phần còn thiếu, "
        "không sửa phần đã có."
    )

    def handle(self, *args, **options) -> None:
        before = counts()
        demo_load()
        added = {label: number - before[label] for label, number in counts().items()}
        if not any(added.values()):
            self.stdout.write("Dữ liệu mẫu đã có đủ, không tạo thêm gì.")
            return
        made = ", ".join(f"{format_number(number)} {label}" for label, number in added.items())
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu: {made}."))
