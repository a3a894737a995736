from django.core.management.base import BaseCommand

from cchc.formatting import format_number
from scoring.importing import ImportFailed, import_scores
from scoring.management.commands._importing import failure


class Command(BaseCommand):
    help = "Nhập điểm một năm từ tệp .xlsx hoặc .csv, tạo các kết quả đánh giá còn thiếu."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", help="cột unit_code, criterion_code, self_score, appraised_score, note"
        )
        parser.add_argument("--year", type=int, required=True, help="năm đánh giá")
        parser.add_argument(
            "--framework", help="tên bộ chỉ số; mặc định: bộ áp dụng cho cấp đơn vị năm đó"
        )

    def handle(self, *args, **options) -> None:
        try:
            summary = import_scores(
                options["file"], year=options["year"], framework_name=options["framework"]
            )
        except ImportFailed as error:
            raise failure(self, error) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập điểm: {format_number(summary.created)} dòng tạo mới, "
                f"{format_number(summary.updated)} dòng cập nhật."
            )
        )
