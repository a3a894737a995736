from django.core.management.base import BaseCommand

from cchc.formatting import format_number
from scoring.importing import ImportFailed, import_units
from scoring.management.commands._importing import failure


class Command(BaseCommand):
    help = "Nhập hoặc cập nhật đơn vị từ tệp .xlsx hoặc .csv."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "file", help="cột code, name, level, parent_code, group, predecessor_codes, formed_in"
        )

    def handle(self, *args, **options) -> None:
        try:
            summary = import_units(options["file"])
        except ImportFailed as error:
            raise failure(self, error) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập đơn vị: {format_number(summary.created)} tạo mới, "
                f"{format_number(summary.updated)} cập nhật."
            )
        )
