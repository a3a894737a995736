"""Issuing a plan (ban hành), its signed file, and corrections (thay thế, đính chính).

An issued plan's PDF and .docx are rendered once, stored and never rendered again:
later progress, edits or admin changes leave both files as they were issued. A
correction is a new draft version; the plan it corrects stays issued, files and all,
until the new one is issued, then it is superseded.
"""

from datetime import date
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from remediation import texts
from remediation.models import ISSUING_FIELDS, CorrectionKind, Plan, PlanStatus, Section, Task
from remediation.services import drafting
from remediation.services.editing import plan_refuse_issued
from remediation.signatures import pdf_signatures
from scoring.access import User
from scoring.evidence import check_sizes, check_upload

SIGNED_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")
SIGNED_LABEL = "PDF (bản ký số) hoặc ảnh chụp, bản quét (.pdf, .jpg, .png)"
# Not copied into a correction: it is a new document with its own number, date and files.
NOT_COPIED = {"id", "number", "issued_on", *ISSUING_FIELDS, "created_at", "updated_at"}
CORRECTION_VERBS = {CorrectionKind.REPLACEMENT: "thay thế", CorrectionKind.ERRATUM: "đính chính"}


def blank_number(number: str) -> str:
    """ "05/KH-UBND" → "/KH-UBND": the symbol kept, the number left for the e-office system."""
    _number, slash, symbol = number.partition("/")
    return f"/{symbol}" if slash else "/KH-UBND"


def issued_filename(plan: Plan, extension: str) -> str:
    return f"ke-hoach-{plan.unit.code}-{plan.year}-v{plan.version}.{extension}"


@transaction.atomic
def plan_issue(
    *,
    plan: Plan,
    user: User,
    number: str,
    issued_on: date | None,
    number_left_blank: bool,
) -> Plan:
    """Issue a draft: set its number and date (or leave both for the e-office system to
    stamp), render the PDF with its empty signature field and the .docx once, store them.
    The plan a correction replaces is superseded in the same transaction."""
    plan = (
        Plan.objects.select_for_update(of=("self",))
        .select_related("unit", "replaces")
        .get(pk=plan.pk)
    )
    plan_refuse_issued(plan)
    if number_left_blank:
        plan.number, plan.issued_on = blank_number(plan.number), None
    else:
        _check_number_and_date(plan, number.strip(), issued_on)
        plan.number, plan.issued_on = number.strip(), issued_on
    plan.status, plan.issued_at, plan.issued_by = PlanStatus.ISSUED, timezone.now(), user
    plan.full_clean()
    pdf, docx = _render(plan, plan.issued_on or timezone.localdate())
    plan.issued_pdf.save(issued_filename(plan, "pdf"), ContentFile(pdf), save=False)
    plan.issued_docx.save(issued_filename(plan, "docx"), ContentFile(docx), save=False)
    plan.save()
    if plan.replaces is not None:
        plan.replaces.status = PlanStatus.SUPERSEDED
        plan.replaces.full_clean()
        plan.replaces.save(update_fields=["status", "updated_at"])
    # The units below that implement this plan cite it in their drafts.
    drafting.plans_cite_higher_plan(plan=plan)
    return plan


def _check_number_and_date(plan: Plan, number: str, issued_on: date | None) -> None:
    errors = {}
    if not number or number.startswith("/"):
        errors["number"] = (
            "Nhập số của kế hoạch (ví dụ 05/KH-UBND), hoặc đánh dấu để trống số và ngày "
            "cho hệ thống văn bản điện tử cấp."
        )
    if issued_on is None:
        errors["issued_on"] = "Nhập ngày ban hành (dd/mm/yyyy)."
    elif issued_on > timezone.localdate():
        errors["issued_on"] = "Ngày ban hành không được sau hôm nay."
    elif issued_on.year < plan.year:
        errors["issued_on"] = f"Ngày ban hành không được trước năm kết quả {plan.year}."
    if errors:
        raise ValidationError(errors)


def _render(plan: Plan, on: date) -> tuple[bytes, bytes]:
    # Imported when issuing: the renderers pull in WeasyPrint and python-docx.
    from remediation.documents.plan import plan_docx, plan_pdf

    return plan_pdf(plan, on, signature_field=True), plan_docx(plan, on)


