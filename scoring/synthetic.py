"""Synthetic, deterministic scoring data: demo peers and benchmark-sized data sets.

`load_demo` (peers of the real units) and `generate_data` (large sets) both
build on this module. Every draw comes from a `random.Random` seeded with a
string naming the seed and what is drawn (e.g. "7:GL7-00012:2023"), so a
unit's numbers do not depend on which other units are made, and the same seed
always gives the same data. Points are handled as whole hundredths, as the
documents print them; only the stored scores are Decimal.
"""

import math
import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db import transaction

from scoring.engine import refresh_tallies
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Criterion,
    CriterionLink,
    CriterionSource,
    Framework,
    RankingGroup,
    Score,
    Unit,
    UnitLevel,
)
from scoring.services import framework_rebuild_tree

SYNTHETIC_NOTE = "Dữ liệu giả lập."
# Most criteria of a real result reach their max: a leaf drawing 0 loses
# nothing; the others share the loss in proportion to size times weight.
LOSS_WEIGHTS = (0, 0, 0, 1, 2, 4)
# Field maxes of the Cẩm Xuyên commune framework (seed 004), in hundredths.
FIELD_CAPS = (1100, 700, 1450, 600, 1650, 1350, 2000, 1150)
SUBCRITERIA_PER_CRITERION = 4
ASSESSMENT_CHUNK = 500
INSERT_BATCH = 5000


def seeded(seed: int, *parts: object) -> random.Random:
    return random.Random(":".join(str(part) for part in (seed, *parts)))


def hundredths(value: Decimal) -> int:
    return int(value * 100)


