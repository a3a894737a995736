"""The shared pieces of the admin's file import and export, and its point inputs."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import HttpRequest, HttpResponse
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import BINARY_FORMATS, CSV, XLSX
from import_export.forms import ExportForm, ImportForm
from tablib import Dataset

from cchc.formatting import parse_points
from cchc.spreadsheets import inert_dataset
from cchc.text import RefuseControlCharactersAdmin
from scoring.importing import ImportFailed, check_import_size, csv_dataset, xlsx_dataset


class PointsInput(forms.TextInput):
    """Stored points without trailing zeros, with the locale's decimal comma: "9,13"."""

    def format_value(self, value: object) -> str | None:
        if isinstance(value, Decimal):
            value = value.normalize()
        return super().format_value(value)


class PointsField(forms.DecimalField):
    """Points as people type them ("9,13", "9.13"), read by the importers' parser."""

    widget = PointsInput

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return parse_points(str(value))
        except ValueError as error:
            raise ValidationError(str(error), code="invalid") from error


POINT_INPUTS = {models.DecimalField: {"form_class": PointsField, "localize": True}}


class SheetCSV(CSV):
    """A CSV read as the import commands read it: BOM or not, comma or semicolon, rows
    wider than the header told as such, a Vietnamese message when it is not UTF-8."""

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def create_dataset(self, in_stream: bytes) -> Dataset:
        return csv_dataset(in_stream)


class SheetXLSX(XLSX):
    """The first sheet of an .xlsx file, read as the import commands read it."""

    def create_dataset(self, in_stream: bytes) -> Dataset:
        return xlsx_dataset(in_stream)


class FileImportForm(ImportForm):
    def clean_import_file(self) -> UploadedFile:
        """Refuse a file over IMPORT_MAX_MB, which the upload handler stopped keeping
        (cchc.uploads), with the commands' message."""
        upload = self.cleaned_data["import_file"]
        try:
            check_import_size(upload.size, upload.name)
        except ImportFailed as error:
            raise ValidationError(error.errors) from None
        return upload


class InertFormulae:
    """Exports escaped as every export of the project is (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT
    calls this hook). import-export's own hook strips a leading "=" only, so "+1+1" or
    "@SUM(1)" still run, and it turns every cell into text, numbers and blanks ("None") too."""

    def _escape_formulae(self, dataset: Dataset) -> None:
        inert_dataset(dataset)


class ExportCSV(InertFormulae, CSV):
    pass


class ExportXLSX(InertFormulae, XLSX):
    pass


# import-export writes numbers as numbers only for the classes it lists as binary.
BINARY_FORMATS.append(ExportXLSX)


class FileAdmin(RefuseControlCharactersAdmin, ImportExportModelAdmin):
    """Import with a preview (nothing written while any row is wrong) and export, csv or xlsx.

    `import_settings` names the extra fields of the import form that the resource
    needs (a framework, a year); the confirm step carries them as hidden fields.
    """

    formats = [ExportCSV, ExportXLSX]
    import_formats = [SheetCSV, SheetXLSX]
    # The plain form lists the file's columns; the selectable one titles them in English.
    export_form_class = ExportForm
    import_form_class = FileImportForm
    import_settings: tuple[str, ...] = ()

    def import_action(self, request: HttpRequest, **kwargs) -> HttpResponse:
        response = super().import_action(request, **kwargs)
        # import-export leaves the list of columns out when the file could not be
        # read, which is when a clerk needs it most.
        context = getattr(response, "context_data", None)
        if context is not None and not context.get("fields_list"):
            resources = [cls() for cls in self.get_import_resource_classes(request)]
            context["fields_list"] = [
                (resource.get_display_name(), resource.columns) for resource in resources
            ]
        return response

    def add_data_read_fail_error_to_form(self, form, e: Exception) -> None:
        if not isinstance(e, ImportFailed):
            super().add_data_read_fail_error_to_form(form, e)
            return
        for message in e.errors:
            form.add_error("import_file", message)

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs) -> dict:
        cleaned = getattr(kwargs.get("form"), "cleaned_data", {})
        settings = {name: cleaned[name] for name in self.import_settings if name in cleaned}
        return {**super().get_import_resource_kwargs(request, **kwargs), **settings}

    def get_import_data_kwargs(self, **kwargs) -> dict:
        # The confirm step imports again; if the data changed since the preview,
        # a row error must roll the whole file back, as in the preview.
        return {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }

    def get_confirm_form_initial(self, request: HttpRequest, import_form) -> dict:
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            for name in self.import_settings:
                value = import_form.cleaned_data.get(name)
                initial[name] = value.pk if isinstance(value, models.Model) else value
        return initial
