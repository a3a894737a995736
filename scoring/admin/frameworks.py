"""Admin for frameworks and their criteria trees."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from import_export.forms import ConfirmImportForm

from cchc.formatting import format_points
from cchc.text import RefuseControlCharactersAdmin
from scoring.admin.files import POINT_INPUTS, FileAdmin, FileImportForm
from scoring.models import FROZEN_MESSAGE, SPAN_FIELDS, Assessment, Criterion, Framework
from scoring.resources import CriterionResource
from scoring.services import framework_rebuild_tree

INDENT = "\u00a0" * 4  # per tree level; non-breaking, so HTML keeps it
TITLE_CHARS = 120


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
            messages.warning(request, self.frozen_message(self.framework_of(obj)))
        return super().change_view(request, object_id, form_url, extra_context)

    def frozen_message(self, framework: Framework) -> str:
        return FROZEN_MESSAGE.format(name=framework.name)


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


@admin.register(Framework)
class FrameworkAdmin(RefuseControlCharactersAdmin, FrozenFrameworkMixin, admin.ModelAdmin):
    list_display = ["name", "level", "year_from", "year_to", "criteria_count", "in_use"]
    list_filter = ["level"]
    search_fields = ["name", "decision"]
    readonly_fields = ["criteria_tree"]

    def framework_of(self, obj: Framework) -> Framework:
        return obj

    # In use, a framework opens with only its span ("đến năm") editable, so a new year
    # scored against the same bộ chỉ số needs no developer.
    def has_change_permission(self, request: HttpRequest, obj: Framework | None = None) -> bool:
        return admin.ModelAdmin.has_change_permission(self, request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Framework | None = None) -> list:
        if not self.is_frozen(obj):
            return self.readonly_fields
        kept = [
            f.name
            for f in Framework._meta.fields
            if f.editable and not f.primary_key and f.name not in SPAN_FIELDS
        ]
        return [*kept, *self.readonly_fields]

    def frozen_message(self, framework: Framework) -> str:
        return (
            f"{FROZEN_MESSAGE.format(name=framework.name)} Riêng «đến năm» vẫn sửa được, "
            "để dùng tiếp bộ chỉ số này cho năm sau."
        )

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
