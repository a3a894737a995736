"""Admin for units, ranking groups, memberships, the scoring calendar and the workflow log."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from cchc.dates import ADMIN_DATE_FIELDS, date_error_messages
from cchc.formatting import format_percent
from cchc.text import RefuseControlCharactersAdmin
from scoring.admin.files import POINT_INPUTS, FileAdmin
from scoring.models import (
    AssessmentEvent,
    ClassificationBand,
    Membership,
    RankingGroup,
    ScoringCalendar,
    Unit,
)
from scoring.resources import UnitResource
from scoring.units.predecessors import check_predecessors, unit_set_predecessors


class UnitForm(forms.ModelForm):
    """The predecessors and `formed_in` pass the checks of a units file."""

    class Meta:
        model = Unit
        fields = ["code", "name", "level", "parent", "ranking_group", "formed_in", "predecessors"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("code") and "predecessors" in cleaned and "formed_in" in cleaned:
            try:
                check_predecessors(
                    cleaned["code"], list(cleaned["predecessors"]), cleaned["formed_in"]
                )
            except ValidationError as problems:
                self.add_error(None, problems)
        return cleaned


@admin.register(Unit)
class UnitAdmin(FileAdmin):
    form = UnitForm
    resource_classes = [UnitResource]
    list_display = ["code", "name", "level", "parent", "ranking_group", "formed_in"]
    list_filter = ["level", "ranking_group", "formed_in"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "ranking_group"]
    autocomplete_fields = ["parent", "ranking_group", "predecessors"]

    def save_related(self, request: HttpRequest, form: UnitForm, formsets, change: bool) -> None:
        # The predecessors go through the service, not the form's own many-to-many save.
        unit_set_predecessors(
            form.instance, list(form.cleaned_data["predecessors"]), form.cleaned_data["formed_in"]
        )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class ClassificationBandInline(RefuseControlCharactersAdmin, admin.TabularInline):
    model = ClassificationBand
    extra = 1
    formfield_overrides = POINT_INPUTS


@admin.register(RankingGroup)
class RankingGroupAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["name", "bands", "description"]
    search_fields = ["name"]
    inlines = [ClassificationBandInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("bands")

    @admin.display(description="mức xếp loại")
    def bands(self, group: RankingGroup) -> str:
        return "; ".join(
            f"{band.label} ≥ {format_percent(band.min_index)}%" for band in group.bands.all()
        )


@admin.register(Membership)
class MembershipAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "unit__code", "unit__name"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]


class ScoringCalendarForm(forms.ModelForm):
    class Meta:
        model = ScoringCalendar
        fields = ["unit", "year", "self_assessment_closes", "appraisal_closes", "appraisal_rounds"]
        error_messages = {
            "unit": {"required": "Cần chọn đơn vị (tỉnh, huyện) mở kỳ đánh giá này."},
            "year": {"required": "Cần nhập năm đánh giá."},
            "self_assessment_closes": date_error_messages("Cần nhập hạn tự đánh giá."),
            "appraisal_closes": date_error_messages("Cần nhập hạn thẩm định."),
        }


@admin.register(ScoringCalendar)
class ScoringCalendarAdmin(admin.ModelAdmin):
    """Opening a cycle (and its sheets) is `scoring.cycles.opening`; here a calendar's
    dates can be corrected one record at a time."""

    form = ScoringCalendarForm
    list_display = [
        "year",
        "unit",
        "self_assessment_closes",
        "appraisal_closes",
        "appraisal_rounds",
    ]
    list_filter = ["year"]
    search_fields = ["unit__code", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    """The workflow log is written by scoring.workflow only; here it is read."""

    formfield_overrides = ADMIN_DATE_FIELDS

    list_display = [
        "at",
        "assessment",
        "action",
        "from_status",
        "to_status",
        "deadline",
        "user",
        "reason",
    ]
    list_filter = ["action"]
    list_select_related = ["assessment__unit", "user"]
    search_fields = ["assessment__unit__name", "user__username", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
