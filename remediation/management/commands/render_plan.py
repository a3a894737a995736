from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.pdf import weasyprint_missing
from remediation.management.commands._plans import add_unit_year, draft, unit_by_code
from remediation.models import Plan
from remediation.pdf import plan_pdf
from remediation.selectors import plan_document


class Command(BaseCommand):
    help = "In kế hoạch khắc phục ra PDF (lập dự thảo trước nếu đơn vị chưa có kế hoạch)."

    def add_arguments(self, parser) -> None:
        add_unit_year(parser)
        parser.add_argument("--output", required=True, help="tệp PDF ghi ra")

    def handle(self, *args, unit: str, year: int, output: str, **options) -> None:
        if weasyprint_missing():
            raise CommandError(weasyprint_missing())
        found = unit_by_code(unit)
        plan = Plan.objects.filter(unit=found, year=year).first() or draft(found, year)
        data = plan_pdf(plan_document(plan, timezone.localdate()))
        Path(output).write_bytes(data)
        self.stdout.write(f"Đã ghi {output} ({len(data) // 1024} KB).")
