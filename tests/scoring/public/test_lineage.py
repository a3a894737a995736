"""A commune merged in 2025 shows on the open results, as on the staff ranking, why it
has no rank change: "đơn vị mới hợp nhất từ …", never a number."""

import pytest

from tests.scoring.public.test_pages import rows_of
from tests.web.predecessors_setup import build_merger

pytestmark = pytest.mark.django_db

LABEL = "đơn vị mới hợp nhất từ Xã An, Xã Bình, Xã Châu (từ năm 2025)"


@pytest.fixture
def merger(tmp_path):
    return build_merger(tmp_path)


def test_the_public_ranking_says_the_merged_unit_is_new(client, merger):
    html = client.get(f"/cong-khai/{merger['new'].pk}/2025/").content.decode()

    rows = rows_of(html)
    assert rows["HN"]["change"] == LABEL
    assert rows["HN"]["rank"] == "2"
    # Its peers keep their numbers: P1 was 1st of the 2024 khối, 3rd of 2025's.
    assert rows["P1"]["change"].startswith("giảm 2 bậc")


def test_the_api_gives_the_label_where_it_gives_no_change(client, merger):
    rows = client.get(f"/api/v1/rankings/{merger['new'].pk}/2025").json()["rows"]
    by_code = {row["unit_code"]: row for row in rows}

    assert (by_code["HN"]["rank_change"], by_code["HN"]["lineage"]) == (None, LABEL)
    assert (by_code["P1"]["rank_change"], by_code["P1"]["lineage"]) == (-2, None)
    unit = client.get("/api/v1/units/HN/2025").json()
    assert (unit["prev_rank"], unit["lineage"]) == (None, LABEL)
    assert client.get("/api/v1/units/P1/2025").json()["lineage"] is None
