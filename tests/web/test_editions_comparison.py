"""The comparison across a mapped pair costs the same queries whatever the editions' size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.editions.services import edition_mapping_save
from scoring.models import Assessment, Role, Unit
from tests.factories import score_assessment, user_with_role
from tests.scoring.editions.builders import sized_editions

pytestmark = pytest.mark.django_db


def _unit_on_two_editions(fields: int, mapper) -> Unit:
    """`fields` fields of 3 criteria each; 2023 maps each criterion to the one before it."""
    old, new = sized_editions(fields)
    unit = Unit.objects.create(code=f"XA{fields}", name=f"Xã {fields}", level="commune")
    for year, framework in ((2022, old), (2023, new)):
        assessment = Assessment.objects.create(unit=unit, year=year, framework=framework)
        leaves = framework.criteria.filter(is_leaf=True).values_list("code", flat=True)
        score_assessment(assessment, dict.fromkeys(leaves, "1"))
    old_ids = dict(old.criteria.values_list("code", "id"))
    pairs = [(pk, old_ids[code]) for code, pk in new.criteria.values_list("code", "id")]
    edition_mapping_save(framework=new, previous=old, pairs=pairs, by=mapper)
    return unit


def test_the_mapped_comparison_is_flat_from_4_to_40_fields(client):
    mapper = user_with_role(Role.ADMIN, username="quan.tri")
    client.force_login(mapper)
    counts = []
    for fields in (4, 40):
        url = reverse("scoring:comparison", args=[_unit_on_two_editions(fields, mapper).pk])
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        assert "đối chiếu của Nội vụ" in html
        assert f'data-code="{fields}.3"' in html
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 15
