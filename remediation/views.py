"""Plan pages: list, the editing page, drafting, tracking, PDF and Excel downloads.

Every view asks `remediation.selectors` for objects in the user's scope (which
asks `scoring.access`); every change is a POST ending in a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from remediation import selectors, services
from remediation.exports import tasks_xlsx
from remediation.forms import (
    PlanForm,
    ProgressForm,
    ReportDateForm,
    SectionForm,
    TaskForm,
)
from remediation.pdf import plan_pdf, progress_report_pdf, weasyprint_missing
from scoring.access import assessments_in_scope
from scoring.models import Assessment

LIST_LIMIT = 200  # results without a plan listed at once; the rest by drafting them
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(data: bytes, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    plans = list(selectors.plans_in_scope(request.user, today))
    without_plan = list(selectors.assessments_without_plan(request.user)[:LIST_LIMIT])
    ctx = {"plans": plans, "without_plan": without_plan, "today": today}
    return render(request, "remediation/plan_list.html", ctx)


@login_required
@require_POST
def plan_draft(request: HttpRequest) -> HttpResponse:
    assessment = get_object_or_404(Assessment, pk=request.POST.get("assessment"))
    if not assessments_in_scope(request.user).filter(pk=assessment.pk).exists():
        raise PermissionDenied("Bạn không có quyền lập kế hoạch cho đơn vị này.")
    plan = services.plan_draft(unit=assessment.unit, year=assessment.year)
    messages.success(request, "Đã lập dự thảo kế hoạch từ các tiêu chí bị trừ điểm.")
    return redirect("remediation:plan", pk=plan.pk)


@login_required
@require_POST
def plan_redraft(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    before = plan.tasks.count()
    try:
        services.plan_draft(unit=plan.unit, year=plan.year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("remediation:plan", pk=pk)
    added = plan.tasks.count() - before
    messages.success(
        request,
        f"Đã cập nhật theo điểm hiện tại: thêm {added} nhiệm vụ; nội dung đã sửa giữ nguyên.",
    )
    return redirect("remediation:plan", pk=pk)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    document = selectors.plan_document(plan, timezone.localdate())
    ctx = {
        "doc": document,
        "plan_form": PlanForm(instance=plan),
        "sections": [
            (view, SectionForm(instance=view.section, prefix=f"s{view.section.pk}"))
            for view in document.sections
        ],
        "task_forms": {task.pk: _task_form(task) for task in document.tasks},
        "progress_form": ProgressForm(initial={"reported_on": document.on}),
        "agencies": selectors.agency_names(plan),
        "report_form": ReportDateForm(initial={"ngay": document.on}),
    }
    return render(request, "remediation/plan_detail.html", ctx)


@login_required
@require_POST
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    # The form writes into its instance; the service compares with `plan` as stored.
    form = PlanForm(request.POST, instance=selectors.plan_for_user(request.user, pk))
    if form.is_valid():
        services.plan_update(plan=plan, data=form.cleaned_data)
        messages.success(request, "Đã lưu thông tin kế hoạch.")
    else:
        messages.error(request, _errors(form))
    return redirect("remediation:plan", pk=pk)


@login_required
@require_POST
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_for_user(request.user, pk)
    form = SectionForm(request.POST, prefix=f"s{pk}")
    if form.is_valid():
        services.section_update(section=section, data=form.cleaned_data)
        messages.success(request, f"Đã lưu lĩnh vực «{section.field.title}».")
    else:
        messages.error(request, _errors(form))
    return redirect(f"{_plan_url(section.plan_id)}#linh-vuc-{pk}")


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_for_user(request.user, pk)
    form = TaskForm(request.POST, prefix="new")
    if form.is_valid():
        task = services.task_create(section=section, data=form.cleaned_data)
        messages.success(request, "Đã thêm nhiệm vụ.")
        return redirect(f"{_plan_url(section.plan_id)}#nhiem-vu-{task.pk}")
    messages.error(request, _errors(form))
    return redirect("remediation:plan", pk=section.plan_id)


@login_required
@require_POST
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    form = TaskForm(request.POST, prefix=f"t{pk}")
    if form.is_valid():
        services.task_update(task=task, data=form.cleaned_data)
        messages.success(request, "Đã lưu nhiệm vụ.")
    else:
        messages.error(request, _errors(form))
    return redirect(f"{_plan_url(task.plan_id)}#nhiem-vu-{pk}")


@login_required
@require_POST
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    form = ProgressForm(request.POST, request.FILES)
    if form.is_valid():
        services.progress_update_create(task=task, user=request.user, **form.cleaned_data)
        messages.success(request, "Đã cập nhật tiến độ.")
    else:
        messages.error(request, _errors(form))
    return redirect(f"{_plan_url(task.plan_id)}#nhiem-vu-{pk}")


@login_required
@require_GET
def plan_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    if weasyprint_missing():
        return HttpResponse(weasyprint_missing(), status=503, content_type="text/plain")
    data = plan_pdf(selectors.plan_document(plan, timezone.localdate()))
    return _download(
        data, "application/pdf", f"ke-hoach-khac-phuc-{plan.unit.code}-{plan.year}.pdf"
    )


@login_required
@require_GET
def plan_xlsx_download(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    data = tasks_xlsx(selectors.plan_document(plan, timezone.localdate()))
    return _download(data, XLSX, f"nhiem-vu-{plan.unit.code}-{plan.year}.xlsx")


@login_required
@require_GET
def progress_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    form = ReportDateForm(request.GET or None)
    on = form.cleaned_data["ngay"] if form.is_valid() else timezone.localdate()
    if weasyprint_missing():
        return HttpResponse(weasyprint_missing(), status=503, content_type="text/plain")
    data = progress_report_pdf(selectors.plan_document(plan, on), on)
    return _download(data, "application/pdf", f"bao-cao-{plan.unit.code}-{on:%Y%m%d}.pdf")


def _task_form(task) -> TaskForm:
    """The due date field shows only a person's correction: blank means "from the deadline"."""
    corrected = task.due_date if "due_date" in (task.edited_fields or []) else None
    return TaskForm(instance=task, prefix=f"t{task.pk}", initial={"due_date": corrected})


def _plan_url(pk: int) -> str:
    return reverse("remediation:plan", kwargs={"pk": pk})


def _errors(form) -> str:
    parts = [
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errs)}".lstrip(": ")
        for name, errs in form.errors.items()
    ]
    return "Chưa lưu. " + "; ".join(parts)
