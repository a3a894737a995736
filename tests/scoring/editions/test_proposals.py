"""Proposals on the real Cẩm Xuyên 2023 framework and a modified copy of it."""

import csv

import pytest
from django.conf import settings

from scoring.editions.proposals import ProposalKind, propose_counterparts, wording_key
from scoring.importing import import_framework
from tests.factories import write_csv

pytestmark = pytest.mark.django_db
FIXTURE = settings.BASE_DIR / "fixtures" / "framework_xa_cam_xuyen_2023.csv"


def _rows() -> list[list[str]]:
    with FIXTURE.open(encoding="utf-8") as file:
        return list(csv.reader(file))


def _edited(tmp_path):
    """The 2023 file as a 2025 edition: 1.3 reworded, 1.4 retyped in capitals with a
    full stop, 1.5 and 1.6 swapped (their wording moved to the other code)."""
    rows = _rows()
    by_code = {row[0]: row for row in rows[1:]}
    by_code["1.3"][2] = "Đổi mới, sáng tạo trong cải cách hành chính của xã"
    by_code["1.4"][2] = "ĐỐI THOẠI của lãnh đạo xã  với người dân."
    by_code["1.5"][2], by_code["1.6"][2] = by_code["1.6"][2], by_code["1.5"][2]
    return write_csv(tmp_path / "2025.csv", rows)


@pytest.fixture
def pair(tmp_path):
    old, _ = import_framework(FIXTURE, name="Cẩm Xuyên 2023", level="commune", year_from=2023)
    new, _ = import_framework(
        _edited(tmp_path), name="Cẩm Xuyên 2025", level="commune", year_from=2025
    )
    return old, new


def test_titles_are_compared_without_case_accents_spacing_or_punctuation():
    assert wording_key("ĐỐI THOẠI của lãnh đạo xã  với người dân.") == wording_key(
        "Đối thoại của lãnh đạo xã với người dân"
    )
    assert wording_key("Đối thoại") == "doi thoai"


def test_proposals_on_a_modified_copy_of_the_real_framework(pair, django_assert_num_queries):
    old, new = pair
    old_ids = dict(old.criteria.values_list("code", "id"))
    new_codes = dict(new.criteria.values_list("id", "code"))

    with django_assert_num_queries(2):
        proposals = propose_counterparts(new, old)

    found = {
        new_codes[p.criterion_id]: (p.kind, p.previous_id, p.accepted) for p in proposals.values()
    }
    # The wording moved with the swap: proposed as renumbered, not by code.
    assert found["1.5"] == (ProposalKind.RENAMED, old_ids["1.6"], True)
    assert found["1.6"] == (ProposalKind.RENAMED, old_ids["1.5"], True)
    # Capitals and a full stop are the same wording.
    assert found["1.4"] == (ProposalKind.SAME, old_ids["1.4"], True)
    # Reworded under its code: flagged for a person, not accepted.
    assert found["1.3"] == (ProposalKind.REWORDED, old_ids["1.3"], False)
    # Every other criterion is the same code and wording; 7.11 shares its wording
    # with the old 1.6 and still goes to its own code.
    assert found["7.11"] == (ProposalKind.SAME, old_ids["7.11"], True)
    same = {code for code, (kind, _, _) in found.items() if kind is ProposalKind.SAME}
    assert len(same) == len(old_ids) - 3
    assert len(found) == len(old_ids)


def test_a_wording_shared_by_several_old_criteria_is_not_proposed_for_a_new_code(tmp_path):
    rows = _rows()
    renumbered = {"1.6": "1.9", "7.11": "7.12"}  # both "Các nội dung khác của lĩnh vực"
    for row in rows[1:]:
        row[0] = renumbered.get(row[0], row[0])
    old, _ = import_framework(FIXTURE, name="Cũ", level="commune", year_from=2023)
    new, _ = import_framework(
        write_csv(tmp_path / "moi.csv", rows), name="Mới", level="commune", year_from=2024
    )
    new_ids = dict(new.criteria.values_list("code", "id"))

    proposals = propose_counterparts(new, old)

    # The old 1.6 and 7.11 read alike: which one 1.9 continues is for a person to say.
    assert new_ids["1.9"] not in proposals and new_ids["7.12"] not in proposals
    assert len(proposals) == len(new_ids) - 2
