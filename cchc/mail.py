"""Sending e-mail without letting a mail server that is down break the work."""

import logging

from django.core.mail import send_mail

logger = logging.getLogger(__name__)


def mail_send(*, to: list[str], subject: str, body: str) -> bool:
    """Send one plain-text e-mail (SMTP from the environment; the console in
    development). False, and the failure logged, if the mail server could not take it:
    the caller tells the user another way (the bell, a password shown once)."""
    recipients = [address for address in to if address]
    if not recipients:
        return False
    try:
        send_mail(subject, body, None, recipients)
    except OSError:  # smtplib's errors and refused connections are OSErrors
        logger.exception("E-mail «%s» to %s could not be sent", subject, recipients)
        return False
    return True
