"""Recompute every assessment's totals from its scores and compare the stored tallies."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.formatting import format_points
from scoring.engine import from_milli, refresh_tallies
from scoring.engine.verify import MISSING, tally_differences
from scoring.models import Assessment

SHOWN = 50  # differences printed; the count covers them all


class Command(BaseCommand):
    help = (
        "Tính lại tổng điểm của mọi kết quả đánh giá từ điểm từng tiêu chí và so với tổng "
        "điểm đã lưu. Báo mọi chỗ khác nhau (đơn vị, năm, lĩnh vực, cột) và thoát với mã lỗi "
        "nếu có; với --repair, ghi lại tổng điểm của các kết quả sai, kiểm tra lại và chỉ "
        "thoát với mã lỗi nếu vẫn còn sai."
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
        checked = assessments.count()
        wrong, differences = self.report(assessments)
        if not differences:
            self.stdout.write(f"Đã kiểm tra {checked} kết quả: tổng điểm đã lưu đều đúng.")
            return
        found = f"{differences} chỗ khác nhau ở {len(wrong)} trong {checked} kết quả đã kiểm tra"
        if not repair:
            raise CommandError(f"{found}.")
        refresh_tallies(wrong)
        left = sum(1 for _ in tally_differences(assessments.filter(pk__in=wrong)))
        if left:
            raise CommandError(f"{found}; đã ghi lại tổng điểm nhưng vẫn còn {left} chỗ sai.")
        self.stdout.write(
            f"{found}; đã tính và ghi lại tổng điểm của {len(wrong)} kết quả, nay đều đúng."
        )

    def report(self, assessments) -> tuple[set[int], int]:
        """Print the first differences; returns the wrong assessments' ids and the count."""
        wrong, differences = set(), 0
        for difference in tally_differences(assessments.iterator(chunk_size=500)):
            differences += 1
            wrong.add(difference.assessment.pk)
            if differences <= SHOWN:
                self.stderr.write(_line(difference))
        return wrong, differences


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
    if value is MISSING:
        return "(không có dòng này)"
    if value is None:
        return "(không có)"
    if column.endswith("_milli"):
        return f"{format_points(from_milli(value))} điểm"
    return str(value)
