"""The appraisal record ("Phiếu thẩm định"): per leaf the self and appraised score and
the comment, the engine's subtotals and total, and who signed the appraisal off when.

`appraisal_record` reads the data (a fixed number of queries), `appraisal_record_pdf`
renders it with the shared WeasyPrint renderer (cchc.pdf), for the appraisal team's file.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from cchc.pdf import html_to_pdf
from scoring.engine import AssessmentBreakdown, NodeResult, assessment_breakdown
from scoring.models import Assessment, AssessmentEvent, AssessmentStatus, Score

SIGNED_STATUSES = {AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED}


@dataclass(frozen=True)
class RecordRow:
    node: NodeResult
    comment: str = ""
    first_round_score: Decimal | None = None
    first_round_comment: str = ""
    not_applicable_reason: str = ""


@dataclass(frozen=True)
class AppraisalRecord:
    assessment: Assessment
    breakdown: AssessmentBreakdown
    rows: list[RecordRow]
    # The "Hoàn tất thẩm định" step the record stands for; None while the appraisal is
    # not complete (the sheet reopened or returned since), when it prints as a working copy.
    signoff: AssessmentEvent | None
    printed_on: date

    @property
    def two_rounds(self) -> bool:
        return self.assessment.appraisal_round == 2

    @property
    def appraised_elsewhere(self) -> bool:
        """Appraised or published with no "Hoàn tất thẩm định" step here: the result came
        in by import (appraised outside the system), so there is no sign-off to print."""
        return self.signoff is None and self.assessment.status in SIGNED_STATUSES

    @property
    def signed_on(self) -> date | None:
        return timezone.localdate(self.signoff.at) if self.signoff else None


def appraisal_record(assessment: Assessment) -> AppraisalRecord:
    """The record of `assessment` in four queries, whatever the number of criteria."""
    breakdown = assessment_breakdown(assessment)
    extras = {
        s["criterion_id"]: s
        for s in Score.objects.filter(assessment=assessment)
        .values(
            "criterion_id",
            "appraisal_comment",
            "first_round_score",
            "first_round_comment",
            "not_applicable_reason",
        )
        .order_by()
    }
    rows = [_row(node, extras.get(node.criterion_id, {})) for node in breakdown.nodes]
    signoff = None
    if assessment.status in SIGNED_STATUSES:
        signoff = assessment.events.filter(action=AssessmentEvent.Action.APPRAISE).first()
    return AppraisalRecord(
        assessment=assessment,
        breakdown=breakdown,
        rows=rows,
        signoff=signoff,
        printed_on=timezone.localdate(),
    )


def _row(node: NodeResult, extra: dict) -> RecordRow:
    if not node.is_leaf:
        return RecordRow(node=node)
    return RecordRow(
        node=node,
        comment=extra.get("appraisal_comment", ""),
        first_round_score=extra.get("first_round_score"),
        first_round_comment=extra.get("first_round_comment", ""),
        not_applicable_reason=extra.get("not_applicable_reason", ""),
    )


def appraisal_record_html(record: AppraisalRecord) -> str:
    return render_to_string("scoring/pdf/appraisal_record.html", {"record": record})


def appraisal_record_pdf(record: AppraisalRecord) -> bytes:
    """Phiếu thẩm định: A4 portrait, Liberation Serif, as the plans."""
    return html_to_pdf(appraisal_record_html(record))
