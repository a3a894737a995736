from django.contrib import admin

from cchc.dates import ADMIN_DATE_FIELDS
from cchc.text import RefuseControlCharactersAdmin
from remediation.models import Agency, Plan, ProgressUpdate, Section, Task


class SectionInline(RefuseControlCharactersAdmin, admin.TabularInline):
    model = Section
    fields = ("field", "order", "deadline", "lead", "coordinators")
    raw_id_fields = ("field",)
    extra = 0


@admin.register(Plan)
class PlanAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    formfield_overrides = ADMIN_DATE_FIELDS
    list_display = ("unit", "year", "number", "status", "updated_at")
    list_filter = ("status", "year")
    search_fields = ("unit__name", "unit__code", "summary")
    list_select_related = ("unit",)
    raw_id_fields = ("unit",)
    inlines = [SectionInline]


@admin.register(Task)
class TaskAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    formfield_overrides = ADMIN_DATE_FIELDS
    list_display = ("__str__", "plan", "deadline", "due_date", "status", "progress")
    list_filter = ("status",)
    search_fields = ("name", "objective", "plan__unit__name")
    list_select_related = ("plan__unit",)
    raw_id_fields = ("plan", "section", "criteria")
    readonly_fields = ("budget_amount",)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    formfield_overrides = ADMIN_DATE_FIELDS
    list_display = ("task", "reported_on", "status", "progress", "created_by")
    raw_id_fields = ("task", "created_by")
    # Evidence arrives through the plan page, which checks what the file is.
    readonly_fields = ("evidence", "evidence_name")


@admin.register(Agency)
class AgencyAdmin(RefuseControlCharactersAdmin, admin.ModelAdmin):
    list_display = ("name", "unit")
    search_fields = ("name", "unit__name")
    raw_id_fields = ("unit",)
