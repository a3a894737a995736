"""Writes: creating accounts with a one-time password, disabling them, and the
passwords their owners set (from the forced page, a one-time link or a reset)."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cchc.links import absolute_url
from cchc.mail import mail_send
from cchc.people import full_name
from cchc.text import control_character_problem
from scoring.access import User, units_in_scope
from scoring.accounts.selectors import accounts_in_scope, creatable_roles
from scoring.models import Membership, Role, Unit

# One-time passwords: 16 letters and digits without look-alikes (0/O, 1/l/I), in four
# groups to read out over the phone; about 92 bits, so no guessing reaches one.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_GROUPS, PASSWORD_GROUP_LENGTH = 4, 4
# A password that random needs no slow hash to resist guessing, and a file of 300 accounts
# hashed at Django's million PBKDF2 rounds would outlast the server's 120-second timeout.
# Its owner replaces it at first login, and the new one gets the full rounds.
ONE_TIME_PASSWORD_ITERATIONS = 10_000
NAME_LIMIT = 150  # User.username, and last_name and first_name: the family name and the rest
EMAIL_LIMIT = 254  # User.email
ROLE_REFUSED = {
    Role.HOME_AFFAIRS: "Chỉ quản trị viên được tạo tài khoản Cán bộ Nội vụ.",
    Role.ADMIN: "Tài khoản quản trị được tạo trong trang quản trị (/admin/).",
}
TAKEN_RACE = (
    "Trong lúc tạo, một tên đăng nhập trong danh sách vừa được dùng cho tài khoản khác. "
    "Chưa tạo tài khoản nào; hãy thử lại."
)


@dataclass(frozen=True)
class AccountData:
    """One account to create. `username` blank: the e-mail address is the user name."""

    unit: Unit | None
    full_name: str
    email: str = ""
    role: str | None = Role.UNIT
    username: str = ""

    @property
    def login(self) -> str:
        return (self.username or self.email).strip().lower()


@dataclass(frozen=True)
class NewAccount:
    """A created account and its one-time password, which exists only here: it is
    shown once and stored only as a hash."""

    user: AbstractUser
    password: str
    emailed: bool = False


Problems = dict[str, list[str]]  # field (unit, full_name, email, role, username) -> messages


class AccountsInvalid(Exception):
    """Nothing was created; `problems[i]` lists what is wrong with row i."""

    def __init__(self, problems: list[Problems]) -> None:
        super().__init__("; ".join(m for p in problems for ms in p.values() for m in ms))
        self.problems = problems


def account_problems(
    *, by: User, rows: list[AccountData], row_label: Callable[[int], str] | None = None
) -> list[Problems]:
    """What is wrong with each row (empty where nothing is): a role `by` may not give,
    a missing or too long name, a bad e-mail or user name, one already taken in the
    database or earlier in `rows` (named by `row_label(index)`). Two queries whatever
    the number of rows."""
    batch = _Batch(*_taken(rows), label=row_label or _row_label)
    problems = []
    for index, row in enumerate(rows):
        found: Problems = defaultdict(list)
        _check_role(by, row, found)
        _check_name(row, found)
        email = row.email.strip().lower()
        if email:
            _check_email(email, index, batch, found)
        _check_login(row, index, batch, found)
        problems.append(dict(found))
    return problems


@dataclass
class _Batch:
    """What each row is checked against: the accounts in the database, the rows before it."""

    logins: set[str]
    emails: set[str]
    label: Callable[[int], str]
    seen_logins: dict[str, int] = field(default_factory=dict)
    seen_emails: dict[str, int] = field(default_factory=dict)


def _taken(rows: list[AccountData]) -> tuple[set[str], set[str]]:
    """User names and e-mail addresses of `rows` that accounts already hold, lower-cased."""
    users = get_user_model().objects
    logins = {row.login for row in rows if row.login}
    emails = {row.email.strip().lower() for row in rows if row.email.strip()}
    taken_logins = set(
        users.annotate(key=Lower("username")).filter(key__in=logins).values_list("key", flat=True)
    )
    taken_emails = set(
        users.annotate(key=Lower("email")).filter(key__in=emails).values_list("key", flat=True)
    )
    return taken_logins, taken_emails


def _check_role(by: User, row: AccountData, found: Problems) -> None:
    if row.role is not None and row.role not in creatable_roles(by):
        found["role"].append(ROLE_REFUSED.get(row.role, "Bạn không có quyền tạo tài khoản."))


def _check_name(row: AccountData, found: Problems) -> None:
    name = " ".join(row.full_name.split())
    if not name:
        found["full_name"].append("Chưa có họ và tên.")
    elif len(name) > NAME_LIMIT:
        found["full_name"].append(f"Dài {len(name)} ký tự, tối đa {NAME_LIMIT}.")
    elif problem := control_character_problem(name):
        found["full_name"].append(problem)


def _check_email(email: str, index: int, batch: _Batch, found: Problems) -> None:
    try:
        validate_email(email)
    except ValidationError:
        found["email"].append(f"«{email}» không phải địa chỉ e-mail hợp lệ.")
        return
    if len(email) > EMAIL_LIMIT:
        found["email"].append(f"Dài {len(email)} ký tự, tối đa {EMAIL_LIMIT}.")
    elif email in batch.emails:
        found["email"].append(f"Đã có tài khoản dùng e-mail «{email}».")
    elif email in batch.seen_emails:
        earlier = batch.label(batch.seen_emails[email])
        found["email"].append(f"E-mail «{email}» trùng với {earlier}.")
    batch.seen_emails.setdefault(email, index)


def _check_login(row: AccountData, index: int, batch: _Batch, found: Problems) -> None:
    login = row.login
    column = "username" if row.username.strip() else "email"
    if not login:
        found["username"].append("Cần e-mail hoặc tên đăng nhập (không có e-mail).")
        return
    if found.get(column):
        return  # a bad e-mail already said why it cannot be the user name
    try:
        UnicodeUsernameValidator()(login)
    except ValidationError:
        found[column].append(
            f"Tên đăng nhập «{login}» chỉ được gồm chữ, số và các ký tự @ . + - _."
        )
        return
    if len(login) > NAME_LIMIT:
        found[column].append(f"Tên đăng nhập dài {len(login)} ký tự, tối đa {NAME_LIMIT}.")
    elif login in batch.logins:
        found[column].append(f"Tên đăng nhập «{login}» đã có người dùng.")
    elif login in batch.seen_logins:
        earlier = batch.label(batch.seen_logins[login])
        found[column].append(f"Tên đăng nhập «{login}» trùng với {earlier}.")
    batch.seen_logins.setdefault(login, index)


def _row_label(index: int) -> str:
    return f"tài khoản thứ {index + 1}"


def accounts_create(
    *, by: User, rows: list[AccountData], request: HttpRequest | None = None
) -> list[NewAccount]:
    """Create every account or, raising AccountsInvalid, none. Each gets a one-time
    password and must set its own at first login; those with an e-mail address get a
    one-time link to set it (sent once the accounts are saved)."""
    _check_scope(by, rows)
    problems = account_problems(by=by, rows=rows)
    if any(problems):
        raise AccountsInvalid(problems)
    try:
        with transaction.atomic():
            created = _save(rows)
    except IntegrityError:  # someone took a user name between the check and the save
        raise AccountsInvalid([{"username": [TAKEN_RACE]}]) from None
    return [replace(new, emailed=account_welcome_send(new.user, request)) for new in created]


def _check_scope(by: User, rows: list[AccountData]) -> None:
    units = {row.unit.pk for row in rows if row.unit is not None}
    unitless = any(row.unit is None for row in rows)
    if unitless or units_in_scope(by).filter(pk__in=units).count() < len(units):
        raise PermissionDenied("Bạn chỉ tạo được tài khoản cho đơn vị trong địa bàn của mình.")


def _save(rows: list[AccountData]) -> list[NewAccount]:
    passwords = [one_time_password() for _ in rows]
    users = get_user_model().objects.bulk_create(
        [_user(row, password) for row, password in zip(rows, passwords, strict=True)]
    )
    Membership.objects.bulk_create(
        Membership(user=user, role=row.role, unit=row.unit, must_set_password=True)
        for user, row in zip(users, rows, strict=True)
    )
    return [NewAccount(user, password) for user, password in zip(users, passwords, strict=True)]


def _user(row: AccountData, password: str) -> AbstractUser:
    family, _, given = " ".join(row.full_name.split()).partition(" ")
    return get_user_model()(
        username=row.login,
        email=row.email.strip().lower(),
        last_name=family,
        first_name=given,
        password=one_time_password_hash(password),
    )


def one_time_password() -> str:
    return "-".join(
        get_random_string(PASSWORD_GROUP_LENGTH, PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUPS)
    )


def one_time_password_hash(password: str) -> str:
    """The stored form of a one-time password: PBKDF2 at fewer rounds (see above) where
    PBKDF2 is the configured hasher, which still checks it; else the hasher's own."""
    hasher = get_hasher()
    if isinstance(hasher, PBKDF2PasswordHasher):
        return hasher.encode(password, hasher.salt(), ONE_TIME_PASSWORD_ITERATIONS)
    return make_password(password)


