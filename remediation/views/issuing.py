"""Issuing a plan, its stored files, the signed file, and corrections.

An issued plan's downloads serve the files stored when it was issued, never a new
rendering (the draft's downloads are in `views.downloads`).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cchc.dates import DayMonthYearField
from cchc.downloads import CONTENT_TYPES
from remediation import selectors
from remediation.models import CorrectionKind
from remediation.services import issuing
from remediation.views.plans import _plan_page, form_errors


class IssueForm(forms.Form):
    so = forms.CharField(
        label="Số, ký hiệu",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "05/KH-UBND"}),
    )
    ngay = DayMonthYearField(label="Ngày ban hành", required=False)
    de_trong = forms.BooleanField(
        label="Để trống số và ngày để hệ thống văn bản điện tử cấp",
        required=False,
        help_text="Bản lưu in «Số:      /KH-UBND» và «ngày … tháng … năm …» để hệ thống cấp.",
    )


class SignedForm(forms.Form):
    tep = forms.FileField(
        label="Bản đã ký",
        help_text=f"{issuing.SIGNED_LABEL}. Bản ký số (PDF) được đọc chữ ký.",
    )


@login_required
@require_POST
def plan_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        try:
            issuing.plan_issue(
                plan=plan,
                user=request.user,
                number=form.cleaned_data["so"],
                issued_on=form.cleaned_data["ngay"],
                number_left_blank=form.cleaned_data["de_trong"],
            )
        except ValidationError as error:
            _add_errors(form, error)
    if not form.is_valid():
        messages.error(request, form_errors(form, "Chưa ban hành."))
        request.refused_issuing_form = form  # shown by `{% issuing_panel %}` as typed
        return _plan_page(request, plan, status=400)
    messages.success(request, "Đã ban hành kế hoạch: bản PDF và Word được lưu, không thay đổi.")
    return redirect("remediation:plan", pk=pk)


def _add_errors(form: IssueForm, error: ValidationError) -> None:
    names = {"number": "so", "issued_on": "ngay"}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(names.get(name), errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_GET
def issued_file(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    plan = selectors.plan_for_user(request.user, pk)
    stored = {"pdf": plan.issued_pdf, "docx": plan.issued_docx}.get(kind)
    if not stored:
        raise Http404("Kế hoạch chưa ban hành hoặc không có tệp này.")
    return _file(stored, issuing.issued_filename(plan, kind), CONTENT_TYPES[kind])


@login_required
@require_POST
def signed_upload(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    form = SignedForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["tep"])
        plan = issuing.plan_signed_upload(
            plan=plan, upload=form.cleaned_data["tep"], user=request.user
        )
    except ValidationError as error:
        messages.error(request, "Chưa lưu bản đã ký. " + " ".join(error.messages))
        return redirect(f"{_plan_url(pk)}#ban-hanh")
    found = len(plan.signatures)
    messages.success(
        request,
        f"Đã lưu bản đã ký: {found} chữ ký số."
        if found
        else "Đã lưu bản đã ký (không có chữ ký số).",
    )
    return redirect(f"{_plan_url(pk)}#ban-hanh")


@login_required
@require_GET
def signed_file(request: HttpRequest, pk: int) -> FileResponse:
    plan = selectors.plan_for_user(request.user, pk)
    if not plan.signed_file:
        raise Http404("Chưa có bản đã ký.")
    return _file(plan.signed_file, plan.signed_name, None)


@login_required
@require_POST
def plan_correct(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for_user(request.user, pk)
    kind = request.POST.get("hinh_thuc", "")
    try:
        correction = issuing.plan_correct(plan=plan, kind=kind, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{_plan_url(pk)}#ban-hanh")
    label = CorrectionKind(kind).label.lower()
    messages.success(
        request,
        f"Đã lập bản {label} (phiên bản {correction.version}): sửa rồi ban hành; "
        "kế hoạch cũ vẫn có hiệu lực đến khi bản này được ban hành.",
    )
    return redirect("remediation:plan", pk=correction.pk)


def _file(stored, filename: str, content_type: str | None) -> FileResponse:
    response = FileResponse(
        stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _plan_url(pk: int) -> str:
    return reverse("remediation:plan", kwargs={"pk": pk})
