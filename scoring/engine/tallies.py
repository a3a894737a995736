"""Points in exact thousandths, and the Tally every result is made of."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BigIntegerField, DecimalField, F, Value
from django.db.models.functions import Cast, Coalesce, Round

MILLI = 1000
HUNDRED = Decimal(100)


def milli(expression) -> Cast:
    """Points as an exact integer number of thousandths, in SQL."""
    scaled = expression * Value(Decimal(MILLI), output_field=DecimalField())
    return Cast(Round(scaled), BigIntegerField())


def final_score_expression(prefix: str = "") -> Coalesce:
    """The appraised score where there is one, else the self score."""
    return Coalesce(F(f"{prefix}appraised_score"), F(f"{prefix}self_score"))


def from_milli(value: int | None) -> Decimal:
    return Decimal(value or 0).scaleb(-3)


@dataclass(frozen=True)
class Tally:
    """Max and achieved points of a node, a field or a whole assessment.

    `max_points` leaves out not-applicable leaves, so index % is on what applies.
    """

    max_points: Decimal
    achieved: Decimal

    @property
    def deducted(self) -> Decimal:
        return self.max_points - self.achieved

    @property
    def index_pct(self) -> Decimal | None:
        if not self.max_points:
            return None
        return self.achieved * HUNDRED / self.max_points

    def __sub__(self, other: "Tally") -> "Tally":
        return Tally(self.max_points - other.max_points, self.achieved - other.achieved)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.max_points + other.max_points, self.achieved + other.achieved)


def tally_sum(tallies) -> Tally:
    """Several nodes taken as one, e.g. two criteria an edition merged into one."""
    total = Tally(Decimal(0), Decimal(0))
    for tally in tallies:
        total += tally
    return total


@dataclass(frozen=True)
class Parts:
    """A total in the two parts the provinces publish apart: "điểm thẩm định các lĩnh
    vực" (leaves whose source is assessment) and "điểm điều tra xã hội học" (survey)."""

    assessment: Tally
    survey: Tally


def parts_of(total: Tally, survey: Tally | None) -> Parts | None:
    """None for a framework with no survey leaf: it has no survey part to show."""
    return None if survey is None else Parts(assessment=total - survey, survey=survey)


def sum_tallies(tallies: list[Tally]) -> Tally:
    return Tally(
        sum((t.max_points for t in tallies), Decimal(0)),
        sum((t.achieved for t in tallies), Decimal(0)),
    )


def survey_tally(leaves: int, max_milli: int | None, achieved_milli: int | None) -> Tally | None:
    return Tally(from_milli(max_milli), from_milli(achieved_milli)) if leaves else None
