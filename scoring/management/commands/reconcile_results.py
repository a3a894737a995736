"""Check a published results table against itself and against what the system computed."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.formatting import format_number
from scoring.reconcile import reconcile_table
from scoring.reconcile.report import table_from_path
from scoring.resources.reading import ImportFailed


class Command(BaseCommand):
    help = (
        "Đối chiếu một bảng kết quả đã công bố (.csv hoặc .xlsx): bảng xếp hạng (mã hoặc tên "
        "đơn vị, điểm các lĩnh vực, tổng điểm, chỉ số, xếp hạng, xếp loại: cột nào có thì "
        "kiểm cột đó) hoặc bảng chi tiết của một đơn vị (TT, nội dung, điểm tối đa, điểm "
        "đạt, điểm bị trừ). Kiểm các số trong bảng với nhau và, với bảng xếp hạng, với kết "
        "quả hệ thống đã tính (ở bất kỳ trạng thái nào, có ghi trạng thái). Thoát mã 1 khi "
        "có chỗ sai lệch."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Tệp bảng kết quả (.csv hoặc .xlsx).")
        parser.add_argument("--year", type=int, required=True, help="Năm kết quả của bảng.")
        parser.add_argument(
            "--unit",
            default="",
            help="Mã đơn vị của bảng chi tiết: so thêm với điểm hệ thống đã tính cho đơn vị này.",
        )

    def handle(self, *args, file: str, year: int, unit: str, **options) -> None:
        try:
            table = table_from_path(file)
        except ImportFailed as failure:
            raise CommandError("\n".join(failure.errors)) from None
        result = reconcile_table(table, year, unit_code=unit)
        for note in result.notes:
            self.stdout.write(note)
        for difference in result.differences:
            self.stdout.write(difference.message)
        count = len(result.differences)
        if count:
            raise CommandError(
                f"Có {format_number(count)} chỗ sai lệch trong {result.rows} dòng.", returncode=1
            )
        self.stdout.write(f"Không có chỗ sai lệch nào trong {result.rows} dòng.")
