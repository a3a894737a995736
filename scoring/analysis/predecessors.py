"""A merged or split unit's history before it had results of its own: the results of
the units it was formed from, as the viewer may see them.

A unit's people see their predecessors' results as their own history, by the ranking
rules (a unit head: published results only), without the predecessors entering their
scope: no sheet, plan or dashboard of a predecessor opens for them.
"""

from collections import defaultdict
from dataclasses import dataclass

from scoring.analysis.visibility import ranking_statuses
from scoring.engine import RankingRow, ranking_page
from scoring.models import Assessment, Unit


@dataclass(frozen=True)
class PredecessorResult:
    """One predecessor's result of one year, ranked in its khối of then."""

    assessment: Assessment
    row: RankingRow
    group_size: int

    @property
    def unit(self) -> Unit:
        return self.assessment.unit


def predecessor_results(user, unit: Unit) -> list[PredecessorResult]:
    """The results of `unit`'s predecessors in the years before `unit.formed_in` that
    `user` may see in their khối's ranking, newest year first, by name within a year.

    One ranking query per khối and year, however many predecessors it holds."""
    if unit.formed_in is None:
        return []
    assessments = list(
        Assessment.objects.filter(
            unit__successors=unit, year__lt=unit.formed_in, ranking_group__isnull=False
        )
        .select_related("unit", "framework", "ranking_group")
        .order_by("-year", "unit__name", "unit__code")
    )
    by_group_year: defaultdict[tuple, list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        by_group_year[assessment.ranking_group_id, assessment.year].append(assessment)
    ranked: dict[int, PredecessorResult] = {}
    for same in by_group_year.values():
        ranked |= _ranked(user, same)
    return [ranked[a.pk] for a in assessments if a.pk in ranked]


def _ranked(user, assessments: list[Assessment]) -> dict[int, PredecessorResult]:
    """Assessment id → result, of `assessments` (one khối, one year) the user may see."""
    group, year = assessments[0].ranking_group, assessments[0].year
    page = ranking_page(
        group,
        year,
        statuses=ranking_statuses(user, group, year),
        per_page=1,
        pinned_units=[a.unit_id for a in assessments],
    )
    rows = {row.assessment_id: row for row in [*page.rows, *page.pinned]}
    return {
        a.pk: PredecessorResult(a, rows[a.pk], page.group_size) for a in assessments if a.pk in rows
    }


@dataclass(frozen=True)
class YearChoice:
    """One result a comparison may set beside a year: `value` is the ?voi= parameter."""

    value: str
    label: str
    assessment: Assessment


def comparison_choices(
    history: list[Assessment], before: list[PredecessorResult]
) -> list[YearChoice]:
    """The unit's own years ("2024"), then its predecessors' ("2024-A", shown as
    "2024 · Xã An (đơn vị trước)"), newest first."""
    own = [YearChoice(str(a.year), str(a.year), a) for a in history]
    return own + [
        YearChoice(
            f"{r.assessment.year}-{r.unit.code}",
            f"{r.assessment.year} · {r.unit.name} (đơn vị trước)",
            r.assessment,
        )
        for r in before
    ]
