"""Nội vụ maps the criteria of a new framework edition to the previous one's.

The work is in scoring.editions: the page's reads (`page`), the proposals, the file
and the services that save a pair's mapping whole.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.access import User, is_home_affairs
from scoring.accounts.forms import AccountFileForm
from scoring.editions.files import LABELS, NEW, OLD, mapping_file_import, upload_dataset
from scoring.editions.page import (
    MappingPage,
    editions_with_mappings,
    frameworks_to_map,
    mapping_page,
    previous_editions,
    read_typed,
)
from scoring.editions.services import edition_mapping_delete, edition_mapping_save
from scoring.importing import ImportFailed
from scoring.models import Framework


class MappingFileForm(AccountFileForm):
    """The accounts' file checks (.xlsx or .csv, the upload limit), for a mapping."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "Tệp đối chiếu (.xlsx hoặc .csv)"


def _check_mapper(user: User) -> None:
    if not is_home_affairs(user):
        raise PermissionDenied(
            "Chỉ cán bộ Nội vụ và quản trị viên được đối chiếu tiêu chí giữa các bộ chỉ số."
        )


@require_GET
@login_required
def edition_list(request: HttpRequest) -> HttpResponse:
    _check_mapper(request.user)
    return render(
        request, "scoring/editions/list.html", {"frameworks": editions_with_mappings(request.user)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def edition_mapping(request: HttpRequest, framework_id: int) -> HttpResponse:
    _check_mapper(request.user)
    framework, previous, choices = _pair(request, framework_id)
    if previous is None:
        return _render(request, framework, choices, None)
    page = mapping_page(framework, previous)
    if request.method == "GET":
        return _render(request, framework, choices, page)
    typed = {row.criterion.pk: request.POST.get(f"ma_{row.criterion.pk}", "") for row in page.rows}
    read_typed(page, typed)
    if not page.has_errors:
        try:
            edition_mapping_save(
                framework=framework, previous=previous, pairs=page.pairs(), by=request.user
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _saved(page))
            return redirect(_page_url(framework, previous))
    return _render(request, framework, choices, page, status=400)


@require_POST
@login_required
def edition_mapping_upload(request: HttpRequest, framework_id: int) -> HttpResponse:
    _check_mapper(request.user)
    framework, previous, choices = _pair(request, framework_id)
    if previous is None:
        raise PermissionDenied("Bộ chỉ số này không có bộ chỉ số trước để đối chiếu.")
    form = MappingFileForm(request.POST, request.FILES)
    errors: list[str] = []
    if form.is_valid():
        try:
            mapping = mapping_file_import(
                upload_dataset(form.cleaned_data["file"]),
                framework=framework,
                previous=previous,
                by=request.user,
            )
        except ImportFailed as failed:
            errors = failed.errors
        else:
            count = mapping.counterparts.count()
            messages.success(request, f"Đã nhập đối chiếu từ tệp: {count} cặp tiêu chí tương ứng.")
            return redirect(_page_url(framework, previous))
    page = mapping_page(framework, previous)
    extra = {"upload_form": form, "upload_errors": errors}
    return _render(request, framework, choices, page, status=400, **extra)


@require_POST
@login_required
def edition_mapping_remove(request: HttpRequest, framework_id: int) -> HttpResponse:
    _check_mapper(request.user)
    framework, previous, _ = _pair(request, framework_id)
    if previous is not None and edition_mapping_delete(framework=framework, previous=previous):
        messages.success(
            request, "Đã xóa đối chiếu: từ nay tiêu chí hai bộ chỉ số được ghép theo mã."
        )
    return redirect(_page_url(framework, previous))


def _pair(
    request: HttpRequest, framework_id: int
) -> tuple[Framework, Framework | None, list[Framework]]:
    """The new edition, the previous one asked for (`truoc`, else the latest) and the choices."""
    framework = get_object_or_404(Framework, pk=framework_id)
    if not frameworks_to_map(request.user).filter(pk=framework.pk).exists():
        raise PermissionDenied(
            "Bộ chỉ số này có đơn vị ngoài phạm vi bạn quản lý chấm theo, nên chỉ Nội vụ nơi "
            "dùng nó (hoặc quản trị viên) được đối chiếu tiêu chí của nó."
        )
    choices = list(previous_editions(framework))
    asked = request.POST.get("truoc") or request.GET.get("truoc")
    if asked is None:
        return framework, choices[0] if choices else None, choices
    previous = next((choice for choice in choices if str(choice.pk) == asked), None)
    if previous is None:
        raise Http404("Chỉ đối chiếu được với một bộ chỉ số cùng cấp, áp dụng trước.")
    return framework, previous, choices


def _render(
    request: HttpRequest,
    framework: Framework,
    choices: list[Framework],
    page: MappingPage | None,
    status: int = 200,
    **extra,
) -> HttpResponse:
    ctx = {
        "framework": framework,
        "choices": choices,
        "page": page,
        "upload_form": MappingFileForm(),
        "upload_errors": [],
        "columns": [LABELS[NEW], LABELS[OLD]],
        **extra,
    }
    return render(request, "scoring/editions/mapping.html", ctx, status=status)


def _page_url(framework: Framework, previous: Framework | None) -> str:
    url = reverse("scoring:edition_mapping", args=[framework.pk])
    return f"{url}?truoc={previous.pk}" if previous is not None else url


def _saved(page: MappingPage) -> str:
    without = sum(1 for row in page.rows if not row.previous)
    return (
        f"Đã lưu đối chiếu «{page.framework.name}» ← «{page.previous.name}»: "
        f"{len(page.pairs())} cặp tiêu chí tương ứng, {without} tiêu chí không có tiêu chí "
        "tương ứng."
    )


urlpatterns = [
    path("bo-chi-so/", edition_list, name="editions"),
    path("bo-chi-so/<int:framework_id>/doi-chieu/", edition_mapping, name="edition_mapping"),
    path(
        "bo-chi-so/<int:framework_id>/doi-chieu/tai-len/",
        edition_mapping_upload,
        name="edition_mapping_upload",
    ),
    path(
        "bo-chi-so/<int:framework_id>/doi-chieu/xoa/",
        edition_mapping_remove,
        name="edition_mapping_delete",
    ),
]
