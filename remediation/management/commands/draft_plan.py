from django.core.management.base import BaseCommand

from remediation.management.commands._plans import add_unit_year, draft, unit_by_code


class Command(BaseCommand):
    help = "Lập (hoặc cập nhật) dự thảo kế hoạch khắc phục từ các tiêu chí bị trừ điểm."

    def add_arguments(self, parser) -> None:
        add_unit_year(parser)

    def handle(self, *args, unit: str, year: int, **options) -> None:
        plan = draft(unit_by_code(unit), year)
        self.stdout.write(
            f"Kế hoạch khắc phục năm {year} của {plan.unit.name}: "
            f"{plan.sections.count()} lĩnh vực, {plan.tasks.count()} nhiệm vụ."
        )
