"""Admin for the clerks who keep units, frameworks, assessments and scores.

Numbers a person reads go through `cchc.formatting`, and points typed into
forms are read by its `parse_points` ("9,13" as well as "9.13"). A framework in
use is shown read-only with the reason. Criteria edits end with
`framework_rebuild_tree`, whose complaints are shown as warnings: a tree is
often half-built while a clerk types it in.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import BINARY_FORMATS, CSV, XLSX
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from tablib import Dataset

from cchc.formatting import format_percent, format_points, parse_points
from cchc.spreadsheets import inert_dataset
from cchc.text import RefuseControlCharactersAdmin
from scoring.engine import assessment_breakdown
from scoring.importing import ImportFailed, check_import_size, csv_dataset, xlsx_dataset
from scoring.models import (
    FROZEN_MESSAGE,
    Assessment,
    AssessmentEvent,
    ClassificationBand,
    Criterion,
    Framework,
    Membership,
    RankingGroup,
    Score,
    ScoringCalendar,
    Unit,
)
from scoring.resources import CriterionResource, ScoreResource, UnitResource
from scoring.services import assessments_bump_version, framework_rebuild_tree

INDENT = "\u00a0" * 4  # per tree level; non-breaking, so HTML keeps it
TITLE_CHARS = 120


class PointsInput(forms.TextInput):
    """Stored points without trailing zeros, with the locale's decimal comma: "9,13"."""

    def format_value(self, value: object) -> str | None:
        if isinstance(value, Decimal):
            value = value.normalize()
        return super().format_value(value)


