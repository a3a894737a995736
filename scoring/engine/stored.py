"""Stored tallies: every assessment's totals, per field and whole, kept in the database.

`refresh_tallies` rewrites them from the scores in a few set-based statements, in the
caller's transaction. Every write that can move points calls it (or, for one score
saved through the ORM, the signal in `scoring.signals` does), so readers (rankings,
dashboards, analyses, exports) take totals from one row per assessment instead of
summing its hundred scores again. The sums are the engine's: exact thousandths, a leaf
that does not apply leaves both the points and the max, a leaf with no score row
counts 0 (see `scoring.engine.tallies`).
"""

from collections.abc import Iterable

from django.db import connection, transaction

from scoring.models import (
    Assessment,
    AssessmentTally,
    Criterion,
    CriterionLink,
    CriterionSource,
    FieldTally,
    Score,
)

REFRESH_BATCH = 500  # assessments per statement, well inside every database's parameters

COUNTED = (
    "max_milli",
    "achieved_milli",
    "self_milli",
    "survey_leaves",
    "survey_max_milli",
    "survey_achieved_milli",
    "applicable_leaves",
    "self_scored_leaves",
    "appraised_leaves",
    "scored_leaves",
)

_MILLI = "CAST(ROUND({} * 1000) AS BIGINT)"
_FINAL = "COALESCE(s.appraised_score, s.self_score)"
# A score row that does not exist applies (`s.not_applicable` is then NULL).
_APPLIES = "s.not_applicable IS NOT TRUE"

FIELD_TALLY_SQL = f"""
INSERT INTO {{field_tally}} (assessment_id, field_id, {", ".join(COUNTED)})
SELECT a.id, link.ancestor_id,
    SUM(CASE WHEN {_APPLIES} THEN {_MILLI.format("leaf.max_points")} ELSE 0 END),
    SUM(CASE WHEN {_APPLIES} THEN COALESCE({_MILLI.format(_FINAL)}, 0) ELSE 0 END),
    SUM(CASE WHEN {_APPLIES} THEN {_MILLI.format("s.self_score")} END),
    SUM(CASE WHEN leaf.source = '{{survey}}' THEN 1 ELSE 0 END),
    SUM(CASE WHEN {_APPLIES} AND leaf.source = '{{survey}}'
        THEN {_MILLI.format("leaf.max_points")} ELSE 0 END),
    SUM(CASE WHEN {_APPLIES} AND leaf.source = '{{survey}}'
        THEN COALESCE({_MILLI.format(_FINAL)}, 0) ELSE 0 END),
    SUM(CASE WHEN {_APPLIES} THEN 1 ELSE 0 END),
    SUM(CASE WHEN {_APPLIES} AND s.appraised_score IS NULL AND s.self_score IS NOT NULL
        THEN 1 ELSE 0 END),
    SUM(CASE WHEN {_APPLIES} AND s.appraised_score IS NOT NULL THEN 1 ELSE 0 END),
    SUM(CASE WHEN {_APPLIES} AND {_FINAL} IS NOT NULL THEN 1 ELSE 0 END)
FROM {{assessment}} a
JOIN {{criterion}} leaf ON leaf.framework_id = a.framework_id AND leaf.is_leaf
JOIN {{link}} link ON link.descendant_id = leaf.id
JOIN {{criterion}} field ON field.id = link.ancestor_id AND field.depth = 0
LEFT JOIN {{score}} s ON s.assessment_id = a.id AND s.criterion_id = leaf.id
WHERE a.id IN ({{ids}})
GROUP BY a.id, link.ancestor_id
"""

# The whole assessment is the sum of its fields (self_milli stays None while every
# field's is); an assessment whose framework has no criteria yet still gets its row.
_FIELD_SUMS = ", ".join(
    "SUM(f.self_milli)" if column == "self_milli" else f"COALESCE(SUM(f.{column}), 0)"
    for column in COUNTED
)
ASSESSMENT_TALLY_SQL = f"""
INSERT INTO {{assessment_tally}} (assessment_id, {", ".join(COUNTED)})
SELECT a.id, {_FIELD_SUMS}
FROM {{assessment}} a
LEFT JOIN {{field_tally}} f ON f.assessment_id = a.id
WHERE a.id IN ({{ids}})
GROUP BY a.id
"""

TABLES = {
    "assessment": Assessment._meta.db_table,
    "assessment_tally": AssessmentTally._meta.db_table,
    "field_tally": FieldTally._meta.db_table,
    "criterion": Criterion._meta.db_table,
    "link": CriterionLink._meta.db_table,
    "score": Score._meta.db_table,
    "survey": CriterionSource.SURVEY,
}


@transaction.atomic(savepoint=False)
def refresh_tallies(assessment_ids: Iterable[int | None]) -> None:
    """Recompute the stored tallies of these assessments from their scores.

    Locks the assessment rows first (in id order, as every other write does), so two
    writes refreshing the same assessment wait for each other rather than both
    inserting its rows. Four statements per 500 assessments, one more for the lock.
    """
    ids = sorted({pk for pk in assessment_ids if pk is not None})
    for start in range(0, len(ids), REFRESH_BATCH):
        _refresh_batch(ids[start : start + REFRESH_BATCH])


def refresh_every_tally() -> None:
    """Every assessment's tallies (after a bulk load, or to repair)."""
    refresh_tallies(Assessment.objects.values_list("pk", flat=True).iterator())


def _refresh_batch(ids: list[int]) -> None:
    list(Assessment.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    placeholders = ", ".join(["%s"] * len(ids))
    AssessmentTally.objects.filter(assessment_id__in=ids).delete()
    FieldTally.objects.filter(assessment_id__in=ids).delete()
    with connection.cursor() as cursor:
        for template in (FIELD_TALLY_SQL, ASSESSMENT_TALLY_SQL):
            cursor.execute(template.format(ids=placeholders, **TABLES), ids)
