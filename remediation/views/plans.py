"""The plan pages: the list, drafting, the editing page and its forms, progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from remediation import selectors, services
from remediation.forms import (
    PlanForm,
    ProgressForm,
    ReportDateForm,
    SectionForm,
    TaskForm,
)
from scoring.access import assessments_in_scope
from scoring.models import Assessment

LIST_LIMIT = 200  # results without a plan listed at once; the rest by drafting them


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
    try:
        plan = services.plan_draft(unit=assessment.unit, year=assessment.year)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("remediation:plans")
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
    return _plan_page(request, selectors.plan_for_user(request.user, pk))


def _plan_page(request: HttpRequest, plan, refused: BaseForm | None = None) -> HttpResponse:
    """The plan page. `refused` is a form that did not validate: it is shown in its place,
    opened, with what the user typed and the errors beside the fields (status 400)."""
    document = selectors.plan_document(plan, timezone.localdate())

    def form(form_class: type[BaseForm], prefix: str | None = None, **kwargs) -> BaseForm:
        if isinstance(refused, form_class) and refused.prefix == prefix:
            return refused
        return form_class(prefix=prefix, **kwargs)

    ctx = {
        "doc": document,
        "plan_form": form(PlanForm, instance=plan),
        "sections": [
            (
                view,
                form(SectionForm, f"s{view.section.pk}", instance=view.section),
                form(TaskForm, f"n{view.section.pk}"),
            )
            for view in document.sections
        ],
        "task_forms": {
            task.pk: form(TaskForm, f"t{task.pk}", instance=task, initial=_task_initial(task))
            for task in document.tasks
        },
        "progress_forms": {
            task.pk: form(ProgressForm, f"p{task.pk}", initial=_progress_initial(task, document))
            for task in document.tasks
        },
        **_opened(refused),
        "agencies": selectors.agency_names(plan),
        "report_form": ReportDateForm(initial={"ngay": document.on}),
    }
    status = 400 if refused is not None else 200
    return render(request, "remediation/plan_detail.html", ctx, status=status)


@login_required
@require_POST
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    # The form writes into its instance; the service compares with `plan` as stored.
    form = PlanForm(request.POST, instance=selectors.plan_for_user(request.user, pk))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _plan_page(request, plan, form)
    services.plan_update(plan=plan, data=form.cleaned_data)
    messages.success(request, "Đã lưu thông tin kế hoạch.")
    return redirect(f"{_plan_url(pk)}#thong-tin")


@login_required
@require_POST
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_for_user(request.user, pk)
    form = SectionForm(request.POST, prefix=f"s{pk}")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _plan_page(request, section.plan, form)
    services.section_update(section=section, data=form.cleaned_data)
    messages.success(request, f"Đã lưu lĩnh vực «{section.field.title}».")
    return redirect(f"{_plan_url(section.plan_id)}#linh-vuc-{pk}")


@login_required
@require_POST
def task_add(request: HttpRequest, pk: int) -> HttpResponse:
    section = selectors.section_for_user(request.user, pk)
    form = TaskForm(request.POST, prefix=f"n{pk}")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _plan_page(request, section.plan, form)
    task = services.task_create(section=section, data=form.cleaned_data)
    messages.success(request, "Đã thêm nhiệm vụ.")
    return redirect(f"{_plan_url(section.plan_id)}#nhiem-vu-{task.pk}")


@login_required
@require_POST
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    form = TaskForm(request.POST, prefix=f"t{pk}")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _plan_page(request, task.plan, form)
    services.task_update(task=task, data=form.cleaned_data)
    messages.success(request, "Đã lưu nhiệm vụ.")
    return redirect(f"{_plan_url(task.plan_id)}#nhiem-vu-{pk}")


@login_required
@require_POST
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    form = ProgressForm(request.POST, request.FILES, prefix=f"p{pk}")
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _plan_page(request, task.plan, form)
    services.progress_update_create(task=task, user=request.user, **form.cleaned_data)
    messages.success(request, "Đã cập nhật tiến độ.")
    return redirect(f"{_plan_url(task.plan_id)}#nhiem-vu-{pk}")


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    update = selectors.progress_update_for_user(request.user, pk)
    response = FileResponse(
        update.evidence.open("rb"),
        as_attachment=True,
        filename=update.evidence_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _opened(refused: BaseForm | None) -> dict:
    """Which task ("t12", "p12": its edit or progress form) or section ("n3": its new-task
    form) holds the refused form, so the page opens it."""
    prefix = refused.prefix if refused is not None else None
    if not prefix:
        return {"open_task": None, "open_section": None}
    kind, pk = prefix[0], int(prefix[1:])
    return {"open_task": pk if kind in "tp" else None, "open_section": pk if kind == "n" else None}


def _task_initial(task) -> dict:
    """The due date field shows only a person's correction: blank means "from the deadline"."""
    corrected = task.due_date if "due_date" in (task.edited_fields or []) else None
    return {"due_date": corrected}


def _progress_initial(task, document: selectors.PlanDocument) -> dict:
    return {"reported_on": document.on, "status": task.status, "progress": task.progress}


def _plan_url(pk: int) -> str:
    return reverse("remediation:plan", kwargs={"pk": pk})


def form_errors(form, lead: str = "Chưa lưu.") -> str:
    parts = [
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errs)}".lstrip(": ")
        for name, errs in form.errors.items()
    ]
    return f"{lead} " + "; ".join(parts)
