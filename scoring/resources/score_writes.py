"""Writing imported scores: a staging table, then a few statements whatever the rows.

The rows go into a temporary table (COPY on PostgreSQL, one executemany on SQLite);
the database then finds which scores are new or changed, moves those sheets'
concurrency token, updates and inserts the scores, and copies their history rows
(INSERT … SELECT), all in the caller's transaction. Unchanged rows move nothing.
"""

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from scoring.engine import refresh_tallies
from scoring.models import Score
from scoring.services import assessments_bump_version

IMPORTED = "nhập từ tệp"
VALUE_COLUMNS = ("self_score", "appraised_score", "note", "not_applicable")
STAGING = "scoring_score_import"
HISTORY_BATCH = 2000  # score ids per history statement
ScoreRow = tuple[int, int, Decimal | None, Decimal | None, str, bool]  # ids, then VALUE_COLUMNS


def write_scores(rows: Sequence[ScoreRow], *, columns: Sequence[str]) -> int:
    """Create or update these scores (at most one row per assessment and criterion);
    `columns` are the VALUE_COLUMNS an existing score takes from its row. Returns how
    many scores were created."""
    if not rows:
        return 0
    with connection.cursor() as cursor:
        _stage(cursor, rows)
        cursor.execute(
            MOVED_SQL.format(
                staging=STAGING, table=Score._meta.db_table, changed=_changed(columns, "s")
            )
        )
        moved = {assessment_id for (assessment_id,) in cursor.fetchall()}
        assessments_bump_version(assessment_ids=moved)
        cursor.execute(_update_sql(columns))
        changed = [score_id for (score_id,) in cursor.fetchall()]
        cursor.execute(_insert_sql(), _defaults())
        created = [score_id for (score_id,) in cursor.fetchall()]
    history_copy(created, history_type="+")
    history_copy(changed, history_type="~")
    refresh_tallies(moved)  # the stored totals of the sheets whose scores moved
    return len(created)


MOVED_SQL = """
SELECT DISTINCT i.assessment_id FROM {staging} i
LEFT JOIN {table} s ON s.assessment_id = i.assessment_id AND s.criterion_id = i.criterion_id
WHERE s.id IS NULL OR {changed}
"""


def _update_sql(columns: Sequence[str]) -> str:
    table = Score._meta.db_table
    assignments = ", ".join(f"{name} = i.{name}" for name in columns)
    return (
        f"UPDATE {table} SET {assignments} FROM {STAGING} i"
        f" WHERE {table}.assessment_id = i.assessment_id"
        f" AND {table}.criterion_id = i.criterion_id AND ({_changed(columns, table)})"
        f" RETURNING {table}.id"
    )


def _insert_sql() -> str:
    table = Score._meta.db_table
    others = _other_columns()
    names = ", ".join(["assessment_id", "criterion_id", *VALUE_COLUMNS, *others])
    values = ", ".join(
        [f"i.{name}" for name in ("assessment_id", "criterion_id", *VALUE_COLUMNS)]
        + ["%s"] * len(others)
    )
    return (
        f"INSERT INTO {table} ({names}) SELECT {values} FROM {STAGING} i"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE s.assessment_id = i.assessment_id"
        " AND s.criterion_id = i.criterion_id)"
        " RETURNING id"
    )


def _other_fields() -> list:
    """The fields an import does not fill, which new scores take at their default."""
    filled = {"id", "assessment", "criterion", *VALUE_COLUMNS}
    return [field for field in Score._meta.concrete_fields if field.name not in filled]


def _other_columns() -> list[str]:
    return [field.column for field in _other_fields()]


def _defaults() -> list:
    return [field.get_db_prep_save(field.get_default(), connection) for field in _other_fields()]


def _changed(columns: Sequence[str], table: str) -> str:
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    return " OR ".join(f"{table}.{name} {differs} i.{name}" for name in columns)


STAGING_COLUMNS = (
    "assessment_id bigint NOT NULL, criterion_id bigint NOT NULL, self_score decimal,"
    " appraised_score decimal, note text NOT NULL, not_applicable boolean NOT NULL"
)


def _stage(cursor, rows: Sequence[ScoreRow]) -> None:
    """The rows in the staging table, emptied first: one per connection, kept for the
    next chunk (a fresh table per chunk would grow PostgreSQL's catalog)."""
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} ({STAGING_COLUMNS})")
    if connection.vendor != "postgresql":
        cursor.execute(f"DELETE FROM {STAGING}")
        cursor.executemany(f"INSERT INTO {STAGING} VALUES (%s, %s, %s, %s, %s, %s)", rows)
        return
    # TRUNCATE, not DELETE: dead rows would pile up in the staging table until commit.
    cursor.execute(f"TRUNCATE {STAGING}")
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        (a, c, _text(s), _text(p), note, "t" if na else "f") for a, c, s, p, note, na in rows
    )
    buffer.seek(0)
    cursor.copy_expert(
        f"COPY {STAGING} FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (note))", buffer
    )
    # Without statistics the planner guesses the staging table's size, and may scan
    # the whole score table to join it.
    cursor.execute(f"ANALYZE {STAGING}")


def _text(points: Decimal | None) -> str:
    return "" if points is None else str(points)


def history_copy(score_ids: list[int], *, history_type: str) -> None:
    """django-simple-history's rows for these scores as they now stand, copied by the
    database (INSERT … SELECT). The library's bulk_history_create builds a model
    instance per row: 11 s for 100,000 imported scores, against well under one here.
    Who: the admin user through the library's request middleware, or none."""
    history = Score.history.model
    columns = ", ".join(connection.ops.quote_name(f.column) for f in history.tracked_fields)
    user = history.get_default_history_user(None)
    stamp = [
        connection.ops.adapt_datetimefield_value(timezone.now()),
        IMPORTED,
        history_type,
        user.pk if user else None,
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(score_ids), HISTORY_BATCH):
            batch = score_ids[start : start + HISTORY_BATCH]
            cursor.execute(
                f"INSERT INTO {history._meta.db_table} ({columns}, history_date,"
                " history_change_reason, history_type, history_user_id)"
                f" SELECT {columns}, %s, %s, %s, %s FROM {Score._meta.db_table}"
                f" WHERE id IN ({', '.join(['%s'] * len(batch))})",
                [*stamp, *batch],
            )
