"""Saving a pair's mapping whole, and deleting it back to the match by code."""

import pytest
from django.core.exceptions import ValidationError

from scoring.editions import edition_counterparts
from scoring.editions.services import edition_mapping_delete, edition_mapping_save
from scoring.models import CriterionCounterpart, EditionMapping, Role
from tests.factories import user_with_role
from tests.scoring.editions.builders import two_editions

pytestmark = pytest.mark.django_db


def _ids(framework) -> dict[str, int]:
    return dict(framework.criteria.values_list("code", "id"))


def test_saving_replaces_every_row_and_records_who(django_assert_max_num_queries):
    old, new = two_editions()
    o, n = _ids(old), _ids(new)
    first = user_with_role(Role.HOME_AFFAIRS, username="noivu.mot")
    second = user_with_role(Role.HOME_AFFAIRS, username="noivu.hai")
    edition_mapping_save(
        framework=new, previous=old, pairs=[(n["1.1"], o["1.1"]), (n["1.2"], o["1.3"])], by=first
    )

    # As many queries for one pair as for every criterion's.
    every = [(n[code], o[code]) for code in ("1", "1.1", "1.2", "2", "2.1")]
    with django_assert_max_num_queries(11):
        edition_mapping_save(framework=new, previous=old, pairs=every, by=first)
    with django_assert_max_num_queries(11):
        mapping = edition_mapping_save(
            framework=new, previous=old, pairs=[(n["1.1"], o["1.2"])] * 2, by=second
        )

    assert mapping.mapped_by == second and mapping.mapped_at is not None
    assert EditionMapping.objects.count() == 1
    assert list(CriterionCounterpart.objects.values_list("criterion_id", "previous_id")) == [
        (n["1.1"], o["1.2"])
    ]


def test_a_pair_of_the_wrong_editions_writes_nothing():
    old, new = two_editions()
    o, n = _ids(old), _ids(new)
    by = user_with_role(Role.HOME_AFFAIRS)

    with pytest.raises(ValidationError) as refused:
        edition_mapping_save(framework=new, previous=old, pairs=[(o["1.1"], o["1.1"])], by=by)
    assert refused.value.message_dict == {"criterion": ["Tiêu chí mới không thuộc bộ chỉ số mới."]}
    with pytest.raises(ValidationError):
        edition_mapping_save(framework=old, previous=new, pairs=[(o["1.1"], n["1.1"])], by=by)

    assert not EditionMapping.objects.exists()


def test_deleting_a_mapping_goes_back_to_matching_by_code():
    old, new = two_editions()
    o, n = _ids(old), _ids(new)
    by = user_with_role(Role.HOME_AFFAIRS)
    edition_mapping_save(framework=new, previous=old, pairs=[], by=by)
    assert edition_counterparts(new, old).previous_of == {}  # mapped: nothing continues

    assert edition_mapping_delete(framework=new, previous=old)

    assert edition_counterparts(new, old).previous_of[n["1.2"]] == (o["1.2"],)
    assert not edition_mapping_delete(framework=new, previous=old)
