"""A NUL or another control character in a plan form: refused with a Vietnamese message
beside the field, what was typed kept, nothing written."""

import pytest
from django.urls import reverse

from remediation.models import ProgressUpdate
from scoring.models import Role
from tests.factories import user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.editing import page_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return plan_with_tasks(district_with_commune()[1], 1)


@pytest.fixture
def unit_client(client, plan):
    client.force_login(user_with_role(Role.UNIT, plan.unit))
    return client


def test_a_nul_in_the_plan_header_is_refused_and_the_text_kept(unit_client, plan):
    data = page_data(unit_client, plan)
    data.update({"number": "05/KH\x00", "summary": "Kế hoạch khắc phục"})
    response = unit_client.post(reverse("remediation:save", args=[plan.pk]), data)

    body = response.content.decode()
    assert response.status_code == 400
    assert (
        "Số, ký hiệu: Có ký tự điều khiển không hợp lệ (mã 0x00) ở ký tự thứ 6; "
        "hãy xóa ký tự đó rồi nhập lại." in body
    )
    assert 'value="05/KH\x00"' in body
    plan.refresh_from_db()
    assert plan.number == "/KH-UBND"
    assert plan.edited_fields == []


def test_a_control_character_in_a_task_is_refused(unit_client, plan):
    task = plan.tasks.get()
    name = task.name

    data = page_data(unit_client, plan)
    data.update({f"t{task.pk}-name": "Rà soát\x07 thủ tục"})
    response = unit_client.post(reverse("remediation:save", args=[plan.pk]), data)

    assert response.status_code == 400
    assert "Nhiệm vụ: Có ký tự điều khiển không hợp lệ (mã 0x07)" in response.content.decode()
    task.refresh_from_db()
    assert task.name == name


def test_a_nul_in_a_progress_note_is_refused(unit_client, plan):
    task = plan.tasks.get()

    response = unit_client.post(
        reverse("remediation:progress_add", args=[task.pk]),
        {
            f"p{task.pk}-reported_on": "2024-01-05",
            f"p{task.pk}-status": "in_progress",
            f"p{task.pk}-progress": "50",
            f"p{task.pk}-note": "Đã họp\x00",
        },
    )

    assert response.status_code == 400
    assert "Có ký tự điều khiển không hợp lệ (mã 0x00) ở ký tự thứ 7" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
