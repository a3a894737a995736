from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cchc.pdf import weasyprint_missing
from remediation.documents import plan_docx, plan_pdf
from remediation.management.commands._plans import add_unit_year, draft, unit_by_code
from remediation.models import Plan

FORMATS = ("pdf", "docx")


class Command(BaseCommand):
    help = (
        "In kế hoạch khắc phục ra PDF hoặc Word (.docx); lập dự thảo trước nếu đơn vị chưa "
        "có kế hoạch."
    )

    def add_arguments(self, parser) -> None:
        add_unit_year(parser)
        parser.add_argument("--output", required=True, help="tệp ghi ra (.pdf hoặc .docx)")
        parser.add_argument(
            "--format", choices=FORMATS, help="pdf hoặc docx (mặc định: theo đuôi tệp ghi ra)"
        )

    def handle(self, *args, unit: str, year: int, output: str, **options) -> None:
        kind = options.get("format") or Path(output).suffix.lower().lstrip(".")
        if kind not in FORMATS:
            raise CommandError(
                f"Không biết in ra định dạng nào cho «{output}»: dùng đuôi .pdf, .docx "
                "hoặc --format pdf|docx."
            )
        if kind == "pdf" and weasyprint_missing():
            raise CommandError(weasyprint_missing())
        found = unit_by_code(unit)
        plan = Plan.objects.filter(unit=found, year=year).first() or draft(found, year)
        render = plan_pdf if kind == "pdf" else plan_docx
        data = render(plan, timezone.localdate())
        Path(output).write_bytes(data)
        self.stdout.write(f"Đã ghi {output} ({len(data) // 1024} KB).")
