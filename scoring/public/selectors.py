"""What anyone may read without logging in: published results, and nothing else.

Every read here asks for PUBLISHED assessments only, and the engine is asked with
`statuses=PUBLISHED`, so last year's rank and points come from published results too.
No note, comment, explanation, evidence or person's name is ever read.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count

from scoring.analysis.visibility import PUBLISHED
from scoring.engine import RankingPage, Tally, classify, from_milli, ranking_page, unit_rank
from scoring.models import (
    Assessment,
    ClassificationBand,
    FieldTally,
    PublicationDecision,
    RankingGroup,
)
from scoring.units.lineage import group_lineage_labels, unit_lineage_label

PER_PAGE = 50


@dataclass(frozen=True)
class Decision:
    """What a public reader needs of the decision publishing a khối's results (not who
    recorded it)."""

    number: str
    signed_on: date
    issuer: str
    subject: str


@dataclass(frozen=True)
class PublishedRanking:
    """One khối's published results of one year."""

    group: RankingGroup
    year: int
    units: int  # how many of its units' results are published
    decision: Decision | None


@dataclass(frozen=True)
class FieldResult:
    code: str
    title: str
    max_points: Decimal  # the unit's own max of the field (not-applicable leaves left out)
    achieved: Decimal


@dataclass(frozen=True)
class UnitResult:
    """A unit's published result of one year, ranked among the published results."""

    unit_code: str
    unit_name: str
    ranking: PublishedRanking
    tally: Tally
    rank: int
    group_size: int
    tied: bool
    prev_rank: int | None
    prev_tally: Tally | None
    classification: str
    fields: list[FieldResult]
    # Why a merged or split unit has no rank change in its first year ("đơn vị mới hợp nhất
    # từ …"); "" otherwise.
    lineage: str = ""

    @property
    def rank_change(self) -> int | None:
        return None if self.prev_rank is None else self.prev_rank - self.rank


def published_rankings() -> list[PublishedRanking]:
    """Every (khối, year) with at least one published result, latest year first, in two
    queries whatever their number."""
    counts = (
        Assessment.objects.filter(status__in=PUBLISHED, ranking_group__isnull=False)
        .values("ranking_group", "year")
        .annotate(units=Count("id"))
        .values_list("ranking_group", "year", "units")
    )
    found = {(group_id, year): units for group_id, year, units in counts}
    groups = RankingGroup.objects.in_bulk({group_id for group_id, _ in found})
    decisions = _decisions(found)
    rankings = [
        PublishedRanking(groups[group_id], year, units, decisions.get((group_id, year)))
        for (group_id, year), units in found.items()
    ]
    return sorted(rankings, key=lambda r: (-r.year, r.group.name))


def published_ranking(group_id: int, year: int) -> PublishedRanking | None:
    """The khối's published results of `year`; None when it has none (or no such khối)."""
    group = RankingGroup.objects.filter(pk=group_id).first()
    if group is None:
        return None
    units = Assessment.objects.filter(ranking_group=group, year=year, status__in=PUBLISHED)
    count = units.count()
    if not count:
        return None
    return PublishedRanking(
        group, year, count, _decisions({(group.pk, year)}).get((group.pk, year))
    )


def published_page(
    ranking: PublishedRanking, *, search: str = "", page: int = 1, per_page: int = PER_PAGE
) -> RankingPage:
    """One page of the khối's ranking among its published results, by rank."""
    return ranking_page(
        ranking.group,
        ranking.year,
        statuses=PUBLISHED,
        search=search,
        page=page,
        per_page=per_page,
    )


def published_lineage(ranking: PublishedRanking) -> dict[str, str]:
    """Unit code → why it has no rank change, for the khối's units merged or split that
    year (one query)."""
    return group_lineage_labels([ranking.group], ranking.year)


def published_unit_result(unit_code: str, year: int) -> UnitResult | None:
    """The unit's published result of `year` with its rank and field points; None when
    the unit has no published result that year (or no khối to be ranked in)."""
    assessment = (
        Assessment.objects.select_related("unit", "ranking_group")
        .filter(unit__code=unit_code, year=year, status__in=PUBLISHED)
        .exclude(ranking_group=None)
        .first()
    )
    if assessment is None:
        return None
    place = unit_rank(assessment, statuses=PUBLISHED)
    group = assessment.ranking_group
    bands = list(ClassificationBand.objects.filter(group=group).order_by("-min_index"))
    decision = _decisions({(group.pk, year)}).get((group.pk, year))
    return UnitResult(
        unit_code=assessment.unit.code,
        unit_name=assessment.unit.name,
        ranking=PublishedRanking(group, year, place.group_size, decision),
        tally=place.tally,
        rank=place.rank,
        group_size=place.group_size,
        tied=place.shared,
        prev_rank=place.prev_rank,
        prev_tally=place.prev_tally,
        classification=classify(place.tally.index_pct, bands),
        fields=_field_results(assessment),
        lineage=unit_lineage_label(assessment.unit, year),
    )


def _field_results(assessment: Assessment) -> list[FieldResult]:
    """The assessment's top-level fields, in the framework's order, from the stored
    field tallies."""
    tallies = (
        FieldTally.objects.filter(assessment=assessment)
        .order_by("field__sort_key", "field__code")
        .values_list("field__code", "field__title", "max_milli", "achieved_milli")
    )
    return [
        FieldResult(code, title, from_milli(max_milli), from_milli(achieved_milli))
        for code, title, max_milli, achieved_milli in tallies
    ]


def _decisions(keys) -> dict[tuple[int, int], Decision]:
    """The decisions of these (khối id, year) pairs, in one query."""
    keys = set(keys)
    if not keys:
        return {}
    rows = PublicationDecision.objects.filter(
        group_id__in={group_id for group_id, _ in keys}, year__in={year for _, year in keys}
    ).values_list("group_id", "year", "number", "signed_on", "issuer", "subject")
    return {
        (group_id, year): Decision(number, signed_on, issuer, subject)
        for group_id, year, number, signed_on, issuer, subject in rows
        if (group_id, year) in keys
    }
