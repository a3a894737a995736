"""The scoring sheet: self-assessment and appraisal in the browser.

Every view starts from `scoring.access`, so another unit's id is refused before
anything is read; the work is done by scoring.sheet, scoring.workflow and
scoring.evidence.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from scoring import evidence as evidence_service
from scoring.access import get_assessment_for_user, is_home_affairs
from scoring.appraisal import self_scores_to_accept
from scoring.forms import (
    AGREES,
    NOT_APPLICABLE_REFUSED,
    EvidenceForm,
    ExtensionForm,
    ReasonForm,
    error_summary,
    posted_columns,
    posts_not_applicable,
    read_sheet,
)
from scoring.history import criterion_history
from scoring.models import Assessment, AssessmentEvent, Criterion, Evidence
from scoring.sheet import (
    CLOSED_MESSAGE,
    CONFLICT_MESSAGE,
    Sheet,
    SheetConflict,
    sheet_fill_cells,
    sheet_read,
    sheet_save,
    sheet_token,
)
from scoring.views.appraisal import may_download_record, refusal_message
from scoring.views.queue import queue_suffix, sheet_neighbours
from scoring.workflow import (
    APPRAISED,
    EXPLANATION,
    SELF,
    allowed_actions,
    assessment_extend_deadline,
    assessment_transition,
    editable_columns,
    event_label,
    extension_allowed,
    last_event,
    sheet_state,
    status_label,
    step_label,
)

Action = AssessmentEvent.Action


@require_GET
@login_required
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    return _render_sheet(request, assessment, sheet_read(assessment))


@require_POST
@login_required
def save_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    current = sheet_read(assessment)
    state = sheet_state(assessment, last_event=last_event(assessment))
    columns = editable_columns(request.user, state)
    if not columns:
        return _refuse_closed(request, assessment, current)
    typed = read_sheet(request.POST, current.leaves, columns)
    if APPRAISED not in columns and posts_not_applicable(request.POST):
        # Only the appraiser's form has these inputs: a crafted post saves nothing.
        messages.error(request, NOT_APPLICABLE_REFUSED)
        posted = request.POST.get("token", "")
        return _render_sheet(request, assessment, current, typed=typed, status=400, token=posted)
    if any(row.errors for row in typed.values()):
        summary = error_summary(typed, current.leaves)
        messages.error(request, f"Chưa lưu: {summary} nhập chưa đúng, xem các ô tô đỏ.")
        # The token the user opened the sheet with: a save made meanwhile still conflicts.
        posted = request.POST.get("token", "")
        return _render_sheet(request, assessment, current, typed=typed, status=400, token=posted)
    try:
        changed = sheet_save(
            assessment=assessment,
            user=request.user,
            token=request.POST.get("token", ""),
            rows=typed,
        )
    except SheetConflict:
        messages.error(request, CONFLICT_MESSAGE)
        # Shown beside the input kept: what the other person saved, read afresh.
        assessment.refresh_from_db()
        latest = sheet_read(assessment)
        return _render_sheet(request, assessment, latest, typed=typed, status=409, conflict=True)
    if changed:
        messages.success(request, f"Đã lưu phiếu chấm ({changed} tiêu chí thay đổi).")
    else:
        messages.info(request, "Không có gì thay đổi, phiếu chấm giữ nguyên.")
    return _back_to_sheet(request, assessment, leaf=request.POST.get("dong", ""))


def _back_to_sheet(request: HttpRequest, assessment: Assessment, leaf: str = "") -> HttpResponse:
    """Back to the sheet, keeping the queue it was opened from; after a save, at the row
    that was being edited (the field sheet.js fills; without it, the top of the page)."""
    anchor = f"#leaf-{leaf}" if leaf.isdigit() else ""
    url = reverse("scoring:sheet", args=[assessment.pk])
    return redirect(url + queue_suffix(request, assessment) + anchor)


def _refuse_closed(request: HttpRequest, assessment: Assessment, current: Sheet) -> HttpResponse:
    """The sheet is not open to this user (any more): nothing is saved, and whatever the
    form held is shown back beside each row so a deadline passing loses nobody's work."""
    typed = read_sheet(request.POST, current.leaves, posted_columns(request.POST))
    messages.error(request, CLOSED_MESSAGE)
    return _render_sheet(request, assessment, current, typed=typed, status=403, closed=True)


