"""Accounts by Nội vụ (list, create one, import a file, disable) and the password pages
(the forced first one, the one-time link, reset by e-mail).

The work is in scoring.accounts; every account page asks its selectors for scope.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.access import User, units_in_scope
from scoring.accounts import selectors
from scoring.accounts.forms import AccountFileForm, AccountForm, PasswordForm, PasswordResetForm
from scoring.accounts.imports import HEADER, accounts_import, sample_workbook
from scoring.accounts.services import (
    AccountsInvalid,
    NewAccount,
    account_set_active,
    accounts_create,
)
from scoring.importing import ImportFailed

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check_manager(user: User) -> None:
    if not selectors.manages_accounts(user):
        raise PermissionDenied("Chỉ cán bộ Nội vụ và quản trị viên quản lý tài khoản.")


@require_GET
@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _check_manager(request.user)
    text = request.GET.get("q", "").strip()
    unit = request.GET.get("don_vi", "")
    unit_id = int(unit) if unit.isdigit() else None
    accounts = selectors.account_search(request.user, text=text, unit_id=unit_id)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("trang"))
    ctx = {
        "page": page,
        "text": text,
        "unit_id": unit_id,
        "units": selectors.units_with_accounts(request.user),
        "me": request.user.pk,
    }
    return render(request, "scoring/accounts/list.html", ctx)


@never_cache  # the answer to a POST holds one-time passwords
@require_http_methods(["GET", "POST"])
@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    _check_manager(request.user)
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            created = accounts_create(by=request.user, rows=[form.account()], request=request)
        except AccountsInvalid as invalid:
            form.add_problems(invalid.problems[0])
        else:
            return _created(request, created)
    status = 400 if form.errors else 200
    return render(request, "scoring/accounts/create.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def account_import(request: HttpRequest) -> HttpResponse:
    _check_manager(request.user)
    form = AccountFileForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = accounts_import(
                by=request.user, upload=form.cleaned_data["file"], request=request
            )
        except ImportFailed as failed:
            errors = failed.errors
        else:
            return _created(request, created)
    ctx = {"form": form, "errors": errors, "columns": HEADER.values()}
    status = 400 if form.errors or errors else 200
    return render(request, "scoring/accounts/import.html", ctx, status=status)


def _created(request: HttpRequest, created: list[NewAccount]) -> HttpResponse:
    """The one place a one-time password is ever shown: this answer, not a redirect."""
    ctx = {"created": created, "emailed": sum(1 for new in created if new.emailed)}
    return render(request, "scoring/accounts/created.html", ctx)


@require_GET
@login_required
def account_sample(request: HttpRequest) -> HttpResponse:
    _check_manager(request.user)
    units = list(units_in_scope(request.user).order_by("-level", "code")[:2])
    return HttpResponse(
        sample_workbook(units),
        content_type=XLSX,
        headers={"Content-Disposition": 'attachment; filename="tai-khoan-mau.xlsx"'},
    )


@require_POST
@login_required
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    """Disable (active=0) or re-enable (active=1) an account."""
    _check_manager(request.user)
    account = selectors.account_for_user(request.user, pk)
    active = request.POST.get("active") == "1"
    account_set_active(by=request.user, account=account, active=active)
    name = f"«{account.get_username()}»"
    messages.success(
        request, f"Đã mở lại tài khoản {name}." if active else f"Đã khóa tài khoản {name}."
    )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("scoring:accounts")


urlpatterns = [
    path("tai-khoan/", account_list, name="accounts"),
    path("tai-khoan/them/", account_create, name="account_create"),
    path("tai-khoan/nhap-tep/", account_import, name="account_import"),
    path("tai-khoan/tep-mau.xlsx", account_sample, name="account_sample"),
    path("tai-khoan/<int:pk>/trang-thai/", account_active, name="account_active"),
]


# --- Passwords (names without a namespace: Django's auth views look them up so) ----


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def set_password(request: HttpRequest) -> HttpResponse:
    """ "Đặt mật khẩu mới": where an account holding a one-time password is sent."""
    if not selectors.must_set_password(request.user):
        return redirect("home")
    form = PasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, request.user)  # stays logged in
        messages.success(request, "Đã đặt mật khẩu mới.")
        return redirect("home")
    return render(request, "registration/set_password.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    success_url = reverse_lazy("password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = PasswordForm
    success_url = reverse_lazy("password_reset_complete")


auth_urlpatterns = [
    path("dat-mat-khau/", set_password, name="set_password"),
    path("quen-mat-khau/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "quen-mat-khau/da-gui/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "dat-lai-mat-khau/<uidb64>/<token>/",
        PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "dat-lai-mat-khau/xong/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