class PointsField(forms.DecimalField):
    """Points as people type them ("9,13", "9.13"), read by the importers' parser."""

    widget = PointsInput

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return parse_points(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


POINT_INPUTS = {models.DecimalField: {"form_class": PointsField, "localize": True}}


def tree_label(criterion: Criterion) -> str:
    """The code and title ("1.2.1. …"), indented by the node's depth in the tree."""
    title = Truncator(criterion.title).chars(TITLE_CHARS)
    return f"{INDENT * criterion.depth}{criterion.code}. {title}"


def rebuild_tree(request: HttpRequest, framework: Framework) -> None:
    try:
        framework_rebuild_tree(framework=framework)
    except ValidationError as error:
        for message in error.messages:
            messages.warning(
                request,
                f"Cây tiêu chí của «{framework.name}» chưa hợp lệ nên thứ tự và cấp "
                f"chưa được cập nhật: {message}",
            )


class FrozenFrameworkMixin:
    """A framework in use, and its criteria, open read-only with FROZEN_MESSAGE."""

    def framework_of(self, obj: models.Model) -> Framework:
        raise NotImplementedError

    def is_frozen(self, obj: models.Model | None) -> bool:
        return obj is not None and self.framework_of(obj).is_frozen

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and not self.is_frozen(obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not self.is_frozen(obj)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if request.method == "GET" and self.is_frozen(obj):
            messages.warning(request, FROZEN_MESSAGE.format(name=self.framework_of(obj).name))
        return super().change_view(request, object_id, form_url, extra_context)


class SheetCSV(CSV):
    """A CSV read as the import commands read it: BOM or not, comma or semicolon, rows
    wider than the header told as such, a Vietnamese message when it is not UTF-8."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: bytes) -> Dataset:
        return csv_dataset(in_stream)


class SheetXLSX(XLSX):
    """The first sheet of an .xlsx file, read as the import commands read it."""

    def create_dataset(self, in_stream: bytes) -> Dataset:
        return xlsx_dataset(in_stream)


class FileImportForm(ImportForm):
    def clean_import_file(self) -> UploadedFile:
        """Refuse a file over IMPORT_MAX_MB, which the upload handler stopped keeping
        (cchc.uploads), with the commands' message."""
        upload = self.cleaned_data["import_file"]
        try:
            check_import_size(upload.size, upload.name)
        except ImportFailed as error:
            raise ValidationError(error.errors) from None
        return upload


class InertFormulae:
    """Exports escaped as every export of the project is (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
    calls this hook). import-export's own hook strips a leading "=" only, so "+1+1" or
    "@SUM(1)" still run, and it turns every cell into text, numbers and blanks ("None") too."""

    def _escape_formulae(self, dataset: Dataset) -> None:
        inert_dataset(dataset)


class ExportCSV(InertFormulae, CSV):
    pass


class ExportXLSX(InertFormulae, XLSX):
    pass


# import-export writes numbers as numbers only for the classes it lists as binary.
BINARY_FORMATS.append(ExportXLSX)


class FileAdmin(RefuseControlCharactersAdmin, ImportExportModelAdmin):
    """Import with a preview (nothing written while any row is wrong) and export, csv or xlsx.

    `import_settings` names the extra fields of the import form that the resource
    needs (a framework, a year); the confirm step carries them as hidden fields.
    """

    formats = [ExportCSV, ExportXLSX]
    import_formats = [SheetCSV, SheetXLSX]
    # The plain form lists the file's columns; the selectable one titles them in English.
    export_form_class = ExportForm
    import_form_class = FileImportForm
    import_settings: tuple[str, ...] = ()

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        # import-export leaves the list of columns out when the file could not be
        # read, which is when a clerk needs it most.
        context = getattr(response, "context_data", None)
        if context is not None and not context.get("fields_list"):
            resources = [cls() for cls in self.get_import_resource_classes(request)]
            context["fields_list"] = [
                (resource.get_display_name(), resource.columns) for resource in resources
            ]
        return response

    def add_data_read_fail_error_to_form(self, form, e: Exception) -> None:
        if not isinstance(e, ImportFailed):
            super().add_data_read_fail_error_to_form(form, e)
            return
        for message in e.errors:
            form.add_error("import_file", message)

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs) -> dict:
        cleaned = getattr(kwargs.get("form"), "cleaned_data", {})
        settings = {name: cleaned[name] for name in self.import_settings if name in cleaned}
        return {**super().get_import_resource_kwargs(request, **kwargs), **settings}

    def get_import_data_kwargs(self, **kwargs) -> dict:
        # The confirm step imports again; if the data changed since the preview,
        # a row error must roll the whole file back, as in the preview.
        return {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }

    def get_confirm_form_initial(self, request: HttpRequest, import_form) -> dict:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            for name in self.import_settings:
                value = import_form.cleaned_data.get(name)
                initial[name] = value.pk if isinstance(value, models.Model) else value
        return initial


def unused_frameworks() -> QuerySet:
    return Framework.objects.filter(~Exists(Assessment.objects.filter(framework=OuterRef("pk"))))


class CriterionImportForm(FileImportForm):
    framework = forms.ModelChoiceField(
        label="Bộ chỉ số",
        queryset=unused_frameworks(),
        help_text="Chỉ bộ chỉ số chưa dùng để chấm điểm mới nhập thêm, sửa tiêu chí được.",
    )


class CriterionConfirmImportForm(ConfirmImportForm):
    framework = forms.ModelChoiceField(queryset=unused_frameworks(), widget=forms.HiddenInput)


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


@admin.register(Unit)
class UnitAdmin(FileAdmin):
    resource_classes = [UnitResource]
    list_display = ["code", "name", "level", "parent", "ranking_group"]
    list_filter = ["level", "ranking_group"]
    search_fields = ["code", "name"]
    list_select_related = ["parent", "ranking_group"]
    autocomplete_fields = ["parent", "ranking_group"]


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


@admin.register(Framework)
class FrameworkAdmin(RefuseControlCharactersAdmin, FrozenFrameworkMixin, admin.ModelAdmin):
    list_display = ["name", "level", "year_from", "year_to", "criteria_count", "in_use"]
    list_filter = ["level"]
    search_fields = ["name", "decision"]
    readonly_fields = ["criteria_tree"]

    def framework_of(self, obj: Framework) -> Framework:
        return obj

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(
                criteria_count=Count("criteria"),
                in_use=Exists(Assessment.objects.filter(framework=OuterRef("pk"))),
            )
        )

    @admin.display(description="số tiêu chí", ordering="criteria_count")
    def criteria_count(self, framework: Framework) -> int:
        return framework.criteria_count

    @admin.display(description="đã dùng để chấm điểm", boolean=True, ordering="in_use")
    def in_use(self, framework: Framework) -> bool:
        return framework.in_use

    @admin.display(description="cây tiêu chí")
    def criteria_tree(self, framework: Framework) -> SafeString | str:
        if framework.pk is None:
            return "Lưu bộ chỉ số trước, sau đó thêm tiêu chí."
        rows = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:scoring_criterion_change", args=[c.pk]),
                    tree_label(c),
                    format_points(c.max_points),
                    c.get_source_display(),
                )
                for c in framework.criteria.order_by("sort_key")
            ),
        )
        return format_html(
            "<table><thead><tr><th>Tiêu chí</th><th>Điểm tối đa</th><th>Nguồn điểm</th>"
            "</tr></thead><tbody>{}</tbody></table><p>{}</p>",
            rows,
            self.criteria_links(framework),
        )

    def criteria_links(self, framework: Framework) -> SafeString:
        changelist = reverse("admin:scoring_criterion_changelist")
        links = format_html(
            '<a href="{}?framework__id__exact={}">Danh sách tiêu chí</a>', changelist, framework.pk
        )
        if framework.in_use:
            return links
        add = reverse("admin:scoring_criterion_add")
        return format_html(
            '{} · <a href="{}?framework={}">Thêm tiêu chí</a>', links, add, framework.pk
        )


