from django.contrib import admin

from cchc.dates import ADMIN_DATE_FIELDS
from cchc.text import RefuseControlCharactersAdmin
from remediation.models import (
    ISSUING_FIELDS,
    Agency,
    Plan,
    PlanStatus,
    ProgressUpdate,
    Section,
    Task,
)


def is_draft(plan: Plan | None) -> bool:
    """An issued or superseded plan is what was sent: the admin shows it, changes nothing."""
    return plan is None or plan.status == PlanStatus.DRAFT


class DraftOnlyAdmin:
    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and is_draft(self.plan_of(obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and is_draft(self.plan_of(obj))

    def plan_of(self, obj) -> Plan | None:
        return obj


class SectionInline(DraftOnlyAdmin, RefuseControlCharactersAdmin, admin.TabularInline):
    model = Section
    fields = ("field", "order", "deductions", "deadline", "lead", "coordinators")
    raw_id_fields = ("field",)
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and is_draft(obj)


@admin.register(Plan)
class PlanAdmin(DraftOnlyAdmin, RefuseControlCharactersAdmin, admin.ModelAdmin):
    formfield_overrides = ADMIN_DATE_FIELDS
    list_display = ("unit", "year", "version", "number", "status", "updated_at")
    readonly_fields = ISSUING_FIELDS
    list_filter = ("status", "year")
    search_fields = ("unit__name", "unit__code", "summary")
    list_select_related = ("unit",)
    raw_id_fields = ("unit",)
    inlines = [SectionInline]


@admin.register(Task)
class TaskAdmin(DraftOnlyAdmin, RefuseControlCharactersAdmin, admin.ModelAdmin):
    formfield_overrides = ADMIN_DATE_FIELDS
    list_display = ("__str__", "plan", "deadline", "due_date", "status", "progress")
    list_filter = ("status",)
    search_fields = ("name", "objective", "plan__unit__name")
    list_select_related = ("plan__unit",)
    raw_id_fields = ("plan", "section", "criteria")
    readonly_fields = ("budget_amount",)

    def plan_of(self, obj: Task | None) -> Plan | None:
        return obj.plan if obj is not None else None


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
