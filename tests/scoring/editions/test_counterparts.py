import pytest
from django.core.exceptions import ValidationError

from scoring.editions import edition_counterparts
from scoring.models import CriterionCounterpart, EditionMapping, Role
from tests.factories import build_framework, user_with_role

pytestmark = pytest.mark.django_db

OLD = [("1", None, "3"), ("1.1", "1", "1"), ("1.2", "1", "2"), ("2", None, "2")]
NEW = [("1", None, "3"), ("1.1", "1", "3"), ("3", None, "2")]


@pytest.fixture
def editions():
    old = build_framework(OLD, year_from=2022, year_to=2024)
    new = build_framework(NEW, year_from=2025)
    return old, new


def _ids(framework) -> dict[str, int]:
    return dict(framework.criteria.values_list("code", "id"))


def test_an_unmapped_pair_is_matched_by_code(editions, django_assert_num_queries):
    old, new = editions
    with django_assert_num_queries(3):
        matched = edition_counterparts(new, old)
    old_ids, new_ids = _ids(old), _ids(new)
    assert not matched.mapped
    assert matched.previous_of == {
        new_ids["1"]: (old_ids["1"],),
        new_ids["1.1"]: (old_ids["1.1"],),
    }
    assert matched.next_of[old_ids["1.1"]] == (new_ids["1.1"],)
    assert old_ids["1.2"] not in matched.next_of


def test_a_mapped_pair_uses_only_the_mapping(editions, django_assert_num_queries):
    old, new = editions
    old_ids, new_ids = _ids(old), _ids(new)
    mapping = EditionMapping.objects.create(
        framework=new, previous=old, mapped_by=user_with_role(Role.HOME_AFFAIRS)
    )
    # 1.1 of the new edition merges the old 1.1 and 1.2; the new field 3 continues field 2.
    for new_code, old_code in (("1.1", "1.1"), ("1.1", "1.2"), ("3", "2")):
        CriterionCounterpart.objects.create(
            mapping=mapping, criterion_id=new_ids[new_code], previous_id=old_ids[old_code]
        )
    with django_assert_num_queries(2):
        matched = edition_counterparts(new, old)
    assert matched.mapped
    assert matched.previous_of == {
        new_ids["1.1"]: (old_ids["1.1"], old_ids["1.2"]),
        new_ids["3"]: (old_ids["2"],),
    }
    # Field 1 has the same code in both editions but was not mapped: no counterpart.
    assert new_ids["1"] not in matched.previous_of
    assert matched.next_of == {
        old_ids["1.1"]: (new_ids["1.1"],),
        old_ids["1.2"]: (new_ids["1.1"],),
        old_ids["2"]: (new_ids["3"],),
    }


def test_a_mapping_must_go_back_to_an_earlier_edition_of_the_same_level(editions):
    old, new = editions
    backwards = EditionMapping(
        framework=old, previous=new, mapped_by=user_with_role(Role.HOME_AFFAIRS)
    )
    with pytest.raises(ValidationError) as refused:
        backwards.full_clean()
    assert refused.value.message_dict["previous"] == [
        "Bộ chỉ số trước phải áp dụng từ một năm trước bộ chỉ số mới."
    ]
    other_level = build_framework(OLD, year_from=2020, level="district")
    with pytest.raises(ValidationError) as refused:
        EditionMapping(framework=new, previous=other_level, mapped_by=backwards.mapped_by).clean()
    assert "cùng một cấp" in refused.value.message_dict["previous"][0]
