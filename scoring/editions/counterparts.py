"""Which criteria of one framework edition continue which of another's."""

from collections import defaultdict
from dataclasses import dataclass, field

from scoring.models import Criterion, CriterionCounterpart, EditionMapping, Framework


@dataclass(frozen=True)
class Counterparts:
    """The criteria (every depth) of `framework` matched to those of `previous`.

    `mapped` is True when Nội vụ mapped the pair (`EditionMapping`); otherwise criteria
    are matched by code, which is also all there is within one framework. A criterion
    missing from `previous_of` (or `next_of`) has no counterpart."""

    framework_id: int
    previous_id: int
    mapped: bool
    # New criterion id → the ids of the old criteria it continues.
    previous_of: dict[int, tuple[int, ...]] = field(default_factory=dict)
    # Who mapped the pair and when, where it is mapped.
    mapping: EditionMapping | None = None

    @property
    def by_code(self) -> bool:
        return not self.mapped

    @property
    def next_of(self) -> dict[int, tuple[int, ...]]:
        """Old criterion id → the ids of the new criteria that continue it."""
        reverse: dict[int, list[int]] = defaultdict(list)
        for new_id, old_ids in self.previous_of.items():
            for old_id in old_ids:
                reverse[old_id].append(new_id)
        return {old_id: tuple(new_ids) for old_id, new_ids in reverse.items()}


def edition_mapping(framework: Framework, previous: Framework) -> EditionMapping | None:
    # With the person who mapped, named wherever the match is shown.
    mappings = EditionMapping.objects.select_related("mapped_by")
    return mappings.filter(framework=framework, previous=previous).first()


def edition_counterparts(framework: Framework, previous: Framework) -> Counterparts:
    """How `framework`'s criteria answer to `previous`'s: Nội vụ's mapping where the pair
    is mapped, else by code (two queries at most, whatever the frameworks' size)."""
    mapping = None if framework.pk == previous.pk else edition_mapping(framework, previous)
    if mapping is not None:
        pairs = CriterionCounterpart.objects.filter(mapping=mapping).values_list(
            "criterion_id", "previous_id"
        )
        return Counterparts(framework.pk, previous.pk, True, _grouped(pairs), mapping)
    return Counterparts(framework.pk, previous.pk, False, codes_matched(framework, previous))


def codes_matched(framework: Framework, previous: Framework) -> dict[int, tuple[int, ...]]:
    """Criterion id of `framework` → (id of `previous`'s criterion of the same code,)."""
    old_ids = dict(Criterion.objects.filter(framework=previous).values_list("code", "id"))
    return {
        new_id: (old_ids[code],)
        for code, new_id in Criterion.objects.filter(framework=framework).values_list("code", "id")
        if code in old_ids
    }


def _grouped(pairs) -> dict[int, tuple[int, ...]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for new_id, old_id in pairs:
        grouped[new_id].append(old_id)
    return {new_id: tuple(old_ids) for new_id, old_ids in grouped.items()}
