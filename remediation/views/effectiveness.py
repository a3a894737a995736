"""Nội vụ's view of whether the plans of a year won their points back."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from remediation import selectors
from scoring.access import is_home_affairs


class YearForm(forms.Form):
    nam = forms.TypedChoiceField(label="Năm kết quả của kế hoạch", coerce=int)

    def __init__(self, years: list[int], data=None) -> None:
        super().__init__(data)
        self.fields["nam"].choices = [(year, str(year)) for year in years]
        self.fields["nam"].error_messages["invalid_choice"] = (
            "Không có kế hoạch khắc phục nào của năm %(value)s trong phạm vi bạn quản lý."
        )


@login_required
@require_GET
def effectiveness_overview(request: HttpRequest) -> HttpResponse:
    """Every plan of ?nam= in the user's jurisdiction against the year after it."""
    if not is_home_affairs(request.user):
        raise PermissionDenied("Chỉ cán bộ Nội vụ xem được kết quả khắc phục của các đơn vị.")
    years, default = selectors.effectiveness_years(request.user)
    data = request.GET if "nam" in request.GET else ({"nam": default} if default else None)
    form = YearForm(years, data)
    result = None
    if form.is_valid():
        result = selectors.jurisdiction_effectiveness(request.user, form.cleaned_data["nam"])
    ctx = {"form": form, "result": result, "years": years}
    return render(
        request, "remediation/effectiveness.html", ctx, status=400 if form.errors else 200
    )
