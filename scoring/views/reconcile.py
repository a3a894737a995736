"""Nội vụ checks a published results table: upload it, read every difference."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from scoring.access import assessments_in_scope, is_home_affairs
from scoring.reconcile import reconcile_table
from scoring.reconcile.forms import ReconcileForm
from scoring.reconcile.report import table_from_upload
from scoring.resources.reading import ImportFailed


@require_http_methods(["GET", "POST"])
@login_required
def reconcile_upload(request: HttpRequest) -> HttpResponse:
    """GET the form; POST a table and see its differences, within the user's scope."""
    if not is_home_affairs(request.user):
        raise PermissionDenied("Chỉ cán bộ Nội vụ đối chiếu bảng kết quả.")
    latest = assessments_in_scope(request.user).aggregate(latest=Max("year"))["latest"]
    form = ReconcileForm(request.POST or None, request.FILES or None, latest_year=latest)
    errors: list[str] = []
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = table_from_upload(upload, upload.name, upload.size)
        except ImportFailed as failed:
            errors = failed.errors
        else:
            data = form.cleaned_data
            result = reconcile_table(
                table, data["year"], user=request.user, unit_code=data["unit"].strip()
            )
    ctx = {"form": form, "errors": errors, "result": result}
    status = 400 if form.errors or errors else 200
    return render(request, "scoring/reconcile.html", ctx, status=status)


urlpatterns = [path("doi-chieu-bang-ket-qua/", reconcile_upload, name="reconcile")]
