"""Running the import commands the way a clerk does, for the import tests."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run_command(name: str, *args: str) -> str:
    """Run a command that must succeed; returns what it printed."""
    stdout = io.StringIO()
    call_command(name, *args, stdout=stdout, stderr=io.StringIO())
    return stdout.getvalue()


def failing_command(name: str, *args: str) -> list[str]:
    """Run a command that must fail with a non-zero exit; returns its error lines."""
    stderr = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(name, *args, stdout=io.StringIO(), stderr=stderr)
    assert raised.value.returncode != 0
    assert "Chưa ghi gì vào cơ sở dữ liệu" in str(raised.value)
    return stderr.getvalue().splitlines()
