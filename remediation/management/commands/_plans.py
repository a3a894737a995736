"""What the plan commands share: finding the unit and drafting its plan."""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from remediation.models import Plan
from remediation.services import plan_draft
from scoring.models import Unit


def add_unit_year(parser) -> None:
    parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ HT-CX-CS")
    parser.add_argument("--year", required=True, type=int, help="năm kết quả Chỉ số")


def unit_by_code(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"Không có đơn vị mã «{code}».")
    return unit


def draft(unit: Unit, year: int) -> Plan:
    try:
        return plan_draft(unit=unit, year=year)
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from error
