"""Reading what a person typed into the scoring sheet, cell by cell.

The sheet is one form for the whole assessment; every input is named
`<column>-<criterion id>`. Each cell keeps the text as typed, so a refused
save shows it again beside its Vietnamese message.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict

from cchc.dates import DayMonthYearField
from cchc.formatting import PointsTooLarge, format_points, parse_points
from cchc.text import RefuseControlCharacters, control_character_problem
from scoring.evidence import check_sizes
from scoring.rules import MANUAL, Rule, rule_points
from scoring.workflow import APPRAISED, EXPLANATION, SELF

TEXT_LIMIT = 5000
# The unit's answer to appraisal round 1, as the explanation column's choices say it.
AGREES = {"Đồng ý": True, "Không đồng ý": False}
SURVEY_SELF_REFUSED = (
    "Tiêu chí điều tra xã hội học do Nội vụ nhập từ kết quả điều tra; đơn vị không tự chấm."
)
# The value of a ticked "không áp dụng" box, as the sheet's cells hold it.
NOT_APPLICABLE_TICKED = "có"


@dataclass(frozen=True)
class LeafSpec:
    """What the form needs to know about a leaf criterion."""

    criterion_id: int
    code: str
    min_points: Decimal
    max_points: Decimal
    rule: Rule
    stored_tier: str = ""
    stored_ratio: Decimal | None = None
    # Round 2 of a two-round year: round 1's score, the one round 2 starts from.
    first_round_score: Decimal | None = None
    # A survey leaf (CriterionSource.SURVEY) takes no self score: Nội vụ enters it.
    survey: bool = False

    @property
    def computed_points(self) -> Decimal | None:
        """The points the rule gives for the stored fact; None for manual or nothing declared."""
        if self.rule.kind == MANUAL:
            return None
        try:
            return rule_points(
                self.rule, self.max_points, tier=self.stored_tier, ratio=self.stored_ratio
            )
        except ValueError:
            return None


@dataclass
class RowInput:
    """One leaf as typed: texts, the values read from them, and messages per column."""

    texts: dict[str, str] = field(default_factory=dict)
    self_score: Decimal | None = None
    appraised_score: Decimal | None = None
    note: str = ""
    comment: str = ""
    tier: str = ""
    ratio: Decimal | None = None
    agrees: bool | None = None
    explanation: str = ""
    not_applicable: bool = False
    not_applicable_reason: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def read_sheet(data: QueryDict, leaves: list[LeafSpec], columns: set[str]) -> dict[int, RowInput]:
    """Every leaf's input for the editable `columns`, each cell checked on its own."""
    return {leaf.criterion_id: _read_row(data, leaf, columns) for leaf in leaves}


def posted_columns(data: QueryDict) -> set[str]:
    """The columns a posted sheet form had inputs for (what its user could edit then)."""
    prefixes = {
        SELF: ("self-", "tier-", "ratio-", "note-"),
        APPRAISED: ("appraised-", "comment-", *NOT_APPLICABLE_INPUTS),
        EXPLANATION: ("agrees-", "explanation-"),
    }
    return {
        column for column, names in prefixes.items() if any(key.startswith(names) for key in data)
    }


NOT_APPLICABLE_INPUTS = ("na-", "na_reason-")
NOT_APPLICABLE_REFUSED = (
    "Chỉ cán bộ Nội vụ đánh dấu «không áp dụng», trong lúc thẩm định; phiếu chấm chưa được lưu."
)


def posts_not_applicable(data: QueryDict) -> bool:
    """Whether the form carries the appraiser's "không áp dụng" inputs (name or reason)."""
    return any(key.startswith(NOT_APPLICABLE_INPUTS) for key in data)


def error_summary(rows: dict[int, RowInput], leaves: list[LeafSpec]) -> str:
    """ "3 ô (tiêu chí 1.1, 1.4, 2)": how many cells were refused and where."""
    codes = [leaf.code for leaf in leaves if rows[leaf.criterion_id].errors]
    cells = sum(len(row.errors) for row in rows.values())
    shown = ", ".join(codes[:10]) + (", …" if len(codes) > 10 else "")
    return f"{cells} ô (tiêu chí {shown})"


def _read_row(data: QueryDict, leaf: LeafSpec, columns: set[str]) -> RowInput:
    row = RowInput(tier=leaf.stored_tier, ratio=leaf.stored_ratio)
    pk = leaf.criterion_id
    if SELF in columns:
        row.note = _text(data, f"note-{pk}", row)
        if leaf.survey:
            _refuse_self(data, leaf, row)
        else:
            _read_self(data, leaf, row)
    if APPRAISED in columns:
        row.comment = _text(data, f"comment-{pk}", row)
        row.appraised_score = _points(data, f"appraised-{pk}", leaf, row)
        _check_override(leaf, row)
        _read_not_applicable(data, leaf, row)
    if EXPLANATION in columns:
        _read_explanation(data, pk, row)
    return row


def _read_explanation(data: QueryDict, pk: int, row: RowInput) -> None:
    """Đồng ý / Không đồng ý with round 1, and why: a disagreement needs its reason."""
    name = f"agrees-{pk}"
    row.texts[name] = data.get(name, "").strip()
    row.explanation = _text(data, f"explanation-{pk}", row)
    if row.texts[name] and row.texts[name] not in AGREES:
        row.errors[name] = "Chọn «Đồng ý» hoặc «Không đồng ý»."
        return
    row.agrees = AGREES.get(row.texts[name])
    if row.agrees is None and row.explanation:
        row.errors[name] = "Chọn «Đồng ý» hoặc «Không đồng ý» cho phần giải trình này."
    elif row.agrees is False and not row.explanation:
        row.errors[f"explanation-{pk}"] = "Không đồng ý thì cần ghi lý do giải trình."


