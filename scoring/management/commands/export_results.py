"""Export a year's results: the ranking of one or every group, or one unit's breakdown."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.exports import (
    RENDERERS,
    ResultTable,
    breakdown_table,
    ranking_table,
    result_groups,
)
from scoring.models import Assessment, RankingGroup, Unit


class Command(BaseCommand):
    help = (
        "Xuất kết quả chấm điểm một năm: bảng xếp hạng theo khối (mặc định) hoặc điểm "
        "từng tiêu chí của một đơn vị (--unit). CSV dùng UTF-8 có BOM để Excel đọc đúng "
        "tiếng Việt, dấu chấm thập phân, không phân cách hàng nghìn, tiêu đề cột là mã; "
        "xlsx để đọc và in: dòng tên bảng, tiêu đề cột bằng chữ, ô số."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá.")
        parser.add_argument(
            "--group", help="Tên khối xếp hạng; bỏ trống để xuất mọi khối có kết quả năm đó."
        )
        parser.add_argument("--unit", help="Mã đơn vị: xuất điểm từng tiêu chí của đơn vị này.")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="csv")
        parser.add_argument(
            "--output", help="Tệp kết quả. CSV không có thì in ra màn hình; xlsx bắt buộc."
        )

    def handle(self, *args, year: int, group: str | None, unit: str | None, **options) -> None:
        file_format, output = options["format"], options["output"]
        if group and unit:
            raise CommandError("Chỉ dùng một trong hai: --group hoặc --unit.")
        if file_format == "xlsx" and not output:
            raise CommandError("Xuất xlsx cần chỉ rõ tệp kết quả: --output TỆP.xlsx")
        table = unit_table(unit, year) if unit else groups_table(group, year)
        data = RENDERERS[file_format](table)
        if output:
            write_file(Path(output), data)
        else:
            self.stdout.write(data.decode("utf-8"), ending="")


def groups_table(group_name: str | None, year: int) -> ResultTable:
    if group_name is None:
        groups = list(result_groups(year))
        if not groups:
            raise CommandError(f"Năm {year} không có kết quả đánh giá nào thuộc khối xếp hạng.")
        return ranking_table(groups, year)
    group = RankingGroup.objects.filter(name=group_name).first()
    if group is None:
        raise CommandError(f"Không có khối xếp hạng tên «{group_name}».")
    table = ranking_table([group], year)
    if not table.dataset.height:
        raise CommandError(f"Khối «{group_name}» không có kết quả đánh giá nào năm {year}.")
    return table


def unit_table(unit_code: str, year: int) -> ResultTable:
    if not Unit.objects.filter(code=unit_code).exists():
        raise CommandError(f"Không có đơn vị mã «{unit_code}».")
    assessment = (
        Assessment.objects.select_related("unit").filter(unit__code=unit_code, year=year).first()
    )
    if assessment is None:
        raise CommandError(f"Đơn vị «{unit_code}» không có kết quả đánh giá năm {year}.")
    return breakdown_table(assessment)


def write_file(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as error:
        raise CommandError(f"Không ghi được tệp «{path}»: {error.strerror}.") from error
