"""Every date field of every form and admin page takes dd/mm/yyyy and shows d/m/Y.

The forms are found by walking the project's modules, the admin pages from the admin
site's registry: a date field added later with another format fails here."""

import importlib
import pkgutil
from datetime import date

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from scoring.models import Role
from tests.factories import user_with_role

PACKAGES = ("cchc", "scoring", "remediation")
DAY = date(2030, 12, 31)


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _all_subclasses(sub)
    return found


def project_forms() -> dict[str, type[forms.BaseForm]]:
    for name in PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.walk_packages(package.__path__, f"{name}."):
            if ".migrations" not in module.name:
                importlib.import_module(module.name)
    return {
        f"{form.__module__}.{form.__qualname__}": form
        for form in _all_subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in PACKAGES
    }


def date_fields(form_class: type[forms.BaseForm], where: str) -> list[tuple[str, forms.Field]]:
    return [
        (f"{where}.{name}", field)
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.DateField)
    ]


def form_date_fields() -> list[tuple[str, forms.Field]]:
    return [
        found
        for where, form_class in sorted(project_forms().items())
        for found in date_fields(form_class, where)
    ]


@pytest.fixture
def admin_date_fields(db) -> list[tuple[str, forms.Field]]:
    request = RequestFactory().get("/admin/")
    request.user = user_with_role(Role.ADMIN)
    found = []
    for model, model_admin in admin.site._registry.items():
        where = f"admin:{model._meta.label}"
        found += date_fields(model_admin.get_form(request), where)
        for inline in model_admin.get_inline_instances(request):
            found += date_fields(
                inline.get_formset(request).form, f"{where}.{inline.model.__name__}"
            )
    return found


def check_day_month_year(where: str, field: forms.Field) -> list[str]:
    """What is wrong with one date field; nothing when it reads and shows dd/mm/yyyy."""
    problems = []
    for typed in ("31/12/2030", "2030-12-31"):
        try:
            if field.clean(typed) != DAY:
                problems.append(f"{where}: {typed} is not read as 31/12/2030")
        except ValidationError:
            problems.append(f"{where}: {typed} is refused")
    try:
        field.clean("ngày mai")
        problems.append(f"{where}: garbage accepted")
    except ValidationError as error:
        if "dd/mm/yyyy" not in " ".join(error.messages):  # says how to type it
            problems.append(f"{where}: garbage refused with {error.messages}")
    shown = field.widget.render("d", DAY)
    if 'value="31/12/2030"' not in shown or 'type="date"' in shown:
        problems.append(f"{where}: shown as {shown}")
    return problems


def test_the_walk_finds_the_date_fields_of_the_project():
    found = {where for where, _ in form_date_fields()}
    assert {
        "scoring.forms.ExtensionForm.until",
        "remediation.forms.PlanForm.issued_on",
        "remediation.forms.TaskForm.due_date",
        "remediation.forms.ProgressForm.reported_on",
        "remediation.forms.ReportDateForm.ngay",
        "scoring.admin.units.ScoringCalendarForm.self_assessment_closes",
    } <= found


def test_every_form_date_field_reads_and_shows_day_month_year():
    problems = [
        p for where, field in form_date_fields() for p in check_day_month_year(where, field)
    ]
    assert problems == []


def test_every_admin_date_field_reads_and_shows_day_month_year(admin_date_fields):
    assert {where for where, _ in admin_date_fields} >= {
        "admin:scoring.ScoringCalendar.appraisal_closes",
        "admin:remediation.Plan.issued_on",
    }
    problems = [p for where, field in admin_date_fields for p in check_day_month_year(where, field)]
    assert problems == []
