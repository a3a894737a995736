"""A unit's predecessors and the year from which it has results of its own, checked the
same way from the admin (`unit_set_predecessors`) and from a units file
(`scoring.resources.units`, through `lineage_problems` and `write_predecessors`)."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from scoring.models import Assessment, Unit

Predecessors = Unit.predecessors.through
Links = dict[str, list[str]]  # unit code -> its predecessors' codes


def stored_links() -> Links:
    """Every unit's predecessors as stored, by code; one query."""
    links: defaultdict[str, list[str]] = defaultdict(list)
    for code, previous in Predecessors.objects.values_list("from_unit__code", "to_unit__code"):
        links[code].append(previous)
    return dict(links)


def last_result_years(codes: list[str]) -> dict[str, int]:
    """Unit code → the last year it has a result of its own; one query."""
    last = (
        Assessment.objects.filter(unit__code__in=codes)
        .order_by()
        .values("unit__code")
        .annotate(last=Max("year"))
        .values_list("unit__code", "last")
    )
    return dict(last)


def lineage_problems(
    code: str,
    predecessors: list[str],
    formed_in: int | None,
    links: Links,
    last_results: dict[str, int],
) -> dict[str, list[str]]:
    """What is wrong with unit `code` formed in `formed_in` from `predecessors`, by field
    ("predecessors", "formed_in"). `links` holds every unit's predecessors, the unit's own
    as they would be; `last_results` the predecessors' last years of results."""
    problems: defaultdict[str, list[str]] = defaultdict(list)
    for previous in predecessors:
        if previous == code:
            problems["predecessors"].append("Một đơn vị không thể được hình thành từ chính nó.")
        elif _descends(previous, code, links):
            problems["predecessors"].append(
                f"Đơn vị «{previous}» lại được hình thành từ «{code}»: "
                "không thể hình thành hai đơn vị từ nhau (vòng lặp)."
            )
    if predecessors and formed_in is None:
        problems["formed_in"].append(
            "Cần nhập năm đơn vị có kết quả riêng khi có đơn vị hợp nhất, chia tách."
        )
    elif formed_in is not None:
        for previous in predecessors:
            last = last_results.get(previous)
            if last is not None and last >= formed_in:
                problems["formed_in"].append(
                    f"Đơn vị «{previous}» còn có kết quả riêng năm {last}: năm đơn vị mới "
                    f"có kết quả riêng phải sau năm {last}, nếu không kết quả đó bị che mất."
                )
    return dict(problems)


def _descends(start: str, target: str, links: Links) -> bool:
    """Whether `target` is among the units `start` was formed from, at any remove."""
    seen, todo = set(), [start]
    while todo:
        current = todo.pop()
        for previous in links.get(current, []):
            if previous == target:
                return True
            if previous not in seen:
                seen.add(previous)
                todo.append(previous)
    return False


def check_predecessors(code: str, predecessors: list[Unit], formed_in: int | None) -> None:
    """ValidationError by field when unit `code` cannot be formed so."""
    codes = [unit.code for unit in predecessors]
    links = stored_links() | {code: codes}
    problems = lineage_problems(code, codes, formed_in, links, last_result_years(codes))
    if problems:
        raise ValidationError(problems)


def write_predecessors(links: dict[int, list[int]]) -> None:
    """Replace the predecessors of the units `links` names (unit id -> predecessor ids)."""
    Predecessors.objects.filter(from_unit_id__in=links).delete()
    Predecessors.objects.bulk_create(
        Predecessors(from_unit_id=unit_id, to_unit_id=previous)
        for unit_id, previous_ids in links.items()
        for previous in previous_ids
    )


@transaction.atomic
def unit_set_predecessors(unit: Unit, predecessors: list[Unit], formed_in: int | None) -> None:
    """Record that `unit` was formed from `predecessors` and has results of its own from
    `formed_in`, after the checks of `lineage_problems`."""
    check_predecessors(unit.code, predecessors, formed_in)
    unit.formed_in = formed_in
    unit.full_clean()
    unit.save(update_fields=["formed_in"])
    write_predecessors({unit.pk: [previous.pk for previous in predecessors]})
