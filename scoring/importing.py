"""Imports from .csv and .xlsx files: all or nothing, with every error at once.

The import commands and the tests call these; the admin uses the same resources
(`scoring.resources`) through import-export's own preview. Score files stream
(`scoring.resources.score_files`); the others are read whole, as the admin reads them.
"""

from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from import_export.results import Result, RowResult
from tablib import Dataset

from scoring.models import Framework
from scoring.resources import (
    CriterionResource,
    ImportResource,
    UnitResource,
    parse_level,
)
from scoring.resources.reading import (
    ImportFailed,
    check_import_size,
    csv_dataset,
    dataset_of,
    open_rows,
    xlsx_dataset,
)
from scoring.resources.score_files import CHUNK_ROWS, ImportSummary, ScoreFileResource


def import_criteria(path: str | Path, *, framework: Framework) -> ImportSummary:
    """Add or update the criteria of a framework not yet in use."""
    return run_import(CriterionResource(framework=framework), load_dataset(path))


def import_framework(
    path: str | Path,
    *,
    name: str,
    level: str,
    year_from: int,
    year_to: int | None = None,
    decision: str = "",
) -> tuple[Framework, ImportSummary]:
    """Create a framework and its criteria, together or not at all.

    `level` is a key (`commune`) or a Vietnamese name ("Xã, phường, thị trấn", "xã").
    """
    dataset = load_dataset(path)
    with transaction.atomic():
        framework = _new_framework(
            name=name, level=level, year_from=year_from, year_to=year_to, decision=decision
        )
        summary = run_import(CriterionResource(framework=framework), dataset)
    return framework, summary


def import_units(path: str | Path) -> ImportSummary:
    return run_import(UnitResource(), load_dataset(path))


def import_scores(
    path: str | Path, *, year: int, framework_name: str | None = None, chunk_rows: int = CHUNK_ROWS
) -> ImportSummary:
    """Scores of `year`; the framework is the named one, else the one for each unit's level.
    The file is read, checked and written `chunk_rows` rows at a time."""
    framework = None
    if framework_name:
        framework = Framework.objects.filter(name=framework_name).first()
        if framework is None:
            raise ImportFailed([f"Không có bộ chỉ số tên «{framework_name}»."])
    with open_rows(path) as rows, transaction.atomic():
        resource = ScoreFileResource(year=year, framework=framework)
        return resource.import_rows(rows, chunk_rows=chunk_rows)


def run_import(resource: ImportResource, dataset: Dataset) -> ImportSummary:
    """Import inside one transaction that is rolled back unless every row is clean.

    One pass gives what a dry run followed by the real import would, at half the
    cost: every row is read and checked either way, and any error rolls back all.
    """
    with transaction.atomic():
        result = resource.import_data(
            dataset, use_transactions=True, rollback_on_validation_errors=True
        )
        errors = result_errors(result)
        if errors:
            raise ImportFailed(errors)
    return ImportSummary(
        created=result.totals[RowResult.IMPORT_TYPE_NEW],
        updated=result.totals[RowResult.IMPORT_TYPE_UPDATE],
    )


def result_errors(result: Result) -> list[str]:
    """Every message of an import result: the file's, then each row's."""
    errors = [message for error in result.base_errors for message in _messages(error.error)]
    errors += [
        message
        for row in result.invalid_rows
        for messages in row.error_dict.values()
        for message in messages
    ]
    errors += [
        f"Dòng {row.number}: {error.error}" for row in result.error_rows for error in row.errors
    ]
    return errors


def _messages(error: Exception) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def load_dataset(path: str | Path) -> Dataset:
    """The first sheet of an .xlsx file, or a UTF-8 .csv (BOM or not, comma or semicolon)."""
    with open_rows(path) as rows:
        return dataset_of(rows)


def _new_framework(
    *, name: str, level: str, year_from: int, year_to: int | None, decision: str
) -> Framework:
    if Framework.objects.filter(name=name).exists():
        raise ImportFailed([f"Đã có bộ chỉ số tên «{name}»; phiên bản mới cần tên mới."])
    try:
        framework = Framework(
            name=name,
            level=parse_level(level),
            year_from=year_from,
            year_to=year_to,
            decision=decision,
        )
        framework.full_clean()
    except ValueError as error:
        raise ImportFailed([f"Cấp áp dụng: {error}"]) from None
    except ValidationError as error:
        raise ImportFailed(_field_messages(error)) from None
    framework.save()
    return framework


def _field_messages(error: ValidationError) -> list[str]:
    return [
        message
        if field == NON_FIELD_ERRORS
        else f"{Framework._meta.get_field(field).verbose_name}: {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]


__all__ = [
    "ImportFailed",
    "ImportSummary",
    "check_import_size",
    "csv_dataset",
    "xlsx_dataset",
]