@transaction.atomic
def plan_signed_upload(*, plan: Plan, upload: UploadedFile, user: User) -> Plan:
    """Keep the signed file of an issued plan (the PDF after ký số, or a scan), with the
    signatures a PDF carries. A later upload replaces the earlier one."""
    if plan.status == PlanStatus.DRAFT:
        raise ValidationError("Kế hoạch chưa ban hành: chưa tải bản đã ký lên được.")
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in SIGNED_SUFFIXES:
        raise ValidationError(f"Không nhận tệp «{upload.name}»: chỉ nhận {SIGNED_LABEL}.")
    check_sizes([upload])
    check_upload(upload)
    previous = plan.signed_file.name
    plan.signatures = pdf_signatures(upload.read()) if suffix == ".pdf" else []
    upload.seek(0)
    plan.signed_file.save("", upload, save=False)
    plan.signed_name = PurePath(upload.name).name[:255]
    plan.signed_uploaded_at, plan.signed_uploaded_by = timezone.now(), user
    plan.full_clean()
    plan.save()
    if previous:
        storage = plan.signed_file.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return plan


@transaction.atomic
def plan_correct(*, plan: Plan, kind: str, user: User) -> Plan:
    """A new draft version of an issued plan (thay thế or đính chính) with its header,
    fields and tasks, each task's latest status and progress; the progress reports stay
    with the issued plan's tasks. One open correction at a time."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=plan.pk)
    if kind not in CORRECTION_VERBS:
        raise ValidationError("Chọn thay thế hoặc đính chính.")
    if plan.status != PlanStatus.ISSUED:
        raise ValidationError("Chỉ lập bản thay thế, đính chính từ kế hoạch đang ban hành.")
    open_draft = plan.corrections.filter(status=PlanStatus.DRAFT).first()
    if open_draft is not None:
        raise ValidationError(
            f"Đã có bản {open_draft.get_correction_kind_display().lower()} đang soạn "
            f"(phiên bản {open_draft.version}): hoàn thành bản đó trước."
        )
    correction = _copy_plan(plan, kind)
    sections = {old.pk: _copy_section(old, correction) for old in plan.sections.all()}
    _copy_tasks(plan, correction, sections)
    return correction


def _copy_tasks(plan: Plan, correction: Plan, sections: dict[int, Section]) -> None:
    """Each task with its criteria, status and progress (3 queries and one a task)."""
    criteria = Task.criteria.through
    covered: dict[int, list[int]] = {}
    for task_id, criterion_id in criteria.objects.filter(task__plan=plan).values_list(
        "task_id", "criterion_id"
    ):
        covered.setdefault(task_id, []).append(criterion_id)
    links = []
    for task in plan.tasks.all():
        old_pk = task.pk
        task.plan, task.section = correction, sections[task.section_id]
        _saved_copy(task)
        links += [criteria(task=task, criterion_id=pk) for pk in covered.get(old_pk, [])]
    criteria.objects.bulk_create(links)


def _copy_plan(plan: Plan, kind: str) -> Plan:
    values = {
        field.attname: getattr(plan, field.attname)
        for field in Plan._meta.concrete_fields
        if field.name not in NOT_COPIED
    }
    correction = Plan(**values)
    correction.number = blank_number(plan.number)
    correction.version, correction.replaces, correction.correction_kind = (
        plan.version + 1,
        plan,
        kind,
    )
    correction.organisation = "\n".join(
        line for line in (plan.organisation.strip(), correction_line(plan, kind)) if line
    )
    # Kept by drafting again, like anything a person wrote.
    correction.edited_fields = sorted({*plan.edited_fields, "organisation"})
    correction.full_clean()
    correction.save()
    return correction


def correction_line(plan: Plan, kind: str) -> str:
    """ "Kế hoạch này thay thế Kế hoạch số 05/KH-UBND ngày 05/01/2024 của UBND xã Cẩm Sơn."
    A number the e-office system stamped is not known here: then the plan is named by
    its summary and the day it was issued."""
    on = plan.issued_on or timezone.localtime(plan.issued_at).date()
    numbered = not plan.number.startswith("/") and plan.number
    summary = plan.summary[:1].lower() + plan.summary[1:]
    name = f"Kế hoạch số {plan.number}" if numbered else f"Kế hoạch {summary}"
    return (
        f"Kế hoạch này {CORRECTION_VERBS[kind]} {name} ngày {on:%d/%m/%Y} "
        f"của {texts.short_name(plan.unit)}."
    )


def _copy_section(section: Section, plan: Plan) -> Section:
    section.plan = plan
    return _saved_copy(section)


def _saved_copy(obj: Section | Task) -> Section | Task:
    """`obj` saved as a new row: every field copied, so a field added later is too."""
    obj.pk, obj._state.adding = None, True
    obj.full_clean()
    obj.save()
    return obj
