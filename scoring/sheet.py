"""The scoring sheet: what it shows (read) and saving it (write).

Points, subtotals and deductions come from `scoring.engine.assessment_breakdown`;
this module only adds what the sheet shows beside them (rules, declared facts,
comments, evidence counts). Reading and saving take a fixed number of queries
whatever the number of criteria.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cchc.formatting import format_points
from scoring.access import User, is_home_affairs
from scoring.appraisal import self_scores_to_accept
from scoring.engine import (
    AssessmentBreakdown,
    NodeResult,
    assessment_breakdown,
    refresh_tallies,
)
from scoring.forms import AGREES, NOT_APPLICABLE_TICKED, LeafSpec, RowInput
from scoring.models import Assessment, AssessmentEvent, Criterion, CriterionSource, Evidence, Score
from scoring.rules import parse_rule
from scoring.services import assessments_bump_version
from scoring.workflow import (
    APPRAISED,
    EXPLANATION,
    SELF,
    editable_columns,
    last_event,
    sheet_state,
)

CONFLICT_MESSAGE = (
    "Có người khác đã lưu phiếu chấm này sau khi bạn mở nó, nên phiếu của bạn chưa được "
    "lưu. Các giá trị bạn vừa nhập vẫn giữ nguyên bên dưới; ô nào khác bản vừa được lưu "
    "có ghi «Bản đã lưu». Kiểm tra rồi bấm «Lưu phiếu chấm» nếu muốn giữ giá trị của bạn."
)

CLOSED_MESSAGE = (
    "Phiếu chấm không mở để bạn sửa (đã hết hạn, hoặc đã chuyển sang bước khác sau khi bạn "
    "mở nó), nên chưa lưu gì. Những gì bạn vừa nhập được ghi ở từng dòng («Bạn đã nhập, "
    "chưa lưu») để bạn chép lại."
)


class SheetConflict(Exception):
    """Someone saved the sheet (or moved it on) after this form was read."""


def sheet_token(assessment: Assessment) -> str:
    """The concurrency token the form carries: the assessment's version, which every
    write that changes the sheet moves (`scoring.services.assessments_bump_version`)."""
    return str(assessment.version)


@dataclass(frozen=True)
class LeafRounds:
    """A leaf's round 1 and the unit's explanation, shown beside round 2."""

    first_score: Decimal | None
    first_comment: str
    agrees: bool | None
    explanation: str
    explanation_files: int


@dataclass
class SheetRow:
    """A node of the sheet: a heading (field/criterion) or a leaf with its inputs."""

    node: NodeResult
    spec: LeafSpec | None = None
    comment: str = ""
    not_applicable_reason: str = ""
    evidence_count: int = 0
    rounds: LeafRounds | None = None
    cells: dict[str, dict[str, str]] = field(default_factory=dict)
    ancestors: list[int] = field(default_factory=list)
    # (column label, text) typed into a sheet that closed before it was saved.
    unsaved: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Sheet:
    assessment: Assessment
    breakdown: AssessmentBreakdown
    rows: list[SheetRow]

    @property
    def leaves(self) -> list[LeafSpec]:
        return [row.spec for row in self.rows if row.spec]

    @property
    def rounds_shown(self) -> bool:
        """Round 1 and the explanation are kept: show them beside round 2."""
        return self.assessment.appraisal_round == 2


def sheet_read(assessment: Assessment) -> Sheet:
    """The whole sheet in five queries: breakdown, leaf rules, score extras, evidence."""
    breakdown = assessment_breakdown(assessment)
    criteria = {
        c["id"]: c
        for c in Criterion.objects.filter(framework_id=assessment.framework_id, is_leaf=True)
        .values("id", "min_points", "rule", "source")
        .order_by()
    }
    extras = {
        s["criterion_id"]: s
        for s in Score.objects.filter(assessment=assessment)
        .values(
            "criterion_id",
            "appraisal_comment",
            "declared_tier",
            "declared_ratio",
            "not_applicable_reason",
            *ROUND_FIELDS,
        )
        .order_by()
    }
    evidence = {
        e["criterion_id"]: e
        for e in Evidence.objects.filter(assessment=assessment)
        .values("criterion_id")
        .annotate(n=Count("id"), added=Count("id", filter=Q(for_explanation=True)))
        .order_by()
    }
    rounds = assessment.appraisal_round == 2
    rows = [_row(node, criteria, extras, evidence, rounds) for node in breakdown.nodes]
    parents = {node.criterion_id: node.parent_id for node in breakdown.nodes}
    for row in rows:
        row.ancestors = _ancestors(row.node.parent_id, parents)
    return Sheet(assessment=assessment, breakdown=breakdown, rows=rows)


def _ancestors(parent_id: int | None, parents: dict[int, int | None]) -> list[int]:
    chain = []
    while parent_id is not None:
        chain.append(parent_id)
        parent_id = parents[parent_id]
    return chain


COLUMN_LABELS = {
    "self": "Tự chấm",
    "tier": "Mức",
    "ratio": "Tỷ lệ (%)",
    "note": "Ghi chú",
    "appraised": "Thẩm định",
    "comment": "Nhận xét",
    "agrees": "Đồng ý với vòng 1",
    "explanation": "Giải trình",
    "na": "Không áp dụng",
    "na_reason": "Lý do không áp dụng",
}
ROUND_FIELDS = ("first_round_score", "first_round_comment", "explanation_agrees", "explanation")


def sheet_fill_cells(
    sheet: Sheet, typed: dict[int, RowInput] | None = None, *, closed: bool = False
) -> None:
    """What each input shows: the text just typed after a refused save, else what is stored.

    `closed`: the sheet closed to this user before the save (a deadline passed, the sheet
    moved on); what they typed is listed per row so it can be copied, not lost.
    """
    for row in sheet.rows:
        if row.spec:
            row.cells = _cells(row, (typed or {}).get(row.spec.criterion_id))
            if closed:
                row.unsaved = [
                    (COLUMN_LABELS[column], cell["text"])
                    for column, cell in row.cells.items()
                    if cell["text"] != cell["stored"]
                ]


def _cells(row: SheetRow, typed: RowInput | None) -> dict[str, dict[str, str]]:
    node, spec, pk = row.node, row.spec, row.node.criterion_id
    stored = {
        "self": format_points(node.self_score),
        "appraised": format_points(node.appraised_score),
        "note": node.note,
        "comment": row.comment,
        "tier": spec.stored_tier,
        "ratio": format_points(spec.stored_ratio),
        "agrees": _agrees_text(row.rounds.agrees) if row.rounds else "",
        "explanation": row.rounds.explanation if row.rounds else "",
        "na": NOT_APPLICABLE_TICKED if node.not_applicable else "",
        "na_reason": row.not_applicable_reason,
    }
    texts = typed.texts if typed else {}
    errors = typed.errors if typed else {}
    return {
        column: {
            "name": f"{column}-{pk}",
            "text": texts.get(f"{column}-{pk}", value),
            "stored": value,
            "error": errors.get(f"{column}-{pk}", ""),
        }
        for column, value in stored.items()
    }


def _agrees_text(agrees: bool | None) -> str:
    return next((text for text, value in AGREES.items() if value is agrees), "")


def _row(node: NodeResult, criteria: dict, extras: dict, evidence: dict, rounds: bool) -> SheetRow:
    if not node.is_leaf:
        return SheetRow(node=node)
    criterion = criteria[node.criterion_id]
    extra = extras.get(node.criterion_id, {})
    files = evidence.get(node.criterion_id, {})
    spec = LeafSpec(
        criterion_id=node.criterion_id,
        code=node.code,
        min_points=criterion["min_points"],
        max_points=node.framework_max,
        rule=parse_rule(criterion["rule"]),
        stored_tier=extra.get("declared_tier", ""),
        stored_ratio=extra.get("declared_ratio"),
        first_round_score=extra.get("first_round_score") if rounds else None,
        survey=criterion["source"] == CriterionSource.SURVEY,
    )
    return SheetRow(
        node=node,
        spec=spec,
        comment=extra.get("appraisal_comment", ""),
        not_applicable_reason=extra.get("not_applicable_reason", ""),
        evidence_count=files.get("n", 0),
        rounds=_rounds(extra, files) if rounds else None,
    )


def _rounds(extra: dict, files: dict) -> LeafRounds:
    return LeafRounds(
        first_score=extra.get("first_round_score"),
        first_comment=extra.get("first_round_comment", ""),
        agrees=extra.get("explanation_agrees"),
        explanation=extra.get("explanation", ""),
        explanation_files=files.get("added", 0),
    )


SELF_FIELDS = ["self_score", "note", "declared_tier", "declared_ratio"]
APPRAISED_FIELDS = [
    "appraised_score",
    "appraisal_comment",
    "not_applicable",
    "not_applicable_reason",
]
EXPLANATION_FIELDS = ["explanation_agrees", "explanation"]


@transaction.atomic
def sheet_save(*, assessment: Assessment, user: User, token: str, rows: dict[int, RowInput]) -> int:
    """Write every changed leaf in one transaction; returns how many changed.

    Refuses with SheetConflict when the assessment's token is not the one the
    form was read with, or when the columns this user may edit changed since.
    """
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if sheet_token(locked) != token:
        raise SheetConflict
    columns = editable_columns(user, sheet_state(locked, last_event=last_event(locked)))
    if not columns:
        raise SheetConflict
    fields = (
        (SELF_FIELDS if SELF in columns else [])
        + (APPRAISED_FIELDS if APPRAISED in columns else [])
        + (EXPLANATION_FIELDS if EXPLANATION in columns else [])
    )
    stored = {s.criterion_id: s for s in Score.objects.filter(assessment=locked)}
    changed, created = [], []
    for criterion_id, typed in rows.items():
        score = stored.get(criterion_id) or Score(assessment=locked, criterion_id=criterion_id)
        if _apply(score, typed, fields):
            (changed if score.pk else created).append(score)
    if changed:
        bulk_update_with_history(changed, Score, fields, default_user=user, batch_size=500)
    if created:
        bulk_create_with_history(created, Score, default_user=user, batch_size=500)
    if changed or created:
        # Only a real change moves the token: a save of an unchanged sheet must not
        # refuse a colleague's form opened before it.
        assessments_bump_version(assessment_ids=[locked.pk])
        refresh_tallies([locked.pk])
    return len(changed) + len(created)


def _apply(score: Score, typed: RowInput, fields: list[str]) -> bool:
    values = {
        "self_score": typed.self_score,
        "note": typed.note,
        "declared_tier": typed.tier,
        "declared_ratio": typed.ratio,
        "appraised_score": typed.appraised_score,
        "appraisal_comment": typed.comment,
        "explanation_agrees": typed.agrees,
        "explanation": typed.explanation,
        "not_applicable": typed.not_applicable,
        "not_applicable_reason": typed.not_applicable_reason,
    }
    differs = any(getattr(score, name) != values[name] for name in fields)
    for name in fields:
        setattr(score, name, values[name])
    return differs and (score.pk is not None or _has_content(values))


def _has_content(values: dict) -> bool:
    # An unticked "không áp dụng" is no content, while a score of 0 or "không đồng ý" is.
    if values.get("not_applicable"):
        return True
    return any(
        value not in (None, "") for name, value in values.items() if name != "not_applicable"
    )


ACCEPTED_SELF = "chấp nhận điểm tự chấm"


@transaction.atomic
def scores_accept_self(*, assessment: Assessment, user: User, token: str) -> list[str]:
    """ "Chấp nhận điểm tự chấm cho các tiêu chí còn trống": every applicable leaf with a
    self score and no appraised score takes the self score as its appraised score.

    An appraisal act of `user`: in each score's history, logged as a step, and the
    token moves. Refuses with SheetConflict when the sheet changed since the form
    was read, so nobody accepts scores they have not seen. Returns the codes filled.
    """
    if not is_home_affairs(user):
        raise PermissionDenied("Chỉ cán bộ Nội vụ hoặc quản trị viên được thực hiện thao tác này.")
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if sheet_token(locked) != token:
        raise SheetConflict
    if not sheet_state(locked, last_event=last_event(locked)).appraisal_open:
        raise ValidationError("Thẩm định không mở, nên chưa điền điểm nào.")
    scores = list(self_scores_to_accept(locked))
    if not scores:
        return []
    for score in scores:
        score.appraised_score = score.self_score
    bulk_update_with_history(
        scores,
        Score,
        ["appraised_score"],
        default_user=user,
        default_change_reason=ACCEPTED_SELF,
        batch_size=500,
    )
    codes = [score.criterion.code for score in scores]
    AssessmentEvent.objects.create(
        assessment=locked,
        action=AssessmentEvent.Action.ACCEPT_SELF,
        from_status=locked.status,
        to_status=locked.status,
        reason=f"{len(codes)} tiêu chí lấy điểm tự chấm làm điểm thẩm định: {', '.join(codes)}.",
        user=user,
    )
    assessments_bump_version(assessment_ids=[locked.pk])
    refresh_tallies([locked.pk])
    return codes