def _read_not_applicable(data: QueryDict, leaf: LeafSpec, row: RowInput) -> None:
    """The appraiser's mark: ticked needs a reason; unticked clears the stored reason."""
    name, reason_name = f"na-{leaf.criterion_id}", f"na_reason-{leaf.criterion_id}"
    row.not_applicable = bool(data.get(name))
    row.texts[name] = NOT_APPLICABLE_TICKED if row.not_applicable else ""
    reason = _text(data, reason_name, row)
    if not row.not_applicable:
        return
    row.not_applicable_reason = reason
    if not reason and reason_name not in row.errors:
        row.errors[reason_name] = "Cần ghi lý do không áp dụng."


def _text(data: QueryDict, name: str, row: RowInput) -> str:
    text = data.get(name, "").strip()
    row.texts[name] = text
    if len(text) > TEXT_LIMIT:
        row.errors[name] = f"Dài quá {TEXT_LIMIT} ký tự."
    elif problem := control_character_problem(text):
        row.errors[name] = problem
    return text


def _points(data: QueryDict, name: str, leaf: LeafSpec, row: RowInput) -> Decimal | None:
    text = data.get(name, "")
    row.texts[name] = text
    range_error = (
        f"Điểm phải từ {format_points(leaf.min_points)} đến {format_points(leaf.max_points)}."
    )
    try:
        value = parse_points(text)
    except PointsTooLarge:
        # The cell's own range says more than the column's technical limit.
        row.errors[name] = range_error
        return None
    except ValueError as error:
        row.errors[name] = str(error)
        return None
    if value is not None and not leaf.min_points <= value <= leaf.max_points:
        row.errors[name] = range_error
        return None
    return value


def _read_self(data: QueryDict, leaf: LeafSpec, row: RowInput) -> None:
    pk = leaf.criterion_id
    if leaf.rule.kind == MANUAL:
        row.self_score = _points(data, f"self-{pk}", leaf, row)
        return
    if leaf.rule.declares_ratio:
        name = f"ratio-{pk}"
        row.texts[name] = data.get(name, "")
        try:
            row.ratio = parse_points(row.texts[name])
        except ValueError as error:
            row.errors[name] = str(error)
            return
    else:
        row.tier = _text(data, f"tier-{pk}", row)
    _apply_rule(leaf, row, "ratio" if leaf.rule.declares_ratio else "tier")


def _refuse_self(data: QueryDict, leaf: LeafSpec, row: RowInput) -> None:
    """The sheet shows no self input on a survey leaf, so a value here was crafted."""
    pk = leaf.criterion_id
    if any(data.get(f"{column}-{pk}", "").strip() for column in ("self", "tier", "ratio")):
        row.errors[f"self-{pk}"] = SURVEY_SELF_REFUSED


def _apply_rule(leaf: LeafSpec, row: RowInput, column: str) -> None:
    try:
        row.self_score = rule_points(leaf.rule, leaf.max_points, tier=row.tier, ratio=row.ratio)
    except ValueError as error:
        row.errors[f"{column}-{leaf.criterion_id}"] = str(error)


def _check_override(leaf: LeafSpec, row: RowInput) -> None:
    """An appraiser may score a rule criterion differently from its rule, with a reason.

    Round 2 may keep round 1's score without a new one: round 1's comment gave it."""
    if row.appraised_score is None or row.comment:
        return
    if leaf.first_round_score is not None and row.appraised_score == leaf.first_round_score:
        return
    computed = leaf.computed_points
    if computed is not None and computed != row.appraised_score:
        row.errors[f"appraised-{leaf.criterion_id}"] = (
            f"Khác điểm tính theo quy tắc ({format_points(computed)}): "
            "hãy ghi lý do ở cột nhận xét."
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files chosen at once, cleaned one by one (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None) -> list[UploadedFile]:
        clean_one = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [clean_one(item, initial) for item in files]


class EvidenceForm(forms.Form):
    file = MultipleFileField(label="Tệp kiểm chứng")

    def clean_file(self) -> list[UploadedFile]:
        uploads = self.cleaned_data["file"]
        check_sizes(uploads)
        return uploads


class ReasonForm(RefuseControlCharacters, forms.Form):
    reason = forms.CharField(label="Lý do", required=False, max_length=TEXT_LIMIT)


class ExtensionForm(RefuseControlCharacters, forms.Form):
    """Nội vụ's "Gia hạn tự đánh giá" for one unit: a date (dd/mm/yyyy) and why."""

    until = DayMonthYearField(
        label="Gia hạn đến", error_messages={"required": "Cần chọn ngày gia hạn."}
    )
    reason = forms.CharField(
        label="Lý do gia hạn",
        max_length=TEXT_LIMIT,
        error_messages={"required": "Cần ghi lý do gia hạn."},
    )


class DecisionForm(RefuseControlCharacters, forms.Form):
    """The decision publishing a khối's results (the page and publish_results)."""

    number = forms.CharField(
        label="Số quyết định",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "9471/QĐ-UBND"}),
        error_messages={"required": "Cần nhập số quyết định."},
    )
    signed_on = DayMonthYearField(label="Ngày ký", error_messages={"required": "Cần nhập ngày ký."})
    issuer = forms.CharField(
        label="Cơ quan ban hành",
        max_length=255,
        error_messages={"required": "Cần nhập cơ quan ban hành."},
    )
    signer_name = forms.CharField(label="Người ký", max_length=200, required=False)
    subject = forms.CharField(
        label="Trích yếu (về việc …)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
