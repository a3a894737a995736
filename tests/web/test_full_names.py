"""People are named by their full names wherever a page names them: the criterion's
history, the sheet's workflow log, the evidence list."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring.models import AssessmentEvent, AssessmentStatus
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token

pytestmark = pytest.mark.django_db


def test_history_workflow_log_and_evidence_name_people_by_full_name():
    world = make_world()
    world.unit_user.last_name, world.unit_user.first_name = "Lê", "Văn Tám"
    world.unit_user.save()
    world.home_affairs.last_name, world.home_affairs.first_name = "Nguyễn", "Thị Hoa"
    world.home_affairs.save()
    leaf = leaf_ids(world.mine)["1.1"]
    unit = logged_in(world.unit_user)
    unit.post(f"/danh-gia/{world.mine.pk}/luu/", {f"self-{leaf}": "1", "token": token(world.mine)})
    base = f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf}"
    unit.post(
        f"{base}/tai-lieu/tai-len/",
        {"file": SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 x", content_type="application/pdf")},
    )
    AssessmentEvent.objects.create(
        assessment=world.mine,
        action=AssessmentEvent.Action.REOPEN,
        from_status=AssessmentStatus.SUBMITTED,
        to_status=AssessmentStatus.DRAFT,
        reason="Bổ sung",
        user=world.home_affairs,
    )

    history = unit.get(f"{base}/lich-su/").content.decode()
    evidence = unit.get(f"{base}/tai-lieu/").content.decode()

    assert "<td>Lê Văn Tám</td><td>Điểm tự đánh giá</td>" in history
    assert "<td>Nguyễn Thị Hoa</td><td>Mở lại</td>" in history
    assert "· Lê Văn Tám ·" in evidence
    for page in (history, evidence):
        assert "xa.cuatoi" not in page and "noivu.thu" not in page
