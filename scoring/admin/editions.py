"""Edition mappings, read-only: they are saved whole by the services (the mapping page
and `import_criterion_mapping`), never row by row, so the admin only shows them."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from scoring.models import CriterionCounterpart, EditionMapping


class CriterionCounterpartInline(admin.TabularInline):
    model = CriterionCounterpart
    fields = ["criterion", "previous"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).select_related("criterion", "previous")


@admin.register(EditionMapping)
class EditionMappingAdmin(admin.ModelAdmin):
    list_display = ["framework", "previous", "mapped_by", "mapped_at", "page"]
    list_select_related = ["framework", "previous", "mapped_by"]
    readonly_fields = ["framework", "previous", "mapped_by", "mapped_at", "page"]
    fields = readonly_fields
    inlines = [CriterionCounterpartInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="sửa đối chiếu")
    def page(self, mapping: EditionMapping) -> str:
        url = reverse("scoring:edition_mapping", args=[mapping.framework_id])
        return format_html('<a href="{}?truoc={}">Trang đối chiếu</a>', url, mapping.previous_id)
