from django.core.management.base import BaseCommand

from cchc.formatting import format_number
from scoring.importing import ImportFailed, import_framework
from scoring.management.commands._importing import failure


class Command(BaseCommand):
    help = "Tạo một bộ chỉ số cùng các tiêu chí của nó từ tệp .xlsx hoặc .csv."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="cột code, parent_code, title, max_points")
        parser.add_argument("--name", required=True, help="tên bộ chỉ số (chưa có)")
        parser.add_argument("--level", required=True, help="province, district, commune, xã...")
        parser.add_argument("--year-from", type=int, required=True)
        parser.add_argument("--year-to", type=int)
        parser.add_argument("--decision", default="", help="quyết định ban hành")

    def handle(self, *args, **options) -> None:
        try:
            framework, summary = import_framework(
                options["file"],
                name=options["name"],
                level=options["level"],
                year_from=options["year_from"],
                year_to=options["year_to"],
                decision=options["decision"],
            )
        except ImportFailed as error:
            raise failure(self, error) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo bộ chỉ số «{framework.name}» "
                f"với {format_number(summary.created)} tiêu chí."
            )
        )
