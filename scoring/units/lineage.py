"""The words that replace a merged or split unit's rank change in its first year.

"đơn vị mới hợp nhất từ A, B, C (từ năm 2025)": several predecessors; "đơn vị mới chia
tách từ A": its one predecessor became several units; "đơn vị mới thành lập từ A": one
became one (renamed or re-formed). Every page, table and document that shows a rank
change takes the label from here.
"""

from collections import defaultdict

from django.db.models import Count, QuerySet

from scoring.models import RankingGroup, Unit

Predecessors = Unit.predecessors.through


def lineage_label(names: list[str], splits: bool, year: int) -> str:
    """The label of a unit formed in `year` from the units `names`; `splits` when its one
    predecessor has other successors too."""
    if not names:
        return ""
    kind = "hợp nhất" if len(names) > 1 else ("chia tách" if splits else "thành lập")
    return f"đơn vị mới {kind} từ {', '.join(names)} (từ năm {year})"


def lineage_labels(units: QuerySet[Unit], year: int) -> dict[str, str]:
    """Unit code → label, for those of `units` whose own results begin in `year`; one
    query, whatever the number of units."""
    records = (
        Predecessors.objects.filter(from_unit__in=units, from_unit__formed_in=year)
        # By predecessor, not by name alone: two communes of one name stay two.
        .values_list("from_unit__code", "to_unit__code", "to_unit__name")
        .annotate(successors=Count("to_unit__successors"))
        .order_by("from_unit__code", "to_unit__name", "to_unit__code")
    )
    named: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
    splits: dict[str, bool] = {}
    for code, previous, name, successors in records:
        named[code].append((previous, name))
        splits[code] = successors > 1
    return {
        code: lineage_label(_told_apart(found), splits[code], year) for code, found in named.items()
    }


def _told_apart(predecessors: list[tuple[str, str]]) -> list[str]:
    """The predecessors' names, with the code of each that shares its name with another."""
    names = [name for _, name in predecessors]
    return [f"{name} ({code})" if names.count(name) > 1 else name for code, name in predecessors]


def unit_lineage_label(unit: Unit, year: int) -> str:
    """The label of one unit in `year`, "" when `year` is not its first of its own."""
    if unit.formed_in != year:
        return ""
    return lineage_labels(Unit.objects.filter(pk=unit.pk), year).get(unit.code, "")


def group_lineage_labels(groups: list[RankingGroup], year: int) -> dict[str, str]:
    """The labels of the units ranked in `groups` in `year`; one query."""
    ranked = Unit.objects.filter(assessments__year=year, assessments__ranking_group__in=groups)
    return lineage_labels(ranked, year)