def _render_sheet(
    request: HttpRequest,
    assessment: Assessment,
    current: Sheet,
    *,
    typed: dict | None = None,
    status: int = 200,
    conflict: bool = False,
    closed: bool = False,
    token: str | None = None,
    extension_form: ExtensionForm | None = None,
) -> HttpResponse:
    event = last_event(assessment)
    state = sheet_state(assessment, last_event=event)
    columns = editable_columns(request.user, state)
    sheet_fill_cells(current, typed, closed=closed)
    ctx = {
        "assessment": assessment,
        "sheet": current,
        "token": sheet_token(assessment) if token is None else token,
        "state": state,
        "last_event": event,
        "last_event_label": event_label(event, state) if event else "",
        "conflict": conflict,
        # A refused save shows what was typed: it is on the page but not saved.
        "unsaved": typed is not None and not closed,
        "edit_self": SELF in columns,
        "edit_appraised": APPRAISED in columns,
        # "Chấp nhận điểm tự chấm" is offered only when it would fill something.
        "to_accept": self_scores_to_accept(assessment).count() if APPRAISED in columns else 0,
        "record_pdf": may_download_record(request.user, assessment),
        "edit_explanation": EXPLANATION in columns,
        "agrees_choices": list(AGREES),
        "status_label": status_label(state),
        "actions": [(a, step_label(a, state)) for a in allowed_actions(request.user, state)],
        "reason_actions": [Action.RETURN, Action.REOPEN],
        "extension_form": extension_form or _extension_form(request, state, event),
        "queue": sheet_neighbours(request, assessment),
        "queue_suffix": queue_suffix(request, assessment),
    }
    return render(request, "scoring/sheet.html", ctx, status=status)


def _extension_form(
    request: HttpRequest, state, event: AssessmentEvent | None
) -> ExtensionForm | None:
    """An empty "Gia hạn tự đánh giá" form for Nội vụ while the unit is self-assessing
    (not on a returned sheet, which the extension would refuse)."""
    if extension_allowed(state.status, event) and is_home_affairs(request.user):
        return ExtensionForm(auto_id="extend-%s")
    return None


