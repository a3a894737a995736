"""An account holding a one-time password sets its own before anything else."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from scoring.accounts.selectors import must_set_password

# The pages such a user may still open (static files are served before any view).
OPEN_VIEWS = frozenset(
    {
        "set_password",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
    }
)


class MustSetPasswordMiddleware:
    """Sends such a user to "Đặt mật khẩu mới" from every other page. After
    AuthenticationMiddleware; it acts once the address is resolved to a view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        if request.resolver_match.view_name in OPEN_VIEWS or not must_set_password(request.user):
            return None
        return redirect("set_password")
