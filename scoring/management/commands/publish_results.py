"""Publish a whole khối's results of a year under its decision, as the page does."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from scoring.cycles.publication import (
    GroupPublication,
    default_issuer,
    default_subject,
    group_publication,
    group_publish,
    outcome_summary,
)
from scoring.forms import DecisionForm
from scoring.models import RankingGroup


class Command(BaseCommand):
    help = (
        "Công bố kết quả Chỉ số CCHC của cả một khối trong một năm theo quyết định công bố "
        "(như nút «Công bố cả khối…» trên trang Xếp hạng): mọi đơn vị phải đã thẩm định "
        "xong, nếu không thì không công bố đơn vị nào. Nhật ký ghi tên tài khoản --user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--group", required=True, help="Tên khối xếp hạng.")
        parser.add_argument("--year", type=int, required=True, help="Năm đánh giá.")
        parser.add_argument("--decision", required=True, help="Số quyết định, ví dụ 9471/QĐ-UBND.")
        parser.add_argument("--date", required=True, help="Ngày ký, dạng dd/mm/yyyy.")
        parser.add_argument(
            "--user",
            required=True,
            help="Tên đăng nhập của cán bộ Nội vụ hoặc quản trị viên thực hiện (ghi vào nhật ký).",
        )
        parser.add_argument(
            "--issuer", help="Cơ quan ban hành; mặc định UBND của địa bàn (như trang công bố)."
        )
        parser.add_argument("--signer", default="", help="Họ tên người ký quyết định.")
        parser.add_argument(
            "--subject", help="Trích yếu; mặc định «phê duyệt Chỉ số cải cách hành chính năm …»."
        )

    def handle(self, *args, group: str, year: int, user: str, **options) -> None:
        ranking_group = RankingGroup.objects.filter(name=group).first()
        if ranking_group is None:
            raise CommandError(f"Không có khối xếp hạng tên «{group}».")
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"Không có tài khoản đang hoạt động tên «{user}».")
        try:
            preview = group_publication(group=ranking_group, year=year, user=account)
            fields = _decision_fields(preview, account, options)
            outcome = group_publish(group=ranking_group, year=year, user=account, **fields)
        except (PermissionDenied, ValidationError) as error:
            raise CommandError(_message(error)) from error
        self.stdout.write(outcome_summary(outcome))


def _decision_fields(preview: GroupPublication, user, options: dict) -> dict:
    """The options read as the page's form reads them (dd/mm/yyyy, required fields)."""
    issuer, subject = options["issuer"], options["subject"]
    if issuer is None:
        issuer = default_issuer(preview.group, preview.year, user)
    form = DecisionForm(
        data={
            "number": options["decision"],
            "signed_on": options["date"],
            "issuer": issuer,
            "signer_name": options["signer"],
            "subject": default_subject(preview.year) if subject is None else subject,
        }
    )
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def _message(error: PermissionDenied | ValidationError) -> str:
    """The refusal as the page words it, each field's message after the field's name."""
    if isinstance(error, PermissionDenied):
        return str(error)
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    labels = {name: field.label for name, field in DecisionForm.base_fields.items()}
    return " ".join(
        f"{labels.get(name, name)}: {' '.join(texts)}" for name, texts in error.message_dict.items()
    )