def points(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def draw(rng: random.Random, low: str, high: str) -> Decimal:
    """Points between `low` and `high` inclusive, in hundredths."""
    return points(rng.randint(hundredths(Decimal(low)), hundredths(Decimal(high))))


def spread(caps: Sequence[int], target: int, rng: random.Random) -> list[int]:
    """Points per leaf (hundredths), each within 0..cap, adding up to exactly `target`."""
    loss = sum(caps) - target
    if not 0 <= loss <= sum(caps):
        raise ValueError(f"{target} hundredths cannot be spread over caps summing to {sum(caps)}.")
    weights = [cap * rng.choice(LOSS_WEIGHTS) for cap in caps]
    total_weight = sum(weights) or 1
    lost = [
        min(cap, loss * weight // total_weight) for cap, weight in zip(caps, weights, strict=True)
    ]
    left = loss - sum(lost)
    for index in sorted(range(len(caps)), key=lambda i: -weights[i]):
        take = min(left, caps[index] - lost[index])
        lost[index] += take
        left -= take
    return [cap - taken for cap, taken in zip(caps, lost, strict=True)]


@dataclass(frozen=True)
class Leaf:
    criterion_id: int
    field_code: str
    cap: int  # max points in hundredths
    survey: bool


@dataclass(frozen=True)
class Target:
    """The points a unit reaches in a year: exactly `fields[code]` in each named
    field, and `rest` over all the other fields together."""

    unit: Unit
    year: int
    rest: Decimal
    fields: Mapping[str, Decimal] = field(default_factory=dict)
    note: str = SYNTHETIC_NOTE


def framework_leaves(framework: Framework) -> list[Leaf]:
    rows = (
        CriterionLink.objects.filter(
            descendant__framework=framework, descendant__is_leaf=True, ancestor__depth=0
        )
        .order_by("descendant__sort_key")
        .values_list(
            "descendant_id", "ancestor__code", "descendant__max_points", "descendant__source"
        )
    )
    return [
        Leaf(pk, field_code, hundredths(max_points), source == CriterionSource.SURVEY)
        for pk, field_code, max_points, source in rows
    ]


def leaf_points(leaves: Sequence[Leaf], target: Target, rng: random.Random) -> list[int]:
    """Hundredths per leaf meeting the target's field totals and rest exactly."""
    parts = [
        ([i for i, leaf in enumerate(leaves) if leaf.field_code == code], fixed)
        for code, fixed in target.fields.items()
    ]
    parts.append(
        ([i for i, leaf in enumerate(leaves) if leaf.field_code not in target.fields], target.rest)
    )
    result = [0] * len(leaves)
    for indices, goal in parts:
        caps = [leaves[i].cap for i in indices]
        for index, value in zip(indices, spread(caps, hundredths(goal), rng), strict=True):
            result[index] = value
    return result


def _scores(assessment: Assessment, leaves: Sequence[Leaf], values: list[int], note: str):
    for leaf, value in zip(leaves, values, strict=True):
        score = points(value)
        yield Score(
            assessment_id=assessment.pk,
            criterion_id=leaf.criterion_id,
            # Units do not score survey criteria themselves.
            self_score=None if leaf.survey else score,
            appraised_score=score,
            note=note,
        )


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@transaction.atomic
def assessments_create(*, framework: Framework, targets: Iterable[Target], seed: int) -> int:
    """Published assessments scored to meet `targets`; returns the number of scores.

    A bulk insert of assessments, then of their scores, per chunk of targets, so
    memory stays flat however many there are. The assessments are new, so no sheet
    was read before: there is no concurrency token to move.
    """
    leaves = framework_leaves(framework)
    created = 0
    for chunk in _chunks(targets, ASSESSMENT_CHUNK):
        assessments = Assessment.objects.bulk_create(
            Assessment(
                unit=target.unit,
                year=target.year,
                framework=framework,
                ranking_group_id=target.unit.ranking_group_id,
                status=AssessmentStatus.PUBLISHED,
            )
            for target in chunk
        )
        scores = [
            score
            for assessment, target in zip(assessments, chunk, strict=True)
            for score in _scores(
                assessment,
                leaves,
                leaf_points(leaves, target, seeded(seed, target.unit.code, target.year)),
                target.note,
            )
        ]
        Score.objects.bulk_create(scores, batch_size=INSERT_BATCH)
        refresh_tallies(assessment.pk for assessment in assessments)
        created += len(scores)
    return created


@transaction.atomic
def units_ensure(units: Sequence[Unit]) -> dict[str, Unit]:
    """Create the units whose code is new and return all of them by code.

    Units that already exist are left as they are.
    """
    codes = [unit.code for unit in units]
    existing = Unit.objects.in_bulk(codes, field_name="code")
    Unit.objects.bulk_create(
        [unit for unit in units if unit.code not in existing], batch_size=INSERT_BATCH
    )
    return Unit.objects.in_bulk(codes, field_name="code")


def leaves_per_field(leaf_count: int, field_caps: Sequence[int] = FIELD_CAPS) -> list[int]:
    """At least one leaf per field, the others shared in proportion to field maxes
    (D'Hondt: each next leaf goes to the field whose leaves are now the biggest)."""
    if leaf_count < len(field_caps):
        raise ValueError(f"At least {len(field_caps)} leaves are needed, one per field.")
    counts = [1] * len(field_caps)
    for _ in range(leaf_count - len(field_caps)):
        biggest = max(range(len(counts)), key=lambda i: Fraction(field_caps[i], counts[i]))
        counts[biggest] += 1
    return counts


def split_cap(cap: int, parts: int) -> list[int]:
    base, extra = divmod(cap, parts)
    return [base + 1 if i < extra else base for i in range(parts)]


@transaction.atomic
def framework_create(
    *, name: str, level: str, leaf_count: int, year_from: int, year_to: int
) -> Framework:
    """A synthetic framework: 8 fields (the maxes of seed 004, total 100), criteria
    of up to four sub-criteria each, `leaf_count` sub-criteria in all."""
    framework = Framework(name=name, level=level, year_from=year_from, year_to=year_to)
    framework.full_clean()
    framework.save()
    fields, criteria, leaves = [], [], []
    counts = leaves_per_field(leaf_count)
    for f, (cap, count) in enumerate(zip(FIELD_CAPS, counts, strict=True), start=1):
        fields.append(_criterion(framework, str(f), cap, "Lĩnh vực giả lập"))
        groups = _chunks(split_cap(cap, count), SUBCRITERIA_PER_CRITERION)
        for c, leaf_caps in enumerate(groups, start=1):
            criteria.append(_criterion(framework, f"{f}.{c}", sum(leaf_caps), "Tiêu chí giả lập"))
            leaves.extend(
                _criterion(framework, f"{f}.{c}.{s}", leaf_cap, "Tiêu chí thành phần giả lập")
                for s, leaf_cap in enumerate(leaf_caps, start=1)
            )
    _save_levels(fields, criteria, leaves)
    framework_rebuild_tree(framework=framework)
    return framework


def _criterion(framework: Framework, code: str, cap: int, label: str) -> Criterion:
    return Criterion(
        framework=framework, code=code, title=f"{label} {code}", max_points=points(cap)
    )


def _save_levels(*levels: list[Criterion]) -> None:
    """Insert level by level, linking each node to its parent by code."""
    saved: dict[str, Criterion] = {}
    for level in levels:
        for criterion in level:
            parent_code = criterion.code.rpartition(".")[0]
            criterion.parent = saved.get(parent_code)
        Criterion.objects.bulk_create(level, batch_size=INSERT_BATCH)
        saved.update((criterion.code, criterion) for criterion in level)


# Benchmark-sized data sets (generate_data).

FINAL_YEAR = 2024
# The first group holds 3/5 of the units: the national benchmark ranks a group
# of 3,000 of 5,000, like a province whose communes outnumber everything else.
LARGEST_GROUP_SHARE = Fraction(3, 5)
INDEX_RANGE = (5500, 9500)  # a unit's usual index, hundredths of a percent
YEARLY_DRIFT = 600


@dataclass(frozen=True)
class DataSet:
    framework: Framework
    units: int
    assessments: int
    scores: int


def dataset_prefix(seed: int) -> str:
    return f"GL{seed}-"


def dataset_framework_name(seed: int) -> str:
    return f"Bộ chỉ số giả lập (seed {seed})"


def dataset_exists(seed: int) -> bool:
    return (
        Framework.objects.filter(name=dataset_framework_name(seed)).exists()
        or Unit.objects.filter(code__startswith=dataset_prefix(seed)).exists()
    )


def group_sizes(units: int, groups: int) -> list[int]:
    if groups == 1:
        return [units]
    first = math.ceil(units * LARGEST_GROUP_SHARE)
    return [first, *split_cap(units - first, groups - 1)]


@transaction.atomic
def dataset_create(*, units: int, leaves: int, years: int, groups: int, seed: int) -> DataSet:
    """`units` communes in `groups` groups, a framework of `leaves` leaf criteria,
    and `years` years of published assessments ending in FINAL_YEAR."""
    first_year = FINAL_YEAR - years + 1
    framework = framework_create(
        name=dataset_framework_name(seed),
        level=UnitLevel.COMMUNE,
        leaf_count=leaves,
        year_from=first_year,
        year_to=FINAL_YEAR,
    )
    made = units_ensure(_dataset_units(units, groups, seed))
    targets = (
        target
        for unit in made.values()
        for target in _dataset_targets(unit, range(first_year, FINAL_YEAR + 1), seed)
    )
    scores = assessments_create(framework=framework, targets=targets, seed=seed)
    return DataSet(framework, len(made), len(made) * years, scores)


def _dataset_units(units: int, groups: int, seed: int) -> list[Unit]:
    made = RankingGroup.objects.bulk_create(
        RankingGroup(name=f"Khối giả lập {g:02d} (seed {seed})") for g in range(1, groups + 1)
    )
    members = [
        group
        for group, size in zip(made, group_sizes(units, groups), strict=True)
        for _ in range(size)
    ]
    prefix = dataset_prefix(seed)
    return [
        Unit(
            code=f"{prefix}{i:05d}",
            name=f"Xã giả lập {i:05d} (seed {seed})",
            level=UnitLevel.COMMUNE,
            ranking_group=group,
        )
        for i, group in enumerate(members, start=1)
    ]


def _dataset_targets(unit: Unit, years: range, seed: int) -> Iterator[Target]:
    rng = seeded(seed, unit.code)
    usual = rng.randint(*INDEX_RANGE)
    for year in years:
        index = min(10000, max(0, usual + rng.randint(-YEARLY_DRIFT, YEARLY_DRIFT)))
        yield Target(unit=unit, year=year, rest=points(sum(FIELD_CAPS) * index // 10000))
