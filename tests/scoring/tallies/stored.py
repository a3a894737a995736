"""The stored tallies of an assessment as plain values, and the values a test expects.

Points come back as Decimal (the stored thousandths over 1000), counts as ints, so a
test compares them with the numbers a person would work out from the sheet.
"""

from decimal import Decimal

from scoring.engine import from_milli
from scoring.engine.breakdown import assessment_breakdown
from scoring.engine.verify import tally_differences
from scoring.models import Assessment, AssessmentTally, FieldTally

WHOLE = ""  # the key of the whole assessment beside its fields' codes


def tally(
    max_points: str,
    achieved: str,
    self_points: str | None,
    *,
    applicable: int,
    self_scored: int = 0,
    appraised: int = 0,
    survey: tuple[int, str, str] = (0, "0", "0"),
) -> dict:
    """What one stored row should hold; `survey` is (leaves, max, achieved)."""
    survey_leaves, survey_max, survey_achieved = survey
    return {
        "max": Decimal(max_points),
        "achieved": Decimal(achieved),
        "self": None if self_points is None else Decimal(self_points),
        "survey_leaves": survey_leaves,
        "survey_max": Decimal(survey_max),
        "survey_achieved": Decimal(survey_achieved),
        "applicable": applicable,
        "self_scored": self_scored,
        "appraised": appraised,
        "scored": self_scored + appraised,
    }


def _values(row: AssessmentTally | FieldTally) -> dict:
    return {
        "max": from_milli(row.max_milli),
        "achieved": from_milli(row.achieved_milli),
        "self": None if row.self_milli is None else from_milli(row.self_milli),
        "survey_leaves": row.survey_leaves,
        "survey_max": from_milli(row.survey_max_milli),
        "survey_achieved": from_milli(row.survey_achieved_milli),
        "applicable": row.applicable_leaves,
        "self_scored": row.self_scored_leaves,
        "appraised": row.appraised_leaves,
        "scored": row.scored_leaves,
    }


def stored(assessment: Assessment) -> dict[str, dict]:
    """{"": the whole assessment, "1": field 1, …} as stored now."""
    rows = {WHOLE: _values(AssessmentTally.objects.get(assessment_id=assessment.pk))}
    for row in FieldTally.objects.filter(assessment_id=assessment.pk).select_related("field"):
        rows[row.field.code] = _values(row)
    return rows


def assert_right(assessment: Assessment) -> None:
    """The stored tallies equal the engine's full recompute from the scores: what
    `verify_tallies` checks, and the points compared here on their own with a fresh
    breakdown (whole, each field, the survey part)."""
    assessment = Assessment.objects.select_related("unit").get(pk=assessment.pk)
    assert list(tally_differences([assessment])) == []
    breakdown = assessment_breakdown(assessment)
    rows = stored(assessment)
    assert set(rows) == {WHOLE, *(field.code for field in breakdown.fields)}
    assert _points(rows[WHOLE]) == (breakdown.total.max_points, breakdown.total.achieved)
    for field in breakdown.fields:
        assert _points(rows[field.code]) == (field.tally.max_points, field.tally.achieved)
    survey = breakdown.parts.survey if breakdown.parts else None
    assert (rows[WHOLE]["survey_max"], rows[WHOLE]["survey_achieved"]) == (
        (survey.max_points, survey.achieved) if survey else (0, 0)
    )


def _points(row: dict) -> tuple[Decimal, Decimal]:
    return row["max"], row["achieved"]
