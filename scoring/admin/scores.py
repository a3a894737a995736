"""Admin for assessments and their scores."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from import_export.forms import ConfirmImportForm

from cchc.formatting import format_points
from cchc.text import RefuseControlCharactersAdmin
from scoring.admin.files import POINT_INPUTS, FileAdmin, FileImportForm
from scoring.admin.frameworks import TITLE_CHARS
from scoring.engine import assessment_breakdown, refresh_tallies
from scoring.models import Assessment, Framework, Score, Unit
from scoring.resources import ScoreResource
from scoring.services import assessments_bump_version


class ScoreImportForm(FileImportForm):
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2100)
    framework = forms.ModelChoiceField(
        label="Bộ chỉ số",
        queryset=Framework.objects.all(),
        required=False,
        help_text="Bỏ trống để chọn theo cấp của đơn vị và năm đánh giá.",
    )


class ScoreConfirmImportForm(ConfirmImportForm):
    year = forms.IntegerField(widget=forms.HiddenInput)
    framework = forms.ModelChoiceField(
        queryset=Framework.objects.all(), required=False, widget=forms.HiddenInput
    )


@admin.register(Assessment)
class AssessmentAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["unit", "year", "ranking_group", "status", "framework"]
    list_filter = ["year", "status", "ranking_group"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit", "ranking_group", "framework"]
    autocomplete_fields = ["unit"]
    readonly_fields = ["result", "scores_link", "version", "created_at", "updated_at"]

    def save_model(self, request: HttpRequest, obj: Assessment, form, change: bool) -> None:
        """A change writes only the fields changed, then moves the sheet's token (a new
        status or framework changes the sheet); a whole save would write back the
        version this form read, undoing a sheet save made meanwhile."""
        if not change:
            super().save_model(request, obj, form, change)
        elif form.has_changed():
            obj.save(update_fields=form.changed_data)
            assessments_bump_version(assessment_ids=[obj.pk])
            refresh_tallies([obj.pk])  # another framework changes every total

    @admin.display(description="kết quả chấm điểm")
    def result(self, assessment: Assessment) -> str:
        if assessment.pk is None:
            return "Lưu kết quả đánh giá trước, sau đó nhập điểm."
        return render_to_string(
            "admin/scoring/assessment_result.html",
            {"breakdown": assessment_breakdown(assessment)},
        )

    @admin.display(description="điểm từng tiêu chí")
    def scores_link(self, assessment: Assessment) -> str:
        if assessment.pk is None:
            return "—"
        url = reverse("admin:scoring_score_changelist")
        return format_html(
            '<a href="{}?assessment__id__exact={}">Xem, sửa điểm từng tiêu chí</a>',
            url,
            assessment.pk,
        )


STALE_SCORE_MESSAGE = (
    "Phiếu chấm của kết quả này đã được lưu hoặc nhập từ tệp sau khi bạn mở trang này, "
    "nên chưa lưu gì. Các giá trị bạn vừa nhập vẫn giữ nguyên bên dưới; kiểm tra với phiếu "
    "chấm rồi bấm «Lưu» lần nữa nếu muốn giữ giá trị của bạn."
)


class ScoreAdminForm(forms.ModelForm):
    """Carries the sheet's version, as the scoring sheet's own form does, so an admin
    edit cannot silently put back values the sheet or an import saved meanwhile."""

    sheet_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["sheet_version"].initial = self.instance.assessment.version

    def clean(self) -> dict:
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # Locked until the admin's transaction ends, like the sheet's save.
        current = (
            Assessment.objects.select_for_update()
            .values_list("version", flat=True)
            .get(pk=self.instance.assessment_id)
        )
        if cleaned.get("sheet_version") != current:
            # Shown again with the version now stored: a second save is deliberate.
            self.data = self.data.copy()
            self.data[self.add_prefix("sheet_version")] = current
            raise ValidationError(STALE_SCORE_MESSAGE)
        return cleaned


@admin.register(Score)
class ScoreAdmin(FileAdmin):
    form = ScoreAdminForm
    resource_classes = [ScoreResource]
    import_form_class = ScoreImportForm
    confirm_form_class = ScoreConfirmImportForm
    import_settings = ("year", "framework")
    list_display = [
        "unit",
        "year",
        "criterion_title",
        "self_points",
        "appraised_points",
        "final_points",
        "not_applicable",
    ]
    list_filter = ["assessment__year", "assessment__status", "not_applicable"]
    search_fields = ["^criterion__code", "assessment__unit__code", "assessment__unit__name"]
    list_select_related = ["assessment__unit", "criterion"]
    ordering = ["-assessment__year", "assessment__unit__code", "criterion__sort_key"]
    autocomplete_fields = ["assessment", "criterion"]
    formfield_overrides = POINT_INPUTS

    # Every change of a score moves its sheet's token first (see assessments_bump_version),
    # so a sheet opened before the admin's edit cannot be saved over it.
    def save_model(self, request: HttpRequest, obj: Score, form, change: bool) -> None:
        # A score moved to another assessment changes both sheets.
        moved_from = form.initial.get("assessment") if change else None
        if not change or form.has_changed():
            assessments_bump_version(assessment_ids=[obj.assessment_id, moved_from])
        super().save_model(request, obj, form, change)  # its signal refreshes obj's sheet
        refresh_tallies([moved_from])

    def delete_model(self, request: HttpRequest, obj: Score) -> None:
        assessments_bump_version(assessment_ids=[obj.assessment_id])
        super().delete_model(request, obj)

    @transaction.atomic  # the changelist's delete action runs outside one
    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        assessments_bump_version(
            assessment_ids=queryset.order_by().values_list("assessment_id", flat=True).distinct()
        )
        super().delete_queryset(request, queryset)

    @admin.display(description="đơn vị", ordering="assessment__unit__code")
    def unit(self, score: Score) -> Unit:
        return score.assessment.unit

    @admin.display(description="năm", ordering="assessment__year")
    def year(self, score: Score) -> int:
        return score.assessment.year

    @admin.display(description="tiêu chí", ordering="criterion__sort_key")
    def criterion_title(self, score: Score) -> str:
        return Truncator(str(score.criterion)).chars(TITLE_CHARS)

    @admin.display(description="điểm tự đánh giá")
    def self_points(self, score: Score) -> str:
        return format_points(score.self_score)

    @admin.display(description="điểm thẩm định")
    def appraised_points(self, score: Score) -> str:
        return format_points(score.appraised_score)

    @admin.display(description="điểm cuối cùng")
    def final_points(self, score: Score) -> str:
        return format_points(score.final_score)
