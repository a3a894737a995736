"""Make a large synthetic data set for benchmarks: units, a framework, scores."""

import argparse
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.formatting import format_number
from scoring.synthetic import FINAL_YEAR, dataset_create, dataset_exists


def positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"«{value}» không phải số nguyên dương.")
    return int(value)


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu giả lập cỡ lớn để đo hiệu năng: N xã chia vào G khối (khối đầu chiếm 3/5), "
        "một bộ chỉ số giả lập 8 lĩnh vực với M tiêu chí thành phần, và K năm kết quả đã công "
        f"bố (kết thúc năm {FINAL_YEAR}). Cùng --seed luôn cho cùng dữ liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--units", type=positive, required=True, help="Số đơn vị (N).")
        parser.add_argument(
            "--criteria", type=positive, required=True, help="Số tiêu chí lá (M), ít nhất 8."
        )
        parser.add_argument("--years", type=positive, required=True, help="Số năm (K).")
        parser.add_argument("--groups", type=positive, default=3, help="Số khối (G), mặc định 3.")
        parser.add_argument("--seed", type=int, default=1, help="Hạt giống ngẫu nhiên.")

    def handle(self, *args, units: int, criteria: int, years: int, **options) -> None:
        groups, seed = options["groups"], options["seed"]
        if criteria < 8:
            raise CommandError("Cần ít nhất 8 tiêu chí lá: mỗi lĩnh vực một tiêu chí.")
        if groups > units:
            raise CommandError("Số khối không được nhiều hơn số đơn vị.")
        if dataset_exists(seed):
            raise CommandError(
                f"Đã có dữ liệu giả lập với seed {seed}. Hãy dùng --seed khác "
                "hoặc một cơ sở dữ liệu mới."
            )
        start = time.perf_counter()
        made = dataset_create(units=units, leaves=criteria, years=years, groups=groups, seed=seed)
        seconds = Decimal(time.perf_counter() - start)
        if options["verbosity"]:
            self.stdout.write(
                f"Đã tạo {format_number(made.units)} đơn vị, "
                f"{format_number(made.assessments)} kết quả đánh giá, "
                f"{format_number(made.scores)} điểm ({criteria} tiêu chí lá, {years} năm) "
                f"trong {format_number(seconds, 1)} giây."
            )
