"""Forms of the account pages and of the password pages."""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.http import HttpRequest

from cchc.text import RefuseControlCharacters
from cchc.uploads import MB, TooLargeUpload
from scoring.access import User, units_in_scope
from scoring.accounts.selectors import creatable_roles
from scoring.accounts.services import AccountData, Problems, password_reset_send, password_set
from scoring.models import Role, Unit

ACCOUNT_FILE_TYPES = (".csv", ".xlsx")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.code} · {obj.name}"


class AccountForm(RefuseControlCharacters, forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label="Đơn vị", empty_label="— Chọn —")
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    email = forms.EmailField(label="E-mail", required=False)
    username = forms.CharField(
        label="Tên đăng nhập",
        required=False,
        max_length=150,
        help_text="Để trống thì tên đăng nhập là địa chỉ e-mail.",
    )
    role = forms.ChoiceField(
        label="Vai trò",
        choices=[(Role.UNIT, Role.UNIT.label), (Role.HOME_AFFAIRS, Role.HOME_AFFAIRS.label)],
        initial=Role.UNIT,
        required=False,  # none given: a unit account
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(user).order_by("code")
        # Nội vụ creates unit accounts only: no choice to offer (a forged one is refused).
        if creatable_roles(user) == [Role.UNIT]:
            self.fields["role"].widget = forms.HiddenInput()

    def account(self) -> AccountData:
        data = self.cleaned_data
        return AccountData(
            unit=data["unit"],
            full_name=data["full_name"],
            email=data["email"],
            role=data["role"] or Role.UNIT,
            username=data["username"],
        )

    def add_problems(self, problems: Problems) -> None:
        for field, messages in problems.items():
            shown = field in self.fields and not self.fields[field].widget.is_hidden
            for message in messages:
                self.add_error(field if shown else None, message)


class AccountFileForm(forms.Form):
    file = forms.FileField(label="Tệp danh sách (.xlsx hoặc .csv)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in ACCOUNT_FILE_TYPES:
            raise forms.ValidationError(
                f"Chỉ nhận tệp .xlsx hoặc .csv, không nhận «{upload.name}»."
            )
        # Uploads here have the evidence limit (cchc.uploads); a list of accounts is far smaller.
        if isinstance(upload, TooLargeUpload) or upload.size > settings.EVIDENCE_MAX_MB * MB:
            raise forms.ValidationError(
                f"Tệp lớn hơn {settings.EVIDENCE_MAX_MB} MB, không nhận được."
            )
        return upload


class PasswordForm(auth_forms.SetPasswordForm):
    """The user's own password, from the forced page or a one-time or reset link."""

    def save(self, commit: bool = True) -> AbstractUser:
        password_set(user=self.user, password=self.cleaned_data["new_password1"])
        return self.user


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form and its silence (the same answer whether or not the address has an
    account), with the project's Vietnamese e-mail and SITE_URL link."""

    email = forms.EmailField(
        label="E-mail", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def save(self, request: HttpRequest | None = None, **kwargs) -> None:
        for user in self.get_users(self.cleaned_data["email"]):
            password_reset_send(user, request)


LOCKED_ACCOUNT = (
    "Tài khoản này đã bị khóa. Hãy liên hệ cán bộ Nội vụ quản lý tài khoản của đơn vị để "
    "được mở lại."
)


class LoginForm(auth_forms.AuthenticationForm):
    """Django's login form, which says an account was locked (Khóa) when the right
    password is given for it, rather than that the password is wrong: the person then
    asks Nội vụ instead of resetting a password that works. A wrong password still gets
    the usual answer, so nobody learns of an account they cannot log in to."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Xin nhập lại.",
    }

    def clean(self) -> dict:
        try:
            return super().clean()
        except forms.ValidationError as refused:
            if refused.code == "invalid_login" and self._locked_with_right_password():
                raise forms.ValidationError(LOCKED_ACCOUNT, code="inactive") from None
            raise

    def _locked_with_right_password(self) -> bool:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        model = get_user_model()
        user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
        return bool(user and password and not user.is_active and user.check_password(password))
