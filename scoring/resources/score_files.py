"""The commands' path for score files, which run to a million rows nationally.

The file is read a chunk of rows at a time and each chunk is checked and written
before the next is read, so memory stays flat in the size of the file; what is
kept from chunk to chunk grows with the units and criteria named (duplicates are
found by the first row of each criterion of each unit), not with the rows. Every
check is the admin's, with the same messages in the same order. All or nothing:
the caller's transaction is rolled back if any row is wrong, and every problem is
told (the first MAX_ERRORS, then how many more).
"""

import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, repeat

from django.core.exceptions import ValidationError

from scoring.models import Criterion
from scoring.resources import reading
from scoring.resources.base import NO_DATA_ROWS, FileScan, NumberedRows, Row, row_message
from scoring.resources.reading import ImportFailed, SheetRows
from scoring.resources.scores import ScoreResource
from scoring.resources.widgets import cell_text

CHUNK_ROWS = 20_000  # rows checked and written together: ~25 MiB, whatever the file


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int


class RowErrors:
    """The rows' messages in row order: the first MAX_ERRORS kept, the rest counted."""

    def __init__(self) -> None:
        self.shown: list[tuple[int, str]] = []
        self.hidden = 0

    def __bool__(self) -> bool:
        return bool(self.shown)

    def add(self, number: int, error: ValidationError) -> None:
        for messages in error.message_dict.values():
            for message in messages:
                if len(self.shown) < reading.MAX_ERRORS:
                    self.shown.append((number, message))
                else:
                    self.hidden += 1

    def failure(self, first: list[tuple[int, str]]) -> ImportFailed | None:
        """With `first` (row, message) put in their rows' place, ahead of the rows' own."""
        merged = list(heapq.merge(first, self.shown, key=lambda error: error[0]))
        if not merged:
            return None
        shown = [message for _, message in merged[: reading.MAX_ERRORS]]
        return ImportFailed(shown, hidden=self.hidden + len(merged) - len(shown))


class ScoreDraft:
    """A row's score between its checks and its writing: what the checks read and the
    fields set, without a model instance (building a Score per row took a fifth of
    the import). The checks are the admin's, run on this instead of a Score."""

    __slots__ = (
        "appraised_score",
        "assessment_id",
        "criterion",
        "criterion_id",
        "not_applicable",
        "note",
        "self_score",
    )

    def __init__(self, assessment_id: int | None, criterion: Criterion | None) -> None:
        self.assessment_id = assessment_id
        self.criterion = criterion
        self.criterion_id = criterion.pk if criterion else None
        self.self_score = self.appraised_score = None
        self.note = ""
        self.not_applicable = False


class ScoreFileResource(ScoreResource):
    """What is left out of the admin's import is import-export's per-row bookkeeping
    (results, diffs, instance loaders), which the preview needs and a command does not."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.created = self.updated = 0
        self.any_data = False  # a data row that is not blank
        self.keep_assessments = False  # a national file names 10,000 units: ids will do

    def init_instance(self, row: Row | None = None) -> ScoreDraft:
        target, criterion = self.target(row or {})
        return ScoreDraft(target.assessment_id if target else None, criterion)

    def import_rows(self, rows: SheetRows, *, chunk_rows: int = CHUNK_ROWS) -> ImportSummary:
        """Import every row or, raising ImportFailed, nothing (call inside a transaction)."""
        lines = iter(rows)
        header = next(lines, None) or []
        headers = [cell_text(value).casefold() for value in header]
        scan = FileScan(self, headers)
        self.start(headers)
        errors = RowErrors()
        for chunk in self.chunks(lines, headers, scan, chunk_rows):
            self.import_chunk(chunk, errors)
        failure = self.file_failure(rows, scan, header) or errors.failure(
            [(n, row_message(n, "unit_code", problem)) for n, problem in self.unit_messages()]
        )
        if failure:
            raise failure
        return ImportSummary(created=self.created, updated=self.updated)

    def chunks(
        self, lines: Iterator[list], headers: list[str], scan: FileScan, size: int
    ) -> Iterator[NumberedRows]:
        """The data rows, `size` at a time, each scanned for the file's own problems. Once
        one is found only those are told, so the rows after it are not checked."""
        chunk: NumberedRows = []
        for number, values in enumerate(lines, start=1):
            scan.add(number, values)
            if not any(cell_text(value) for value in values):
                continue  # blank rows are spacing
            self.any_data = True
            if not scan.broken:
                cells = chain(values, repeat(None))  # a short row's last cells are empty
                chunk.append((number, dict(zip(headers, cells, strict=False))))
            if len(chunk) == size:
                yield chunk
                chunk = []
        yield chunk

    def file_failure(self, rows: SheetRows, scan: FileScan, header: list) -> ImportFailed | None:
        """What refuses the file whole, as the admin tells it before reading any row."""
        if not self.any_data and not any(cell_text(value) for value in header):
            return ImportFailed(["Tệp trống."])
        problems = scan.problems() or ([] if self.any_data else [NO_DATA_ROWS])
        return rows.failure() or (ImportFailed(problems) if problems else None)

    def import_chunk(self, chunk: NumberedRows, errors: RowErrors) -> None:
        """Check the rows, then write them unless a row so far was wrong."""
        self.row_problems.clear()
        self.check_rows(chunk)
        writing = not (errors or self.unit_problems)
        if writing:
            self.create_assessments()  # their ids go into the drafts
        scores = []
        for number, row in chunk:
            score = self.init_instance(row)
            try:
                self.import_instance(score, row, row_number=number)
            except ValidationError as error:
                errors.add(number, error)
            else:
                if score.criterion_id is not None:  # `skip_row`, for rows known not blank
                    scores.append(score)
        if not writing or errors or not scores:
            return  # nothing more will be written: the import will be rolled back
        created = self.write(scores)
        self.created += created
        self.updated += len(scores) - created
