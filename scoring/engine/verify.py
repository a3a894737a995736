"""Stored tallies checked against the engine's full recompute (`assessment_breakdown`,
which sums every score through the criteria tree on its own): what
`manage.py verify_tallies` reports."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scoring.engine.breakdown import AssessmentBreakdown, NodeResult, assessment_breakdown
from scoring.engine.tallies import MILLI, Tally
from scoring.models import Assessment, AssessmentTally, FieldTally

CHUNK = 500  # assessments whose stored tallies are read at once

# The columns readers use; survey_leaves only says whether the survey part exists.
COMPARED = (
    "max_milli",
    "achieved_milli",
    "self_milli",
    "has_survey",
    "survey_max_milli",
    "survey_achieved_milli",
    "applicable_leaves",
    "self_scored_leaves",
    "appraised_leaves",
    "scored_leaves",
)


@dataclass(frozen=True)
class TallyDifference:
    assessment: Assessment
    field_code: str  # "" for the whole assessment
    column: str
    stored: object
    recomputed: object


def tally_differences(assessments: Iterable[Assessment]) -> Iterator[TallyDifference]:
    """Every stored value that differs from the recompute, a missing tally row as a
    difference of every column (stored None)."""
    batch: list[Assessment] = []
    for assessment in assessments:
        batch.append(assessment)
        if len(batch) == CHUNK:
            yield from _batch_differences(batch)
            batch = []
    if batch:
        yield from _batch_differences(batch)


def _batch_differences(batch: list[Assessment]) -> Iterator[TallyDifference]:
    ids = [assessment.pk for assessment in batch]
    totals = {t.assessment_id: _stored(t) for t in AssessmentTally.objects.filter(pk__in=ids)}
    fields: dict[int, dict[str, dict]] = {pk: {} for pk in ids}
    for row in FieldTally.objects.filter(assessment_id__in=ids).select_related("field"):
        fields[row.assessment_id][row.field.code] = _stored(row)
    for assessment in batch:
        breakdown = assessment_breakdown(assessment)
        yield from _compare(assessment, "", totals.get(assessment.pk), _whole(breakdown))
        expected = _per_field(breakdown)
        for code in sorted(expected.keys() | fields[assessment.pk].keys()):
            yield from _compare(
                assessment, code, fields[assessment.pk].get(code), expected.get(code)
            )


def _compare(assessment, code: str, stored: dict | None, expected: dict | None):
    for column in COMPARED:
        have = None if stored is None else stored[column]
        want = None if expected is None else expected[column]
        if have != want:
            yield TallyDifference(assessment, code, column, have, want)


def _stored(row) -> dict:
    values = {column: getattr(row, column) for column in COMPARED if column != "has_survey"}
    return values | {"has_survey": row.survey_leaves > 0}


def _milli(value) -> int:
    return int(value * MILLI)


def _columns(tally: Tally, survey: Tally | None, leaves: list[NodeResult]) -> dict:
    applying = [leaf for leaf in leaves if not leaf.not_applicable]
    self_scores = [leaf.self_score for leaf in applying if leaf.self_score is not None]
    return {
        "max_milli": _milli(tally.max_points),
        "achieved_milli": _milli(tally.achieved),
        "self_milli": _milli(sum(self_scores)) if self_scores else None,
        "has_survey": survey is not None,
        "survey_max_milli": _milli(survey.max_points) if survey else 0,
        "survey_achieved_milli": _milli(survey.achieved) if survey else 0,
        "applicable_leaves": len(applying),
        "self_scored_leaves": sum(1 for leaf in applying if leaf.score_basis == "self"),
        "appraised_leaves": sum(1 for leaf in applying if leaf.score_basis == "appraised"),
        "scored_leaves": sum(1 for leaf in applying if leaf.score_basis is not None),
    }


def _whole(breakdown: AssessmentBreakdown) -> dict:
    parts = breakdown.parts
    leaves = [node for node in breakdown.nodes if node.is_leaf]
    return _columns(breakdown.total, parts.survey if parts else None, leaves)


def _per_field(breakdown: AssessmentBreakdown) -> dict[str, dict]:
    by_id = {node.criterion_id: node for node in breakdown.nodes}

    def field_of(node: NodeResult) -> NodeResult:
        while node.parent_id is not None:
            node = by_id[node.parent_id]
        return node

    leaves: dict[int, list[NodeResult]] = {node.criterion_id: [] for node in breakdown.fields}
    for node in breakdown.nodes:
        if node.is_leaf:
            leaves[field_of(node).criterion_id].append(node)
    return {
        field.code: _columns(field.tally, field.survey_tally, leaves[field.criterion_id])
        for field in breakdown.fields
    }
