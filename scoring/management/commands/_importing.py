"""What the import commands share: how a failed import is told."""

from django.core.management.base import BaseCommand, CommandError

from cchc.formatting import format_number
from scoring.importing import ImportFailed


def failure(command: BaseCommand, error: ImportFailed) -> CommandError:
    """Write every error to stderr; the CommandError that follows exits non-zero."""
    for message in error.errors:
        command.stderr.write(message)
    return CommandError(
        f"Không nhập được: {format_number(error.total)} lỗi. Chưa ghi gì vào cơ sở dữ liệu."
    )
