"""Publishing a whole khối from the ranking page: the confirmation with the decision
form, then the POST that publishes every sheet (scoring.cycles.publication)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from scoring.access import User
from scoring.cycles.publication import (
    GroupPublication,
    PublicationRefused,
    default_issuer,
    default_subject,
    group_publication,
    group_publish,
    not_ready_headline,
    outcome_summary,
)
from scoring.forms import DecisionForm
from scoring.models import RankingGroup

CHOOSE_GROUP = "Hãy chọn khối và năm trên trang Xếp hạng rồi bấm «Công bố cả khối…»."


@require_http_methods(["GET", "POST"])
@login_required
def group_publish_page(request: HttpRequest) -> HttpResponse:
    """GET: what publishing the khối would do, and the decision form; POST: do it."""
    group_id, year = request.GET.get("khoi", ""), request.GET.get("nam", "")
    if not (group_id.isdigit() and year.isdigit()):
        messages.error(request, CHOOSE_GROUP)
        return redirect("scoring:ranking")
    group, year = get_object_or_404(RankingGroup, pk=group_id), int(year)
    try:
        preview = group_publication(group=group, year=year, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("scoring:ranking")
    form = DecisionForm(request.POST or None, initial=_initial(preview, request.user))
    not_ready = preview.not_ready
    if request.method == "POST" and form.is_valid():
        try:
            outcome = group_publish(group=group, year=year, user=request.user, **form.cleaned_data)
        except PublicationRefused as error:
            not_ready = error.not_ready
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, outcome_summary(outcome))
            return redirect(f"{reverse('scoring:ranking')}?khoi={group.pk}&nam={year}")
    ctx = {"preview": preview, "form": form, "not_ready": not_ready, "refusal": ""}
    if not_ready:
        # The units are listed below it on the page, one a line.
        ctx["refusal"] = (
            f"{not_ready_headline(len(not_ready))}, danh sách bên dưới. Chưa công bố đơn vị nào."
        )
    return render(request, "scoring/group_publish.html", ctx, status=409 if not_ready else 200)


def _initial(preview: GroupPublication, user: User) -> dict:
    """The recorded decision to correct, else the usual issuer and subject."""
    decision = preview.decision
    if decision is not None:
        fields = ("number", "signed_on", "issuer", "signer_name", "subject")
        return {name: getattr(decision, name) for name in fields}
    return {
        "issuer": default_issuer(preview.group, preview.year, user),
        "subject": default_subject(preview.year),
    }


urlpatterns = [
    path("xep-hang/cong-bo/", group_publish_page, name="group_publish"),
]
