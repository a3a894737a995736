"""Recompute every assessment's totals from its scores and compare the stored tallies."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.formatting import format_points
from scoring.engine import from_milli, refresh_tallies
from scoring.engine.verify import tally_differences
from scoring.models import Assessment

SHOWN = 50  # differences printed; the count covers them all


class Command(BaseCommand):
    help = (
        "Tính lại tổng điểm của mọi kết quả đánh giá từ điểm từng tiêu chí và so với tổng "
        "điểm đã lưu. Báo mọi chỗ khác nhau và thoát với mã lỗi nếu có; --repair ghi lại "
        "tổng điểm của các kết quả sai."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, help="Chỉ kiểm tra kết quả của năm này.")
        parser.add_argument(
            "--repair", action="store_true", help="Tính và ghi lại tổng điểm của kết quả sai."
        )

    def handle(self, *args, year: int | None = None, repair: bool = False, **options) -> None:
        assessments = Assessment.objects.select_related("unit", "framework").order_by("pk")
        if year is not None:
            assessments = assessments.filter(year=year)
        wrong, differences = set(), 0
        for difference in tally_differences(assessments.iterator(chunk_size=500)):
            differences += 1
            wrong.add(difference.assessment.pk)
            if differences <= SHOWN:
                self.stderr.write(_line(difference))
        checked = assessments.count()
        if not differences:
            self.stdout.write(f"Đã kiểm tra {checked} kết quả: tổng điểm đã lưu đều đúng.")
            return
        if repair:
            refresh_tallies(wrong)
            self.stdout.write(f"Đã tính và ghi lại tổng điểm của {len(wrong)} kết quả.")
        raise CommandError(
            f"{differences} chỗ khác nhau ở {len(wrong)} trong {checked} kết quả đã kiểm tra."
        )


def _line(difference) -> str:
    assessment = difference.assessment
    where = f"lĩnh vực {difference.field_code}" if difference.field_code else "cả kết quả"
    stored, recomputed = (
        _shown(difference.column, value) for value in (difference.stored, difference.recomputed)
    )
    return (
        f"{assessment.unit.code} năm {assessment.year} ({where}), {difference.column}: "
        f"đã lưu {stored}, tính lại {recomputed}"
    )


def _shown(column: str, value) -> str:
    if value is None:
        return "(không có)"
    if column.endswith("_milli"):
        return f"{format_points(from_milli(value))} điểm"
    return str(value)