@require_POST
@login_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    if not is_home_affairs(request.user):
        raise PermissionDenied("Chỉ cán bộ Nội vụ hoặc quản trị viên được gia hạn tự đánh giá.")
    form = ExtensionForm(request.POST, auto_id="extend-%s")
    if form.is_valid():
        try:
            event = assessment_extend_deadline(
                assessment=assessment,
                user=request.user,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        messages.error(request, "Chưa gia hạn: " + " ".join(_form_messages(form)))
        current = sheet_read(assessment)
        return _render_sheet(request, assessment, current, status=400, extension_form=form)
    messages.success(
        request,
        f"Đã gia hạn tự đánh giá cho {assessment.unit.name} đến {event.deadline:%d/%m/%Y}.",
    )
    return _back_to_sheet(request, assessment)


def _form_messages(form: ExtensionForm) -> list[str]:
    return [message for messages_ in form.errors.values() for message in messages_]


@require_POST
@login_required
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    if action not in Action.values:
        raise PermissionDenied("Thao tác không hợp lệ.")
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return _back_to_sheet(request, assessment)
    reason = form.cleaned_data["reason"]
    label = step_label(action, sheet_state(assessment, last_event=last_event(assessment)))
    try:
        assessment_transition(
            assessment=assessment, user=request.user, action=action, reason=reason
        )
    except ValidationError as error:
        messages.error(request, refusal_message(assessment, error))
    else:
        assessment.refresh_from_db()
        state = sheet_state(assessment, last_event=last_event(assessment))
        messages.success(request, f"{label}: {status_label(state).lower()}.")
    return _back_to_sheet(request, assessment)


@require_GET
@login_required
def history(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    criterion = _leaf(assessment, criterion_id)
    ctx = {
        "assessment": assessment,
        "criterion": criterion,
        "changes": criterion_history(assessment, criterion),
        "events": assessment.events.select_related("user")[:50],
    }
    return render(request, "scoring/sheet_history.html", ctx)


def _leaf(assessment: Assessment, criterion_id: int) -> Criterion:
    return get_object_or_404(
        Criterion, pk=criterion_id, framework_id=assessment.framework_id, is_leaf=True
    )


@require_GET
@login_required
def evidence_list(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    return _render_evidence(request, assessment, _leaf(assessment, criterion_id), EvidenceForm())


def _render_evidence(
    request: HttpRequest,
    assessment: Assessment,
    criterion: Criterion,
    form: EvidenceForm,
    status: int = 200,
) -> HttpResponse:
    files = Evidence.objects.filter(assessment=assessment, criterion=criterion).select_related(
        "uploaded_by"
    )
    columns = evidence_service.evidence_columns(request.user, assessment)
    ctx = {
        "assessment": assessment,
        "criterion": criterion,
        "files": files,
        "deletable": {item.pk for item in files if evidence_service.may_delete(item, columns)},
        "form": form,
        "may_change": bool(columns),
        "explaining": EXPLANATION in columns,
        "max_mb": settings.EVIDENCE_MAX_MB,
    }
    return render(request, "scoring/sheet_evidence.html", ctx, status=status)


@require_POST
@login_required
def evidence_upload(request: HttpRequest, pk: int, criterion_id: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    criterion = _leaf(assessment, criterion_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            added = evidence_service.evidence_add_files(
                assessment=assessment,
                criterion=criterion,
                user=request.user,
                uploads=form.cleaned_data["file"],
            )
        except ValidationError as error:
            form.add_error("file", error)
    if not form.is_valid():
        return _render_evidence(request, assessment, criterion, form, status=400)
    messages.success(request, f"Đã tải lên {len(added)} tệp.")
    return redirect("scoring:evidence", pk=pk, criterion_id=criterion_id)


def _evidence_for_user(request: HttpRequest, evidence_id: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("assessment"), pk=evidence_id)
    get_assessment_for_user(request.user, evidence.assessment_id)
    return evidence


@require_GET
@login_required
def evidence_download(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = _evidence_for_user(request, evidence_id)
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name
    )
    response["Content-Type"] = evidence.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def evidence_remove(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = _evidence_for_user(request, evidence_id)
    evidence_service.evidence_delete(evidence=evidence, user=request.user)
    messages.success(request, f"Đã xóa tệp «{evidence.original_name}».")
    return redirect(
        reverse("scoring:evidence", args=[evidence.assessment_id, evidence.criterion_id])
    )


urlpatterns = [
    path("danh-gia/<int:pk>/", sheet, name="sheet"),
    path("danh-gia/<int:pk>/luu/", save_sheet, name="sheet_save"),
    path("danh-gia/<int:pk>/buoc/<str:action>/", transition, name="transition"),
    path("danh-gia/<int:pk>/gia-han/", extend, name="extend"),
    path("danh-gia/<int:pk>/tieu-chi/<int:criterion_id>/lich-su/", history, name="history"),
    path(
        "danh-gia/<int:pk>/tieu-chi/<int:criterion_id>/tai-lieu/",
        evidence_list,
        name="evidence",
    ),
    path(
        "danh-gia/<int:pk>/tieu-chi/<int:criterion_id>/tai-lieu/tai-len/",
        evidence_upload,
        name="evidence_upload",
    ),
    path("tai-lieu/<int:evidence_id>/", evidence_download, name="evidence_download"),
    path("tai-lieu/<int:evidence_id>/xoa/", evidence_remove, name="evidence_delete"),
]
