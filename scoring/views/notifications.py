"""The bell's page: a user's own notifications, opened (read) one by one or all at once.

Opening is a POST (it changes the row) that then follows the notification's link,
which is always a path inside this site."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from scoring.notifications.selectors import notification_for_user, user_notifications
from scoring.notifications.services import notification_mark_read, notifications_mark_all_read

PAGE_SIZE = 20


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(user_notifications(request.user), PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "scoring/notifications.html", {"page": page})


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = notification_for_user(request.user, pk)
    notification_mark_read(notification=notification)
    link = notification.link
    if link.startswith("/") and url_has_allowed_host_and_scheme(link, allowed_hosts=None):
        return redirect(link)
    return redirect("scoring:notifications")


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect("scoring:notifications")


urlpatterns = [
    path("thong-bao/", notification_list, name="notifications"),
    path("thong-bao/<int:pk>/mo/", notification_open, name="notification_open"),
    path("thong-bao/doc-het/", notifications_read_all, name="notifications_read_all"),
]
