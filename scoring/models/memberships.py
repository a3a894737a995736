"""Who may do what, and where."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from scoring.models.units import Unit


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị"
    HOME_AFFAIRS = "home_affairs", "Cán bộ Nội vụ"
    UNIT = "unit", "Đơn vị"


class Membership(models.Model):
    """What a user may do, and where.

    Cán bộ Nội vụ work on `unit` and every unit below it (their jurisdiction);
    a unit's staff on `unit` alone; administrators everywhere (no unit).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name="tài khoản",
    )
    role = models.CharField("vai trò", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name="đơn vị",
    )
    # Set on an account Nội vụ created with a one-time password: the user chooses their
    # own before doing anything else.
    must_set_password = models.BooleanField("phải đặt mật khẩu mới", default=False)

    class Meta:
        verbose_name = "phân quyền"
        verbose_name_plural = "phân quyền"

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()}"

    def clean(self) -> None:
        if self.role != Role.ADMIN and self.unit_id is None:
            raise ValidationError({"unit": "Vai trò này cần chọn đơn vị."})
