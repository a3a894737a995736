"""What-if on the plan page: tasks by points at stake, ticked tasks win back the union
of their deducted leaves, the rank from the engine, nothing saved."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc.formatting import format_points
from remediation.models import Task
from remediation.services import plan_draft
from scoring.engine import assessment_breakdown
from scoring.models import Assessment, AssessmentStatus, Criterion, Role, Unit
from tests.factories import user_with_role
from tests.web.dashboard_data import build_group

pytestmark = pytest.mark.django_db


def panel(response) -> str:
    html = response.content.decode()
    section = html.split('id="tinh-thu"')[1].split("</details>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)).strip()


def rows(response) -> list[tuple[int, str]]:
    """(task id, points at stake) of each row of the panel, in the page's order."""
    section = response.content.decode().split('id="tinh-thu"')[1].split("</details>")[0]
    found = re.findall(
        r'<li data-task="(\d+)".*?<span class="whatif-points">([^<]*) điểm</span>', section, re.S
    )
    return [(int(pk), points) for pk, points in found]


def task_of(plan, code: str) -> Task:
    return plan.tasks.get(criteria__code=code)


def what_if(client, plan, tasks: list, **extra):
    url = reverse("remediation:plan", args=[plan.pk])
    return client.get(url, {"nhiem_vu": tasks, "tinh_thu": "1", **extra})


@pytest.fixture
def head(client, cam_son):
    client.force_login(user_with_role(Role.UNIT, cam_son))
    return client


def test_tasks_are_listed_by_points_at_stake_highest_first(head, cam_son_plan):
    response = head.get(reverse("remediation:plan", args=[cam_son_plan.pk]))

    listed = rows(response)
    lost = assessment_breakdown(Assessment.objects.get(unit=cam_son_plan.unit, year=2023))
    # One drafted task per deducted leaf: the biggest loss first, field 8's 2,54 on top.
    expected = [
        (task_of(cam_son_plan, leaf.code).pk, format_points(leaf.tally.deducted))
        for leaf in lost.deducted_leaves
    ]
    assert listed == expected
    assert listed[0][1] == "2,54"
    assert "theo điểm có thể lấy lại (cao trước)" in panel(response)


def test_the_sort_option_lists_them_in_plan_order(head, cam_son_plan):
    response = head.get(reverse("remediation:plan", args=[cam_son_plan.pk]), {"sap_xep": "thu-tu"})

    in_plan = list(
        cam_son_plan.tasks.order_by("section__order", "order", "pk").values_list("pk", flat=True)
    )
    assert [pk for pk, _ in rows(response)] == in_plan
    assert [pk for pk, _ in rows(response)] != [
        pk for pk, _ in rows(head.get(reverse("remediation:plan", args=[cam_son_plan.pk])))
    ]


def test_ticking_the_tasks_of_1_3_and_7_11_moves_cam_son_up_one_place(head, cam_son_plan):
    # 85,08 + 1,5 (1.3) + 1,76 (7.11) = 88,34: passes the peer at 87,23, not the one
    # at 92,21 (tests/web/test_whatif_dashboard.py reads them): 2nd of 23.
    ticked = [task_of(cam_son_plan, "1.3").pk, task_of(cam_son_plan, "7.11").pk]

    text = panel(what_if(head, cam_son_plan, ticked))

    assert (
        "Nếu lấy lại 3,26 điểm: tổng điểm 88,34/100, chỉ số 88,34%, xếp hạng 2/23 "
        "(tăng 1 bậc so với hạng 3/23)." in text
    )
    assert "Không có gì được lưu" in text


def test_a_criterion_two_tasks_name_is_won_back_once(head, cam_son_plan):
    # A task on the whole of field 1 covers its five deducted leaves: 0,07 (1.1) + 0,16
    # (1.2) + 1,5 (1.3) + 0,04 (1.4) + 0,1 (1.5) = 1,87; with the task of 1.3 ticked
    # too, 1.3 still counts once: 1,87, not 3,37.
    section = task_of(cam_son_plan, "1.3").section
    whole = Task.objects.create(plan=cam_son_plan, section=section, order=99, name="Cả lĩnh vực 1")
    whole.criteria.set([Criterion.objects.get(framework=section.field.framework, code="1")])

    response = what_if(head, cam_son_plan, [whole.pk, task_of(cam_son_plan, "1.3").pk])

    assert (whole.pk, "1,87") in rows(response)
    assert "Nếu lấy lại 1,87 điểm: tổng điểm 86,95/100" in panel(response)
    assert "1.3, 1.2, 1.5, 1.1, 1.4" in panel(response)


def test_tasks_of_another_plan_are_ignored_with_a_message(head, cam_son_plan):
    other_unit = Unit.objects.exclude(pk=cam_son_plan.unit_id).filter(code__startswith="HT-CX-GL")[
        0
    ]
    other = plan_draft(unit=other_unit, year=2023)

    response = what_if(
        head, cam_son_plan, [task_of(cam_son_plan, "1.3").pk, other.tasks.first().pk]
    )

    assert response.status_code == 200
    assert "Đã bỏ qua 1 lựa chọn không thuộc kế hoạch này." in panel(response)
    assert "Nếu lấy lại 1,5 điểm" in panel(response)


def test_nothing_ticked_says_so(head, cam_son_plan):
    assert "Chưa chọn nhiệm vụ nào để tính thử." in panel(what_if(head, cam_son_plan, []))


def test_unpublished_result_gives_a_unit_head_no_rank(head, cam_son_plan):
    Assessment.objects.filter(unit=cam_son_plan.unit, year=2023).update(
        status=AssessmentStatus.APPRAISED
    )

    text = panel(what_if(head, cam_son_plan, [task_of(cam_son_plan, "1.3").pk]))

    assert "Nếu lấy lại 1,5 điểm: tổng điểm 86,58/100, chỉ số 86,58%." in text
    assert "chưa được công bố nên chưa có thứ hạng để so" in text


def test_outsiders_are_refused_and_anonymous_sent_to_log_in(client, cam_son_plan):
    ticked = [task_of(cam_son_plan, "1.3").pk]
    assert what_if(client, cam_son_plan, ticked)["Location"].startswith("/dang-nhap/")
    peer = Unit.objects.exclude(pk=cam_son_plan.unit_id).filter(code__startswith="HT-CX-GL")[0]
    client.force_login(user_with_role(Role.UNIT, peer))

    response = what_if(client, cam_son_plan, ticked)

    assert response.status_code in (403, 404)
    assert "86,58" not in response.content.decode()


def test_posting_to_the_plan_page_is_not_allowed(head, cam_son_plan):
    url = reverse("remediation:plan", args=[cam_son_plan.pk])

    assert head.post(url, {"nhiem_vu": [task_of(cam_son_plan, "1.3").pk]}).status_code == 405


def test_query_count_is_the_same_for_23_and_200_units(client):
    counts = []
    for size in (23, 200):
        data = build_group(size, years=(2023,), prefix=f"P{size}")
        unit = data["units"][3]  # loses 1,5 on 1.1
        plan = plan_draft(unit=unit, year=2023)
        client.force_login(user_with_role(Role.UNIT, unit, username=f"xa.P{size}.3"))
        what_if(client, plan, [plan.tasks.get().pk])  # warm caches equally
        with CaptureQueriesContext(connection) as captured:
            response = what_if(client, plan, [plan.tasks.get().pk])
        assert f"tổng điểm 10/10, chỉ số 100%, xếp hạng 1/{size} (đồng hạng; " in panel(response)
        counts.append(len(captured))

    assert counts[0] == counts[1]
    assert counts[0] <= 24, counts
