"""Running reconcile_results in tests: its output and exit status."""

import io
from pathlib import Path

from django.core.management import CommandError, call_command

HERE = Path(__file__).parent
SEED_004 = HERE / "seed_004.csv"


def run_reconcile(path: Path, year: int = 2023, *options: str) -> tuple[int, list[str]]:
    """The command's exit status and the lines it printed (the last one on failure)."""
    out = io.StringIO()
    try:
        call_command("reconcile_results", str(path), "--year", str(year), *options, stdout=out)
    except CommandError as error:
        return error.returncode, [*out.getvalue().splitlines(), str(error)]
    return 0, out.getvalue().splitlines()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
