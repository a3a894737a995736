"""The plan's files: PDF, Word and Excel downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.documents.docx import document_docx
from cchc.documents.model import Document
from cchc.documents.pdf import document_pdf
from cchc.downloads import attachment
from cchc.pdf import weasyprint_missing
from remediation import selectors
from remediation.documents import plan_docx, plan_pdf
from remediation.documents.progress import progress_document_model
from remediation.exports import tasks_xlsx
from remediation.forms import (
    ReportDateForm,
)
from remediation.views.plans import form_errors


@login_required
@require_GET
def plan_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    if weasyprint_missing():
        return HttpResponse(weasyprint_missing(), status=503, content_type="text/plain")
    data = plan_pdf(plan, timezone.localdate())
    return attachment(data, f"{_plan_filename(plan)}.pdf")


@login_required
@require_GET
def plan_docx_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as Word, for the office to edit before it signs."""
    plan = selectors.plan_for_user(request.user, pk)
    return attachment(plan_docx(plan, timezone.localdate()), f"{_plan_filename(plan)}.docx")


def _plan_filename(plan) -> str:
    return f"ke-hoach-khac-phuc-{plan.unit.code}-{plan.year}"


@login_required
@require_GET
def plan_xlsx_download(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    data = tasks_xlsx(selectors.plan_document(plan, timezone.localdate()))
    return attachment(data, f"nhiem-vu-{plan.unit.code}-{plan.year}.xlsx")


def _progress_document(request: HttpRequest, pk: int) -> Document | HttpResponse:
    """The progress report as of ?ngay= (today by default), or a redirect back to the plan
    with the date's error."""
    plan = selectors.plan_for_user(request.user, pk)
    form = ReportDateForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, form_errors(form, "Chưa tạo được báo cáo."))
        return redirect("remediation:plan", pk=pk)
    on = form.cleaned_data["ngay"] if form.is_bound else timezone.localdate()
    return progress_document_model(plan, on)


@login_required
@require_GET
def progress_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = _progress_document(request, pk)
    if isinstance(document, HttpResponse):
        return document
    if weasyprint_missing():
        return HttpResponse(weasyprint_missing(), status=503, content_type="text/plain")

    return attachment(document_pdf(document), f"{document.filename}.pdf")


@login_required
@require_GET
def progress_docx_download(request: HttpRequest, pk: int) -> HttpResponse:
    document = _progress_document(request, pk)
    if isinstance(document, HttpResponse):
        return document

    return attachment(document_docx(document), f"{document.filename}.docx")
