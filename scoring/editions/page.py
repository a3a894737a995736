"""Reads of the mapping page: which editions, and each new criterion's counterparts."""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from scoring.access import User, units_in_scope, user_role
from scoring.editions.counterparts import edition_mapping
from scoring.editions.proposals import Proposal, propose_counterparts
from scoring.editions.services import Pair
from scoring.models import (
    Assessment,
    Criterion,
    CriterionCounterpart,
    EditionMapping,
    Framework,
    Role,
)

CODE_SEPARATORS = re.compile(r"[,;+\s]+")


@dataclass
class MappingRow:
    """A criterion of the new edition and the old codes shown in its box."""

    criterion: Criterion
    previous: list[Criterion]  # the counterparts saved or proposed
    proposal: Proposal | None = None  # shown only where no mapping is saved
    candidate: Criterion | None = None  # the old criterion of a proposal left to decide
    typed: str = ""  # what the box holds: the codes above, or what was typed
    error: str = ""

    @property
    def proposed(self) -> bool:
        return self.proposal is not None and self.proposal.accepted

    @property
    def to_decide(self) -> bool:
        """Same code, other wording: left blank for a person to decide."""
        return self.proposal is not None and not self.proposal.accepted


@dataclass
class MappingPage:
    framework: Framework
    previous: Framework
    mapping: EditionMapping | None
    rows: list[MappingRow]
    previous_criteria: list[Criterion] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(row.error for row in self.rows)

    @property
    def continued(self) -> set[int]:
        """Ids of the previous edition's criteria some new criterion continues."""
        return {old.pk for row in self.rows for old in row.previous}

    def pairs(self) -> list[Pair]:
        return [(row.criterion.pk, old.pk) for row in self.rows for old in row.previous]


@dataclass(frozen=True)
class EditionEntry:
    framework: Framework
    has_previous: bool  # an edition of the same level from an earlier year exists
    may_map: bool = False  # the viewer may map it (`frameworks_to_map`)


def frameworks_to_map(user: User) -> QuerySet[Framework]:
    """The frameworks `user` may map to their previous editions: every one for an
    administrator; for Nội vụ, those no unit outside its jurisdiction is scored on (a
    mapping changes every comparison of the framework's units, so an office maps only its
    own, or one not used yet)."""
    if user_role(user) == Role.ADMIN:
        return Framework.objects.all()
    outside = Assessment.objects.exclude(unit__in=units_in_scope(user)).values("framework")
    return Framework.objects.exclude(pk__in=outside)


def editions_with_mappings(user: User) -> list[EditionEntry]:
    """Every framework, each with its mappings to earlier editions (three queries)."""
    mappings = EditionMapping.objects.select_related("previous", "mapped_by")
    frameworks = list(
        Framework.objects.order_by("level", "-year_from", "name").prefetch_related(
            Prefetch("mappings_to_previous", queryset=mappings)
        )
    )
    first_year: dict[str, int] = {}
    for framework in frameworks:
        first_year[framework.level] = min(
            framework.year_from, first_year.get(framework.level, framework.year_from)
        )
    mappable = set(frameworks_to_map(user).values_list("pk", flat=True))
    return [
        EditionEntry(f, f.year_from > first_year[f.level], f.pk in mappable) for f in frameworks
    ]


def previous_editions(framework: Framework) -> QuerySet[Framework]:
    """The editions `framework` may continue: same level, from an earlier year."""
    return Framework.objects.filter(
        level=framework.level, year_from__lt=framework.year_from
    ).order_by("-year_from", "name")


def mapping_page(framework: Framework, previous: Framework) -> MappingPage:
    """The saved mapping's counterparts, or, where none is saved, the proposals."""
    mapping = edition_mapping(framework, previous)
    new = list(framework.criteria.order_by("sort_key"))
    old = list(previous.criteria.order_by("sort_key"))
    old_by_id = {criterion.pk: criterion for criterion in old}
    if mapping is not None:
        chosen: dict[int, list[Criterion]] = {}
        for pair in CriterionCounterpart.objects.filter(mapping=mapping).order_by(
            "previous__sort_key"
        ):
            chosen.setdefault(pair.criterion_id, []).append(old_by_id[pair.previous_id])
        rows = [MappingRow(c, chosen.get(c.pk, [])) for c in new]
    else:
        proposals = propose_counterparts(framework, previous)
        rows = [_proposed_row(c, proposals.get(c.pk), old_by_id) for c in new]
    for row in rows:
        row.typed = ", ".join(criterion.code for criterion in row.previous)
    return MappingPage(framework, previous, mapping, rows, old)


def read_typed(page: MappingPage, typed: dict[int, str]) -> MappingPage:
    """The page as typed (new criterion id → old codes), each unknown code told on its row."""
    old_by_code = {criterion.code: criterion for criterion in page.previous_criteria}
    for row in page.rows:
        row.typed = typed.get(row.criterion.pk, "").strip()
        codes = list(dict.fromkeys(c for c in CODE_SEPARATORS.split(row.typed) if c))
        unknown = [code for code in codes if code not in old_by_code]
        row.previous = [old_by_code[code] for code in codes if code in old_by_code]
        row.proposal = None
        row.error = (
            f"Không có tiêu chí mã {', '.join(unknown)} trong bộ chỉ số «{page.previous.name}»."
            if unknown
            else ""
        )
    return page


def _proposed_row(
    criterion: Criterion, proposal: Proposal | None, old_by_id: dict[int, Criterion]
) -> MappingRow:
    if proposal is None:
        return MappingRow(criterion, [])
    old = old_by_id[proposal.previous_id]
    if proposal.accepted:
        return MappingRow(criterion, [old], proposal)
    return MappingRow(criterion, [], proposal, candidate=old)
