"""Appraisal steps beside the sheet: accepting self scores for the empty leaves, the
publish confirmation, and the appraisal record (Phiếu thẩm định) as a PDF.

Every view starts from `scoring.access`; the work is done by scoring.sheet,
scoring.workflow and scoring.record.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.pdf import weasyprint_missing
from scoring.access import User, get_assessment_for_user, is_home_affairs
from scoring.appraisal import AppraisalIncomplete, self_scores_to_accept
from scoring.engine import assessment_breakdown, group_ranking
from scoring.models import Assessment, AssessmentEvent, AssessmentStatus
from scoring.record import appraisal_record, appraisal_record_pdf
from scoring.sheet import SheetConflict, scores_accept_self
from scoring.views.queue import queue_suffix
from scoring.workflow import assessment_transition, last_event, sheet_state, transition_check

Action = AssessmentEvent.Action
ACCEPT_CONFLICT = (
    "Phiếu chấm đã thay đổi sau khi bạn mở nó (có người lưu điểm hoặc chuyển bước), nên "
    "chưa điền điểm nào. Xem lại phiếu chấm rồi bấm lại nếu vẫn muốn chấp nhận điểm tự chấm."
)


def refusal_message(assessment: Assessment, error: ValidationError) -> str:
    """What the user reads when a step is refused; an incomplete appraisal links its leaves."""
    if isinstance(error, AppraisalIncomplete):
        sheet_url = reverse("scoring:sheet", args=[assessment.pk])
        ctx = {
            "refusal": error,
            "sheet_url": sheet_url,
            # Survey leaves have no self score to accept: suggest it only where it helps.
            "acceptable": self_scores_to_accept(assessment).exists(),
        }
        return render_to_string("scoring/sheet/_unappraised.html", ctx)
    return " ".join(error.messages)


@require_POST
@login_required
def accept_self(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    try:
        codes = scores_accept_self(
            assessment=assessment, user=request.user, token=request.POST.get("token", "")
        )
    except SheetConflict:
        messages.error(request, ACCEPT_CONFLICT)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if codes:
            messages.success(
                request,
                f"Đã lấy điểm tự chấm làm điểm thẩm định cho {len(codes)} tiêu chí còn trống: "
                f"{', '.join(codes)}.",
            )
        else:
            messages.info(request, "Không còn tiêu chí nào có điểm tự chấm mà chưa thẩm định.")
    return redirect(reverse("scoring:sheet", args=[pk]) + queue_suffix(request, assessment))


@require_http_methods(["GET", "POST"])
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what will be published (total, index, rank in the group); POST: publish it."""
    assessment = get_assessment_for_user(request.user, pk)
    if request.method == "POST":
        return _publish(request, assessment)
    state = sheet_state(assessment, last_event=last_event(assessment))
    refusal = ""
    try:
        transition_check(
            assessment=assessment, user=request.user, action=Action.PUBLISH, state=state
        )
    except ValidationError as error:
        refusal = refusal_message(assessment, error)
    ctx = {
        "assessment": assessment,
        "breakdown": assessment_breakdown(assessment),
        "refusal": refusal,
        **_rank(assessment),
    }
    return render(request, "scoring/publish.html", ctx, status=409 if refusal else 200)


def _publish(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    try:
        assessment_transition(assessment=assessment, user=request.user, action=Action.PUBLISH)
    except ValidationError as error:
        messages.error(request, refusal_message(assessment, error))
        return redirect("scoring:publish", pk=assessment.pk)
    messages.success(request, "Đã công bố kết quả.")
    return redirect("scoring:sheet", pk=assessment.pk)


def _rank(assessment: Assessment) -> dict:
    """The assessment's place among the group's appraised or published results that year."""
    if assessment.ranking_group is None:
        return {"rank": None, "ranked": 0, "group": ""}
    ranking = group_ranking(
        assessment.ranking_group,
        assessment.year,
        statuses=[AssessmentStatus.APPRAISED, AssessmentStatus.PUBLISHED],
    )
    row = next((r for r in ranking.rows if r.assessment_id == assessment.pk), None)
    name = assessment.ranking_group.name
    # "trong khối xã, thị trấn huyện Cẩm Xuyên": only the word khối in lower case.
    group = name[0].lower() + name[1:] if name.startswith("Khối") else f"khối {name}"
    return {"rank": row.rank if row else None, "ranked": len(ranking.rows), "group": group}


def may_download_record(user: User, assessment: Assessment) -> bool:
    """Nội vụ always (a working copy before the sign-off); the unit once it is published."""
    return is_home_affairs(user) or assessment.status == AssessmentStatus.PUBLISHED


@require_GET
@login_required
def record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_user(request.user, pk)
    if not may_download_record(request.user, assessment):
        raise PermissionDenied("Phiếu thẩm định được xem khi kết quả đã công bố.")
    if weasyprint_missing():
        return HttpResponse(weasyprint_missing(), status=503, content_type="text/plain")
    data = appraisal_record_pdf(appraisal_record(assessment))
    filename = f"phieu-tham-dinh-{assessment.unit.code}-{assessment.year}.pdf"
    return HttpResponse(
        data,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


urlpatterns = [
    path("danh-gia/<int:pk>/chap-nhan-tu-cham/", accept_self, name="accept_self"),
    path("danh-gia/<int:pk>/cong-bo/", publish, name="publish"),
    path("danh-gia/<int:pk>/phieu-tham-dinh.pdf", record_pdf, name="record_pdf"),
]
