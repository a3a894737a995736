"""Reads: a user's own notifications, and how many are unread (the bell)."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from scoring.models import Notification


def user_notifications(user: AbstractBaseUser) -> QuerySet[Notification]:
    """The user's notifications, newest first; nobody else's."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(user: AbstractBaseUser) -> int:
    # Served by the index notification_unread (recipient, read_at).
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_for_user(user: AbstractBaseUser, pk: int) -> Notification:
    """The user's own notification; 404 if there is none, refusal if it is someone else's."""
    notification = get_object_or_404(Notification, pk=pk)
    if notification.recipient_id != user.pk:
        raise PermissionDenied("Thông báo này không phải của bạn.")
    return notification
