"""The plan pages: the list, drafting, the editing page and its one save, progress."""

import copy
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from remediation import selectors, services
from remediation.forms import PlanEditor, ProgressForm, ReportDateForm
from remediation.models import PlanStatus
from remediation.selectors.figures import plan_figure_checks
from scoring import analysis
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


STALE = (
    "Có người khác đã lưu kế hoạch này sau khi bạn mở trang, nên nội dung của bạn chưa được "
    "lưu. Các giá trị bạn vừa nhập vẫn giữ nguyên bên dưới; ô nào khác bản vừa được lưu có "
    "ghi «Bản đã lưu». Kiểm tra rồi bấm «Lưu kế hoạch» nếu muốn giữ giá trị của bạn."
)
# The parts of the page a save may return to (plan.js fills the field "tai").
ANCHOR = re.compile(r"(linh-vuc|nhiem-vu)-\d+|thong-tin|nguoi-ky")


@login_required
@require_POST
def plan_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's one save: the header, every field and all its tasks, all or nothing."""
    plan = selectors.plan_for_user(request.user, pk)
    try:
        services.plan_refuse_issued(plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _plan_page(request, plan, status=409)
    editor = _editor(copy.copy(plan), request.POST)
    # A refused page keeps the version it was loaded with: a save made meanwhile still conflicts.
    loaded = request.POST.get("version", "")
    if not editor.is_valid():
        return _plan_page(request, plan, editor, status=400, version=loaded)
    try:
        changed = services.plan_save(plan=plan, version=loaded, **editor.save_data())
    except services.PlanStale:
        messages.error(request, STALE)
        editor.note_stored()
        return _plan_page(request, plan, editor, status=409, version=services.plan_version(plan))
    except ValidationError as error:
        editor.refusals = error.messages
        return _plan_page(request, plan, editor, status=400, version=loaded)
    if changed:
        messages.success(request, f"Đã lưu kế hoạch ({changed} phần thay đổi).")
    else:
        messages.info(request, "Không có gì thay đổi, kế hoạch giữ nguyên.")
    anchor = request.POST.get("tai", "")
    return redirect(_plan_url(pk) + (f"#{anchor}" if ANCHOR.fullmatch(anchor) else ""))


def _editor(plan, data=None, sections=None, tasks=None) -> PlanEditor:
    sections = list(selectors.plan_sections(plan)) if sections is None else sections
    tasks = list(plan.tasks.order_by("order", "pk")) if tasks is None else tasks
    return PlanEditor(plan, sections, tasks, data)


def _plan_page(
    request: HttpRequest,
    plan,
    editor: PlanEditor | None = None,
    *,
    refused: ProgressForm | None = None,
    status: int = 200,
    version: str | None = None,
) -> HttpResponse:
    """The plan page. `editor` holds what a refused save typed (shown with its errors);
    `refused` a progress report that did not validate, shown opened in its task."""
    document = selectors.plan_document(plan, timezone.localdate())
    draft = plan.status == PlanStatus.DRAFT
    if draft and editor is None:
        sections = [view.section for view in document.sections]
        editor = _editor(plan, None, sections, document.tasks)
    ctx = {
        "doc": document,
        "editor": editor if draft else None,
        "parts": editor.sections if draft else {},
        "task_forms": editor.task_forms if draft else {},
        "errors": editor.errors() if draft and editor.header.is_bound else [],
        "version": services.plan_version(plan) if version is None else version,
        "gaps": selectors.plan_gaps(plan) if draft else [],
        "progress_forms": {
            task.pk: _progress_form(task, document, refused) for task in document.tasks
        },
        "open_task": int(refused.prefix[1:]) if refused is not None else None,
        "agencies": selectors.agency_names(plan),
        "report_form": ReportDateForm(initial={"ngay": document.on}),
        "effect": selectors.plan_effectiveness(plan, document.tasks),
        "figure_checks": plan_figure_checks(document),
        "whatif": analysis.plan_what_if(
            request.user,
            document.breakdown,
            document.tasks,
            request.GET.getlist("nhiem_vu"),
            asked="tinh_thu" in request.GET,
            order=request.GET.get("sap_xep", ""),
        ),
    }
    return render(request, "remediation/plan_detail.html", ctx, status=status)


def _progress_form(task, document: selectors.PlanDocument, refused) -> ProgressForm:
    if refused is not None and refused.prefix == f"p{task.pk}":
        return refused
    initial = {"reported_on": document.on, "status": task.status, "progress": task.progress}
    return ProgressForm(prefix=f"p{task.pk}", initial=initial, owner=_progress_owner(task.pk))


def _progress_owner(pk: int) -> str:
    """The id of a task's progress <form>: its inputs sit inside the plan's one form."""
    return f"tien-do-{pk}"


@login_required
@require_POST
def progress_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for_user(request.user, pk)
    form = ProgressForm(request.POST, request.FILES, prefix=f"p{pk}", owner=_progress_owner(pk))
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _plan_page(request, task.plan, refused=form, status=400)
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


def _plan_url(pk: int) -> str:
    return reverse("remediation:plan", kwargs={"pk": pk})


def form_errors(form, lead: str = "Chưa lưu.") -> str:
    parts = [
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(errs)}".lstrip(": ")
        for name, errs in form.errors.items()
    ]
    return f"{lead} " + "; ".join(parts)
