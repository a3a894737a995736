"""Writes: a notification to each recipient, e-mailed after the transaction commits.

A notification with a `key` (a reminder) is created in a savepoint of its own; the
unique (recipient, key) row lets only one run, on any server, create it, and only the
run that created it sends its e-mail. So a reminder reaches each person once, even
from several servers' crons at the same moment.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cchc.links import absolute_url
from cchc.mail import mail_send
from cchc.people import full_name
from scoring.models import Notification

SUBJECT_PREFIX = "[Chỉ số CCHC] "
FOOTER = (
    "-- \nThư gửi tự động từ hệ thống Chỉ số cải cách hành chính; xin đừng trả lời thư này.\n"
    "Mọi thông báo của bạn: {inbox}"
)


@dataclass(frozen=True)
class Notice:
    """What one notification says: its kind, its sentence, where it leads, its reminder key."""

    kind: str
    message: str
    link: str = ""
    key: str = ""


@dataclass(frozen=True)
class _Mail:
    to: str
    subject: str
    body: str
    notification_ids: list[int]


def notify(
    recipients: Iterable[AbstractBaseUser],
    kind: str,
    message: str,
    link: str,
    key: str = "",
    *,
    subject: str = "",
) -> list[Notification]:
    """The notice in each recipient's bell, and an e-mail to those with an address once
    the transaction commits. With a `key`, a recipient who had it already gets nothing.
    Returns the notifications created."""
    notice = Notice(kind, message, link, key)
    if key:
        created = [row for user in recipients if (row := _create_once(user, notice))]
    else:
        created = Notification.objects.bulk_create(_row(user, notice) for user in recipients)
    subject = subject or Notification.Kind(kind).label
    _mail_after_commit(
        [_mail(row.recipient, subject, [row], intro="") for row in created if row.recipient.email]
    )
    return created


def notify_digest(
    recipient: AbstractBaseUser, notices: list[Notice], *, title: str, intro: str
) -> list[Notification]:
    """Several reminders (each with its key) to one person: each created once, and one
    e-mail listing those created now, titled "`title` (how many)"."""
    created = [row for notice in notices if (row := _create_once(recipient, notice))]
    if created and recipient.email:
        subject = f"{title} ({len(created)})"
        _mail_after_commit([_mail(recipient, subject, created, intro=intro)])
    return created


def _row(recipient: AbstractBaseUser, notice: Notice) -> Notification:
    return Notification(
        recipient=recipient,
        kind=notice.kind,
        message=notice.message,
        link=notice.link,
        key=notice.key,
    )


def _create_once(recipient: AbstractBaseUser, notice: Notice) -> Notification | None:
    """The keyed notification, or None if the recipient has it already (the unique
    row waits for a concurrent run's insert and refuses the second)."""
    try:
        with transaction.atomic():
            row = _row(recipient, notice)
            row.save()
    except IntegrityError:
        return None
    return row


def _mail(
    recipient: AbstractBaseUser, subject: str, rows: list[Notification], *, intro: str
) -> _Mail:
    """Vietnamese plain text: the greeting by full name, each notice with its address."""
    name = full_name(recipient) or recipient.get_username()
    items = [_item(row) for row in rows]
    if intro:
        items = [intro, *(f"- {item}".replace("\n", "\n  ") for item in items)]
    footer = FOOTER.format(inbox=absolute_url(reverse("scoring:notifications")))
    body = "\n\n".join([f"Kính gửi {name},", *items, footer]) + "\n"
    return _Mail(recipient.email, SUBJECT_PREFIX + subject, body, [row.pk for row in rows])


def _item(row: Notification) -> str:
    return f"{row.message}\n{absolute_url(row.link)}" if row.link else row.message


def _mail_after_commit(mails: list[_Mail]) -> None:
    if mails:
        transaction.on_commit(lambda: _send(mails))


def _send(mails: list[_Mail]) -> None:
    """Send, then mark what went (a mail server that is down leaves emailed_at empty;
    the notification stays in the bell)."""
    sent = [
        pk
        for mail in mails
        if mail_send(to=[mail.to], subject=mail.subject, body=mail.body)
        for pk in mail.notification_ids
    ]
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())


# --- The bell's page ------------------------------------------------------------------


def notification_mark_read(*, notification: Notification) -> None:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def notifications_mark_all_read(*, user: AbstractBaseUser) -> int:
    """Every unread notification of the user read now; how many there were."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.update(read_at=timezone.now())
