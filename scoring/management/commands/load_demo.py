"""Load the demo data: real results from fixtures/ among synthetic peers."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cchc.formatting import format_number
from scoring.demo import DEMO_PASSWORD, RANDOM_PASSWORD_LENGTH, demo_account_passwords, demo_load
from scoring.models import Assessment, Framework, Score, Unit

COUNTED = {"bộ chỉ số": Framework, "đơn vị": Unit, "kết quả": Assessment, "điểm": Score}

REFUSED_IN_PRODUCTION = (
    "Không nạp dữ liệu mẫu: DEBUG đang tắt, tức là đây là máy chủ thật. Dữ liệu mẫu "
    "tạo các tài khoản mẫu, trong đó có tài khoản quản trị quantri, với mật khẩu in "
    "trong README. Trên máy phát triển, chạy với DEBUG=1 (như make run); nếu cố ý dựng "
    "một bản trình diễn trên máy chủ thử nghiệm, thêm --allow-production (mỗi tài khoản "
    "mẫu sẽ nhận một mật khẩu ngẫu nhiên, in ra một lần)."
)


def counts() -> dict[str, int]:
    return {label: model.objects.count() for label, model in COUNTED.items()}


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu mẫu: kết quả thật của xã Cẩm Sơn (2023) và huyện An Lão (2021) trong "
        "fixtures/, cùng các đơn vị giả lập để xếp hạng, và 5 tài khoản mẫu. Chạy lại chỉ "
        "tạo phần còn thiếu, không sửa phần đã có. Khi DEBUG bật, tài khoản mẫu có mật khẩu "
        f"{DEMO_PASSWORD} như README. Khi DEBUG tắt, lệnh từ chối và không tạo gì, trừ khi "
        "có --allow-production."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help=(
                "Cố ý nạp dữ liệu mẫu khi DEBUG tắt (máy chủ thử nghiệm). Mỗi tài khoản mẫu "
                "mới, và mỗi tài khoản mẫu còn giữ mật khẩu của README, nhận một mật khẩu "
                f"ngẫu nhiên {RANDOM_PASSWORD_LENGTH} chữ và số, đã qua kiểm tra mật khẩu "
                "(AUTH_PASSWORD_VALIDATORS). "
                "Mật khẩu chỉ in ra một lần, không lưu ở đâu khác: hãy ghi lại ngay."
            ),
        )

    def handle(self, *args, allow_production: bool, **options) -> None:
        production = not settings.DEBUG
        if production and not allow_production:
            raise CommandError(REFUSED_IN_PRODUCTION)
        try:
            passwords = demo_account_passwords(generate=production)
        except ValidationError as error:
            raise CommandError(
                "Không nạp dữ liệu mẫu: mật khẩu tài khoản mẫu không qua kiểm tra mật khẩu "
                f"(AUTH_PASSWORD_VALIDATORS): {' '.join(error.messages)}"
            ) from error
        before = counts()
        demo_load(passwords=passwords)
        self._report({label: number - before[label] for label, number in counts().items()})
        if production:
            self._print_passwords(passwords)

    def _report(self, added: dict[str, int]) -> None:
        if not any(added.values()):
            self.stdout.write("Dữ liệu mẫu đã có đủ, không tạo thêm gì.")
            return
        made = ", ".join(f"{format_number(number)} {label}" for label, number in added.items())
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu: {made}."))

    def _print_passwords(self, passwords: dict[str, str]) -> None:
        if not passwords:
            self.stdout.write("Không đặt mật khẩu mới: các tài khoản mẫu đã có mật khẩu riêng.")
            return
        self.stdout.write(
            "Mật khẩu mới của tài khoản mẫu (chỉ in lần này, không lưu ở đâu khác; "
            "hãy ghi lại ngay):"
        )
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<16} {password}")