class LeafFilter(admin.SimpleListFilter):
    title = "loại tiêu chí"
    parameter_name = "leaf"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("1", "Chấm điểm trực tiếp"), ("0", "Có tiêu chí con")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in ("0", "1"):
            return queryset
        return queryset.filter(is_leaf=self.value() == "1")


@admin.register(Criterion)
class CriterionAdmin(FrozenFrameworkMixin, FileAdmin):
    resource_classes = [CriterionResource]
    import_form_class = CriterionImportForm
    confirm_form_class = CriterionConfirmImportForm
    import_settings = ("framework",)
    list_display = ["tree_title", "points", "leaf", "source", "framework"]
    list_filter = ["framework", "source", LeafFilter]
    search_fields = ["code", "title"]
    list_select_related = ["framework"]
    sortable_by = []  # the tree order is the only order that reads right
    fields = ["framework", "parent", "code", "title", "max_points", "min_points", "source", "order"]
    formfield_overrides = POINT_INPUTS

    class Media:
        css = {"all": ["admin/scoring/criteria.css"]}

    def framework_of(self, obj: Criterion) -> Framework:
        return obj.framework

    @admin.display(description="tiêu chí")
    def tree_title(self, criterion: Criterion) -> str:
        return tree_label(criterion)

    @admin.display(description="điểm tối đa")
    def points(self, criterion: Criterion) -> str:
        return format_points(criterion.max_points)

    @admin.display(description="chấm điểm trực tiếp", boolean=True)
    def leaf(self, criterion: Criterion) -> bool:
        return criterion.is_leaf

    def get_readonly_fields(self, request: HttpRequest, obj: Criterion | None = None) -> list:
        # Moving a node to another framework would split two trees at once.
        return ["framework"] if obj else []

    def get_form(self, request: HttpRequest, obj: Criterion | None = None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        framework_id = obj.framework_id if obj else request.GET.get("framework")
        if framework_id and "parent" in form.base_fields:
            form.base_fields["parent"].queryset = parent_choices(framework_id, obj)
            form.base_fields["parent"].label_from_instance = tree_label
        return form

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if request.GET.get("model_name") == "score":  # the score form's picker: leaves only
            queryset = queryset.filter(is_leaf=True)
        return queryset, may_have_duplicates

    def save_model(self, request: HttpRequest, obj: Criterion, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        rebuild_tree(request, obj.framework)

    def delete_model(self, request: HttpRequest, obj: Criterion) -> None:
        framework = obj.framework
        super().delete_model(request, obj)
        rebuild_tree(request, framework)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        frameworks = list(Framework.objects.filter(criteria__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for framework in frameworks:
            rebuild_tree(request, framework)


def parent_choices(framework_id: int | str, criterion: Criterion | None) -> QuerySet:
    """Nodes of the same framework, without the criterion itself and its subtree."""
    choices = Criterion.objects.filter(framework_id=framework_id).order_by("sort_key")
    if criterion is None:
        return choices
    return choices.exclude(pk=criterion.pk).exclude(ancestor_links__ancestor=criterion)


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
        if not change or form.has_changed():
            # A score moved to another assessment changes both sheets.
            moved_from = form.initial.get("assessment") if change else None
            assessments_bump_version(assessment_ids=[obj.assessment_id, moved_from])
        super().save_model(request, obj, form, change)

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


@admin.register(Membership)
class MembershipAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "unit__code", "unit__name"]
    list_select_related = ["user", "unit"]
    autocomplete_fields = ["user", "unit"]


@admin.register(ScoringCalendar)
class ScoringCalendarAdmin(admin.ModelAdmin):
    list_display = ["year", "self_assessment_closes", "appraisal_closes"]


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    """The workflow log is written by scoring.workflow only; here it is read."""

    list_display = ["at", "assessment", "action", "from_status", "to_status", "user", "reason"]
    list_filter = ["action"]
    list_select_related = ["assessment__unit", "user"]
    search_fields = ["assessment__unit__name", "user__username", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
