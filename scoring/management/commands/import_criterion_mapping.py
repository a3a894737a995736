from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cchc.formatting import format_number
from scoring.editions.files import mapping_file_import
from scoring.importing import ImportFailed, load_dataset
from scoring.management.commands._importing import failure
from scoring.models import Framework


class Command(BaseCommand):
    help = (
        "Nhập đối chiếu tiêu chí của một bộ chỉ số mới với bộ chỉ số trước từ tệp .xlsx "
        "hoặc .csv (cột mã mới, mã cũ); thay toàn bộ đối chiếu đã có của cặp này."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="cột «mã mới» (new_code) và «mã cũ» (old_code)")
        parser.add_argument("--framework", required=True, help="tên bộ chỉ số mới")
        parser.add_argument("--previous", required=True, help="tên bộ chỉ số trước")
        parser.add_argument("--user", required=True, help="tên đăng nhập của người đối chiếu")

    def handle(self, *args, **options) -> None:
        framework = _framework(options["framework"])
        previous = _framework(options["previous"])
        by = get_user_model().objects.filter(username=options["user"]).first()
        if by is None:
            raise CommandError(f"Không có tài khoản «{options['user']}».")
        try:
            mapping = mapping_file_import(
                load_dataset(options["file"]), framework=framework, previous=previous, by=by
            )
        except ImportFailed as error:
            raise failure(self, error) from None
        rows = mapping.counterparts.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã lưu đối chiếu «{framework.name}» ← «{previous.name}»: "
                f"{format_number(rows)} cặp tiêu chí tương ứng."
            )
        )


def _framework(name: str) -> Framework:
    framework = Framework.objects.filter(name=name).first()
    if framework is None:
        raise CommandError(f"Không có bộ chỉ số tên «{name}».")
    return framework
