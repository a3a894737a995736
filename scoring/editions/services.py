"""Writes of edition mappings: a pair is saved whole or deleted, never row by row."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from scoring.models import Criterion, CriterionCounterpart, EditionMapping, Framework

Pair = tuple[int, int]  # (criterion id of the new edition, criterion id of the previous)


@transaction.atomic
def edition_mapping_save(
    *, framework: Framework, previous: Framework, pairs: Iterable[Pair], by: AbstractBaseUser
) -> EditionMapping:
    """Replace the pair's counterparts with `pairs`, recording who mapped and when.

    A criterion of `framework` in no pair has no counterpart from now on; no pair at
    all is a valid mapping (nothing continues)."""
    pairs = list(dict.fromkeys(pairs))
    mapping = EditionMapping.objects.filter(framework=framework, previous=previous).first()
    mapping = mapping or EditionMapping()
    mapping.framework, mapping.previous = framework, previous  # clean() reads both
    mapping.mapped_by = by
    mapping.full_clean()
    _check_pairs(framework, previous, pairs)
    mapping.save()
    mapping.counterparts.all().delete()
    CriterionCounterpart.objects.bulk_create(
        CriterionCounterpart(mapping=mapping, criterion_id=new_id, previous_id=old_id)
        for new_id, old_id in pairs
    )
    return mapping


@transaction.atomic
def edition_mapping_delete(*, framework: Framework, previous: Framework) -> bool:
    """Forget Nội vụ's mapping: the pair is matched by code again. False if none."""
    deleted, _ = EditionMapping.objects.filter(framework=framework, previous=previous).delete()
    return bool(deleted)


def _check_pairs(framework: Framework, previous: Framework, pairs: list[Pair]) -> None:
    """`CriterionCounterpart.clean` for every pair at once, in one query."""
    ids = {new_id for new_id, _ in pairs} | {old_id for _, old_id in pairs}
    framework_of = dict(Criterion.objects.filter(pk__in=ids).values_list("id", "framework_id"))
    if any(framework_of.get(new_id) != framework.pk for new_id, _ in pairs):
        raise ValidationError({"criterion": "Tiêu chí mới không thuộc bộ chỉ số mới."})
    if any(framework_of.get(old_id) != previous.pk for _, old_id in pairs):
        raise ValidationError({"previous": "Tiêu chí trước không thuộc bộ chỉ số trước."})