def account_set_active(*, by: User, account: AbstractUser, active: bool) -> None:
    """Disable or re-enable an account `by` manages. A disabled account cannot log in,
    its open sessions end, and it gets no reset e-mail."""
    if not accounts_in_scope(by).filter(pk=account.pk).exists():
        raise PermissionDenied("Bạn không có quyền quản lý tài khoản này.")
    if account.pk == by.pk:
        raise PermissionDenied("Bạn không thể tự khóa tài khoản của mình.")
    account.is_active = active
    account.save(update_fields=["is_active"])


@transaction.atomic
def password_set(*, user: AbstractUser, password: str) -> None:
    """The user's own password (already checked by the validators): it replaces a
    one-time password, ends the must-set-password step and unlocks the account
    if guessing had locked it (the owner proved who they are)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    Membership.objects.filter(user=user).update(must_set_password=False)
    axes_reset(username=user.get_username())


def password_link(user: AbstractUser, request: HttpRequest | None = None) -> str:
    """A link that sets the user's password once: Django's reset token, which stops
    working when the password changes, the user logs in, or PASSWORD_RESET_TIMEOUT passes."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path, request)


def _mail_context(user: AbstractUser, request: HttpRequest | None) -> dict:
    return {
        "name": full_name(user) or user.get_username(),
        "username": user.get_username(),
        "link": password_link(user, request),
        "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "login_url": absolute_url(reverse("login"), request),
    }


def account_welcome_send(user: AbstractUser, request: HttpRequest | None = None) -> bool:
    """A new account's e-mail: its user name and the one-time link. False if it has no
    address or the mail server did not take it."""
    if not user.email:
        return False
    body = render_to_string("scoring/accounts/welcome_email.txt", _mail_context(user, request))
    return mail_send(to=[user.email], subject="Tài khoản Chỉ số CCHC của bạn", body=body)


def password_reset_send(user: AbstractUser, request: HttpRequest | None = None) -> bool:
    body = render_to_string("registration/password_reset_email.txt", _mail_context(user, request))
    return mail_send(to=[user.email], subject="Đặt lại mật khẩu Chỉ số CCHC", body=body)
