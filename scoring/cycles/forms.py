"""The form opening a cycle or moving its dates."""

from django import forms

from cchc.dates import DayMonthYearField
from scoring.access import User
from scoring.cycles.opening import NOT_YOURS
from scoring.cycles.selectors import jurisdictions_for
from scoring.models import ScoringCalendar

ROUNDS = ScoringCalendar._meta.get_field("appraisal_rounds").choices


class CycleForm(forms.Form):
    jurisdiction = forms.ModelChoiceField(
        label="Đơn vị mở kỳ đánh giá",
        queryset=None,
        error_messages={"required": "Cần chọn đơn vị.", "invalid_choice": NOT_YOURS},
    )
    year = forms.IntegerField(
        label="Năm đánh giá",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Cần nhập năm đánh giá.",
            "invalid": "Năm đánh giá là một số, ví dụ 2025.",
            "min_value": "Năm đánh giá phải từ 2000 đến 2100.",
            "max_value": "Năm đánh giá phải từ 2000 đến 2100.",
        },
    )
    self_assessment_closes = DayMonthYearField(
        label="Hạn tự đánh giá", error_messages={"required": "Cần nhập hạn tự đánh giá."}
    )
    appraisal_closes = DayMonthYearField(
        label="Hạn thẩm định", error_messages={"required": "Cần nhập hạn thẩm định."}
    )
    appraisal_rounds = forms.TypedChoiceField(
        label="Số vòng thẩm định", choices=ROUNDS, coerce=int, initial=1
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].queryset = jurisdictions_for(user)

    def refused_jurisdiction(self) -> bool:
        """The posted unit is not one the user may open (outside or above their scope)."""
        return self.has_error("jurisdiction", code="invalid_choice")
