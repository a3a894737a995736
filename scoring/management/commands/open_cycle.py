"""Open (or move the dates of) a jurisdiction's cycle from the command line."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.dates import DayMonthYearField
from scoring.cycles.opening import cycle_open, opening_summary
from scoring.models import Unit


def typed_date(text: str) -> date:
    """A date as the forms read it: dd/mm/yyyy (ISO and two-digit years too)."""
    try:
        return DayMonthYearField().clean(text)
    except ValidationError:
        raise CommandError(
            f"Ngày «{text}» không hợp lệ; hãy viết theo dạng dd/mm/yyyy, ví dụ 31/12/2030. "
            "Chưa ghi gì vào cơ sở dữ liệu."
        ) from None


class Command(BaseCommand):
    help = (
        "Mở kỳ đánh giá của một đơn vị (tỉnh, huyện) cho một năm: lịch chấm điểm của đơn vị "
        "và một phiếu cho mỗi đơn vị trực thuộc có bộ chỉ số cấp mình năm đó. Chạy lại không "
        "tạo trùng và có thể dời ngày."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="Mã đơn vị mở kỳ đánh giá.")
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá.")
        parser.add_argument(
            "--self-assessment-closes", required=True, help="Hạn tự đánh giá, dd/mm/yyyy."
        )
        parser.add_argument("--appraisal-closes", required=True, help="Hạn thẩm định, dd/mm/yyyy.")
        parser.add_argument(
            "--rounds",
            type=int,
            choices=[1, 2],
            help="Số vòng thẩm định; bỏ trống để giữ như đã lưu (lịch mới: 1 vòng).",
        )

    def handle(self, *args, unit: str, year: int, rounds: int | None, **options) -> None:
        self_closes = typed_date(options["self_assessment_closes"])
        appraisal_closes = typed_date(options["appraisal_closes"])
        jurisdiction = Unit.objects.filter(code=unit).first()
        if jurisdiction is None:
            raise CommandError(f"Không có đơn vị mã «{unit}». Chưa ghi gì vào cơ sở dữ liệu.")
        try:
            result = cycle_open(
                jurisdiction=jurisdiction,
                year=year,
                self_assessment_closes=self_closes,
                appraisal_closes=appraisal_closes,
                appraisal_rounds=rounds,
                user=None,
            )
        except ValidationError as error:
            raise CommandError(
                f"{' '.join(error.messages)} Chưa ghi gì vào cơ sở dữ liệu."
            ) from None
        self.stdout.write(self.style.SUCCESS(opening_summary(result)))
        for assessment in result.created:
            self.stdout.write(f"  Đã mở: {assessment.unit.code} {assessment.unit.name}")
        if result.not_opened:
            self.stdout.write("Chưa mở được:")
        for refusal in result.not_opened:
            self.stdout.write(f"  {refusal.unit.code} {refusal.unit.name}: {refusal.reason}")
