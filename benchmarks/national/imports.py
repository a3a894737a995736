"""The import rows: `manage.py import_scores` in a subprocess beside COPY + one upsert
that writes the history too, and the command's peak memory at two file sizes.

The files are for the year after the data set's last (FINAL_YEAR + 1), so nothing a
page shows moves: the first import creates that year's draft assessments, and every
run starts with none of its scores. The year is deleted again at the end.
"""

import csv
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.load.data import ROOT

# Communes made only so a file can have 1,000,000 rows, in no province.
EXTRA_PREFIX = "BENCH-M-"

COPY_TABLE = (
    "CREATE TEMP TABLE bench_import (unit_code text, criterion_code text,"
    " self_score text, appraised_score text, note text) ON COMMIT DROP"
)

# The floor: what the import writes (scores created or updated, and a history row
# for each), without a single check, in one statement after the COPY.
UPSERT_WITH_HISTORY = """
WITH up AS (
    INSERT INTO scoring_score (assessment_id, criterion_id, self_score, appraised_score,
        note, not_applicable, appraisal_comment, declared_tier, explanation,
        first_round_comment, not_applicable_reason)
    SELECT a.id, c.id, REPLACE(i.self_score, ',', '.')::numeric,
        NULLIF(REPLACE(i.appraised_score, ',', '.'), '')::numeric, COALESCE(i.note, ''),
        FALSE, '', '', '', '', ''
    FROM bench_import i
    JOIN scoring_unit u ON u.code = i.unit_code
    JOIN scoring_assessment a ON a.unit_id = u.id AND a.year = %(year)s
    JOIN scoring_criterion c ON c.framework_id = a.framework_id AND c.code = i.criterion_code
    ON CONFLICT (assessment_id, criterion_id) DO UPDATE SET
        self_score = EXCLUDED.self_score, appraised_score = EXCLUDED.appraised_score,
        note = EXCLUDED.note
    RETURNING {columns}, (xmax = 0) AS created
)
INSERT INTO scoring_historicalscore ({columns}, history_date, history_change_reason,
    history_type, history_user_id)
SELECT {columns}, NOW(), %(reason)s, CASE WHEN created THEN '+' ELSE '~' END, NULL FROM up
"""

CLEAR_YEAR = """
DELETE FROM {table} t USING scoring_assessment a
WHERE t.assessment_id = a.id AND a.year = %s
"""


def import_year() -> int:
    from scoring.synthetic import FINAL_YEAR

    return FINAL_YEAR + 1


@dataclass(frozen=True)
class ScoreFile:
    path: Path
    rows: int


def score_file(folder: Path, rows: int) -> ScoreFile:
    """A clerk's CSV of `rows` rows: every leaf of as many communes as that takes,
    with decimal commas as Vietnamese spreadsheets write them."""
    leaves = _leaves_open(import_year())
    codes = _communes(math.ceil(rows / len(leaves)))
    path = folder / f"scores-{rows}.csv"
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit_code", "criterion_code", "self_score", "appraised_score", "note"])
        for code in codes:
            for leaf in leaves[: rows - written]:
                writer.writerow([code, leaf, "0,5", "0,25", ""])
                written += 1
    return ScoreFile(path, written)


def _leaves_open(year: int) -> list[str]:
    """The data set's leaf codes, its framework extended to cover `year`."""
    from scoring.models import Criterion, Framework
    from scoring.synthetic import dataset_framework_name

    framework = Framework.objects.get(name=dataset_framework_name(1))
    Framework.objects.filter(pk=framework.pk, year_to__lt=year).update(year_to=year)
    leaves = Criterion.objects.filter(framework=framework, is_leaf=True).order_by("sort_key")
    return list(leaves.values_list("code", flat=True))


def _communes(count: int) -> list[str]:
    """Codes of `count` communes: the data set's, then extra ones made for the purpose."""
    from scoring.models import Unit, UnitLevel
    from scoring.synthetic import dataset_prefix

    prefix = dataset_prefix(1)
    have = Unit.objects.filter(code__startswith=prefix).order_by("-code")
    codes = list(have.values_list("code", flat=True)[:count])
    need = count - len(codes)
    made = Unit.objects.filter(code__startswith=EXTRA_PREFIX).count()
    if need > made:
        model = have.first()
        Unit.objects.bulk_create(
            Unit(
                code=f"{EXTRA_PREFIX}{i:05d}",
                name=f"Xã đo nhập điểm {i:05d}",
                level=UnitLevel.COMMUNE,
                # Outside the Nội vụ account's province: its pages keep their scope.
                ranking_group_id=model.ranking_group_id,
            )
            for i in range(made + 1, need + 1)
        )
    extra = Unit.objects.filter(code__startswith=EXTRA_PREFIX).order_by("code")
    return codes + list(extra.values_list("code", flat=True)[:need])


def scores_clear() -> None:
    """Before each run: the year has no scores, and no history rows for them (plain SQL:
    the ORM's delete writes a history row per score, minutes for 100,000)."""
    from django.db import connection

    year = import_year()
    with connection.cursor() as cursor:
        for table in ("scoring_score", "scoring_historicalscore"):
            cursor.execute(CLEAR_YEAR.format(table=table), [year])


def year_drop() -> None:
    """The year's scores, history and assessments gone, the tables vacuumed."""
    from django.db import connection

    from scoring.models import Assessment

    scores_clear()
    Assessment.objects.filter(year=import_year()).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE scoring_score, scoring_historicalscore")


@dataclass
class Command:
    """`manage.py import_scores` in a subprocess; remembers each run's peak memory."""

    file: ScoreFile
    env: dict[str, str]
    peaks_mib: list[float]

    def __call__(self) -> None:
        args = ["manage.py", "import_scores", str(self.file.path), f"--year={import_year()}"]
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(
                [sys.executable, *args],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
            # wait4 gives this child's own peak RSS (RUSAGE_CHILDREN would give the
            # largest of every child so far).
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode:
                errors.seek(0)
                raise SystemExit(f"import_scores failed:\n{errors.read().decode()[-3000:]}")
        self.peaks_mib.append(usage.ru_maxrss / 1024)  # KiB on Linux


def bare_import(file: ScoreFile) -> Callable[[], None]:
    from django.db import connection, transaction

    from scoring.models import Score
    from scoring.resources.scores import IMPORTED

    tracked = Score.history.model.tracked_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in tracked)
    sql = UPSERT_WITH_HISTORY.format(columns=columns)

    def run() -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(COPY_TABLE)
            with file.path.open(encoding="utf-8") as handle:
                cursor.copy_expert("COPY bench_import FROM STDIN WITH CSV HEADER", handle)
            cursor.execute(sql, {"year": import_year(), "reason": IMPORTED})

    return run
