"""People's names as Vietnamese documents write them: family name first."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def full_name(user: AbstractBaseUser | AnonymousUser) -> str:
    """Họ và tên: the account's "Họ" (last_name) then its "Tên" (first_name), with the
    spaces tidied; "" when neither is set. Django's get_full_name puts them the other way
    round, which turns "Nguyễn" + "Thị Hoa" into "Thị Hoa Nguyễn"."""
    parts = f"{getattr(user, 'last_name', '')} {getattr(user, 'first_name', '')}"
    return " ".join(parts.split())
