"""Every sheet's totals as queryset annotations, for lists that filter, sort and page
in SQL (Nội vụ's work queue), read from the stored tallies.

The same arithmetic as the breakdown and the ranking, in exact thousandths: a leaf
that does not apply leaves both the points and the max. Two totals per sheet:

- the self total: the unit's own scores, summed (None while it has scored nothing);
- the appraised total: the sheet's points as appraisal has left them, the appraised
  score where there is one, else the self score (the "Đạt" of the sheet, the number
  the ranking uses). None until the first appraised score is entered: a sheet nobody
  has appraised has no appraised total, rather than one equal to its self total.
  `appraised_leaves` against `applicable_leaves` says how far the appraisal has got.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BigIntegerField, Case, F, QuerySet, Value, When
from django.db.models.functions import Coalesce

from scoring.engine.tallies import from_milli
from scoring.models import Assessment


def with_totals(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Annotate `max_milli`, `self_milli`, `appraised_milli` (thousandths of a point),
    `applicable_leaves` and `appraised_leaves` on each sheet, from its stored tally (see
    the module docstring). Read them as Decimal with `sheet_totals(row)`."""
    return assessments.annotate(
        max_milli=F("tally__max_milli"),
        applicable_leaves=F("tally__applicable_leaves"),
        appraised_leaves=Coalesce(F("tally__appraised_leaves"), 0),
        self_milli=F("tally__self_milli"),
        appraised_milli=Case(
            When(tally__appraised_leaves__gt=0, then=F("tally__achieved_milli")),
            default=Value(None),
            output_field=BigIntegerField(),
        ),
    )


@dataclass(frozen=True)
class SheetTotals:
    max_points: Decimal
    self_total: Decimal | None
    appraised_total: Decimal | None
    applicable_leaves: int
    appraised_leaves: int

    @property
    def appraisal_partial(self) -> bool:
        """Appraisal started but some applicable leaf still has no appraised score."""
        return 0 < self.appraised_leaves < self.applicable_leaves


def _points(value: int | None) -> Decimal | None:
    return None if value is None else from_milli(value)


def sheet_totals(row: Assessment) -> SheetTotals:
    """The totals of a sheet read through `with_totals`, as Decimal."""
    return SheetTotals(
        max_points=from_milli(row.max_milli),
        self_total=_points(row.self_milli),
        appraised_total=_points(row.appraised_milli),
        applicable_leaves=row.applicable_leaves or 0,
        appraised_leaves=row.appraised_leaves,
    )
