"""A password must not be the person's name, typed with or without its tone marks."""

from types import SimpleNamespace

from django.contrib.auth.password_validation import UserAttributeSimilarityValidator

from cchc.search import fold


class FoldedNameSimilarityValidator(UserAttributeSimilarityValidator):
    """Django's similarity check, run again with the password and the account's names
    folded (no tone marks, đ as d) and the full name whole: "levantam2025" is refused
    for Lê Văn Tám, whose family and given names are stored apart."""

    def validate(self, password: str, user=None) -> None:
        super().validate(password, user)
        if user is not None:
            super().validate(fold(password.lower()), _folded_names(user))


def _folded_names(user) -> SimpleNamespace:
    full_name = f"{user.last_name} {user.first_name}".strip()
    return SimpleNamespace(
        _meta=user._meta,
        username=fold(user.get_username().lower()),
        first_name=fold(full_name.lower()),
        last_name=fold(user.last_name.lower()),
        email=fold(user.email.lower()),
    )
