"""The bell in every page's header: the user's unread count."""

from functools import partial

from django.http import HttpRequest

from scoring.notifications.selectors import unread_count


def bell(request: HttpRequest) -> dict:
    """`unread_notifications` for a logged-in user, counted when a template first asks
    and then kept on the request: one query per page, none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": partial(_unread, request)}


def _unread(request: HttpRequest) -> int:
    if not hasattr(request, "_unread_notifications"):
        request._unread_notifications = unread_count(request.user)
    return request._unread_notifications
