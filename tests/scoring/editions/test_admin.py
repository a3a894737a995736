"""Edition mappings in the admin: shown with their counterparts, never edited there."""

import pytest
from django.urls import reverse

from scoring.editions.services import edition_mapping_save
from scoring.models import Role
from tests.factories import user_with_role
from tests.scoring.editions.builders import two_editions

pytestmark = pytest.mark.django_db


def test_a_mapping_is_shown_read_only_with_its_counterparts(admin_client):
    old, new = two_editions()
    o = dict(old.criteria.values_list("code", "id"))
    n = dict(new.criteria.values_list("code", "id"))
    mapping = edition_mapping_save(
        framework=new,
        previous=old,
        pairs=[(n["1.1"], o["1.1"]), (n["1.1"], o["1.2"])],
        by=user_with_role(Role.HOME_AFFAIRS, username="noivu.thu"),
    )

    listing = admin_client.get(reverse("admin:scoring_editionmapping_changelist"))
    change = admin_client.get(reverse("admin:scoring_editionmapping_change", args=[mapping.pk]))

    assert "Bộ chỉ số xã 2023" in listing.content.decode()
    text = change.content.decode()
    assert "1.1. Tiêu chí 1.1" in text and "1.2. Tiêu chí 1.2" in text
    assert f"/bo-chi-so/{new.pk}/doi-chieu/?truoc={old.pk}" in text
    assert 'name="_save"' not in text  # nothing to save from here
    add = admin_client.get(reverse("admin:scoring_editionmapping_add"))
    assert add.status_code == 403
