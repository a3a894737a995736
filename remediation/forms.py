from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc.dates import DayMonthYearField
from cchc.text import RefuseControlCharacters
from remediation.models import Plan, ProgressUpdate, Section, Task
from remediation.services import PLAN_EDITABLE, SECTION_EDITABLE, TASK_EDITABLE
from scoring.evidence import ALLOWED_LABEL, check_sizes, check_upload

SHORT_TEXT = {"rows": 2}


class PlanForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = Plan
        fields = PLAN_EDITABLE
        field_classes = {"issued_on": DayMonthYearField}
        widgets = {
            "legal_bases": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "requirements": forms.Textarea(attrs={"rows": 4}),
            "organisation": forms.Textarea(attrs={"rows": 3}),
            "recipients": forms.Textarea(attrs={"rows": 5}),
        }


class SectionForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = Section
        fields = SECTION_EDITABLE
        widgets = {
            "solutions": forms.Textarea(attrs={"rows": 3}),
            "lead": forms.TextInput(attrs={"list": "agencies"}),
            "coordinators": forms.TextInput(attrs={"list": "agencies"}),
        }


class TaskForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = Task
        fields = TASK_EDITABLE
        field_classes = {"due_date": DayMonthYearField}
        widgets = {
            "objective": forms.Textarea(attrs=SHORT_TEXT),
            "name": forms.Textarea(attrs=SHORT_TEXT),
            "activities": forms.Textarea(attrs=SHORT_TEXT),
            "output": forms.Textarea(attrs=SHORT_TEXT),
            "lead": forms.TextInput(attrs={"list": "agencies"}),
            "coordinators": forms.TextInput(attrs={"list": "agencies"}),
        }
        help_texts = {
            "deadline": "Ví dụ: Quý II/2024; Quý II, III/2024; 06/2024; Năm 2024; Thường xuyên.",
            "due_date": "Để trống: tính từ thời gian hoàn thành. Điền để sửa hạn.",
            "budget": "Số triệu đồng (30; 27 triệu đồng/đơn vị) hoặc căn cứ "
            "(Theo dự toán được cấp).",
        }


class ProgressForm(RefuseControlCharacters, forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ("reported_on", "status", "progress", "note", "evidence")
        field_classes = {"reported_on": DayMonthYearField}
        widgets = {"note": forms.Textarea(attrs=SHORT_TEXT)}
        help_texts = {
            "evidence": f"{ALLOWED_LABEL}; tối đa {settings.EVIDENCE_MAX_MB} MB.",
        }

    def clean_reported_on(self):
        reported_on = self.cleaned_data["reported_on"]
        if reported_on > timezone.localdate():
            raise ValidationError("Ngày báo cáo không được sau hôm nay.")
        return reported_on

    def clean_evidence(self):
        """The same files, within the same size, as the scoring sheet's evidence."""
        upload = self.cleaned_data.get("evidence")
        if upload:
            check_sizes([upload])
            check_upload(upload)
        return upload


class ReportDateForm(forms.Form):
    ngay = DayMonthYearField(label="Tính đến ngày")
