"""The effectiveness table on the plan page and Nội vụ's view across the jurisdiction."""

import re

import pytest
from django.urls import reverse

from scoring.models import AssessmentStatus, Role
from tests.factories import user_with_role
from tests.remediation.effectiveness_setup import commune_plan, district, editions

pytestmark = pytest.mark.django_db
OVERVIEW = reverse("remediation:effectiveness")


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section_of(response) -> str:
    html = response.content.decode()
    start = html.index('id="hieu-qua"')
    return " ".join(re.sub(r"<[^>]+>", " ", html[start : html.index("</section>", start)]).split())


@pytest.fixture
def world():
    parent, frameworks = district(), editions()
    return parent, frameworks, commune_plan(parent, frameworks)


def test_the_plan_page_shows_each_task_field_and_the_plan_total(client, world):
    _, _, plan = world
    client.force_login(user_with_role(Role.UNIT, unit=plan.unit))

    section = section_of(client.get(reverse("remediation:plan", args=[plan.pk])))

    assert "Kết quả khắc phục so với năm 2024" in section
    assert (
        "Các tiêu chí của kế hoạch bị trừ 3,5 điểm năm 2023 và 2,5 điểm năm 2024: "
        "đã khắc phục 1/3,5 điểm." in section
    )
    assert "1. Tiêu chí 1 1,5 1 đã khắc phục 0,5/1,5 điểm" in section
    assert (
        "1 Rà soát, ban hành văn bản chỉ đạo Đã hoàn thành nhưng vẫn bị trừ điểm "
        "1.1; 1.2 1,5 0,5 đã khắc phục 1/1,5 điểm" in section
    )
    assert "2 Khắc phục tồn tại năm trước 1.3 0 0,5 bị trừ thêm 0,5 điểm" in section
    assert (
        "3 Kiểm tra công tác CCHC 1.2; 1.4 (không có tiêu chí tương ứng năm 2024) 1 0,5 "
        "đã khắc phục 0,5/1 điểm" in section
    )
    assert "2. Tiêu chí 2 2 1,5 đã khắc phục 0,5/2 điểm" in section
    assert "2.1.2; 2.2 → 2.3 1,5 1,5 đã khắc phục 0/1,5 điểm" in section
    assert "Cả kế hoạch 3,5 2,5 đã khắc phục 1/3,5 điểm" in section
    assert "Không tính vào tổng: tiêu chí 1.4 (không có tiêu chí tương ứng năm 2024)." in section
    assert "2 nhiệm vụ đã hoàn thành nhưng vẫn bị trừ điểm năm 2024" in section
    assert (
        "Năm 2024, tiêu chí 1.3 «Kết quả khắc phục tồn tại, hạn chế do cấp trên chỉ ra năm "
        "trước» đạt 0,5/1 điểm." in section
    )


@pytest.mark.parametrize("status", [AssessmentStatus.DRAFT, AssessmentStatus.SUBMITTED])
def test_before_2024_is_appraised_the_plan_page_says_when_figures_show(client, status):
    plan = commune_plan(district(), editions(), next_status=status)
    client.force_login(user_with_role(Role.UNIT, unit=plan.unit))

    section = section_of(client.get(reverse("remediation:plan", args=[plan.pk])))

    assert "sẽ hiển thị khi kết quả Chỉ số cải cách hành chính năm 2024" in section
    assert "đã khắc phục" not in section and "Cả kế hoạch" not in section


def test_a_unit_user_never_sees_another_units_plan(client, world):
    parent, frameworks, plan = world
    neighbour = commune_plan(parent, frameworks, code="H1-X2")
    client.force_login(user_with_role(Role.UNIT, unit=neighbour.unit))

    response = client.get(reverse("remediation:plan", args=[plan.pk]))

    assert response.status_code == 403
    assert "đã khắc phục" not in response.content.decode()


def test_home_affairs_sees_every_plan_of_the_year_and_what_won_points_back(client, world):
    parent, frameworks, plan = world
    commune_plan(parent, frameworks, code="H1-X2", next_status=AssessmentStatus.SUBMITTED)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, unit=parent))

    response = client.get(OVERVIEW)  # 2023 is the newest year whose next one is appraised

    page = text_of(response)
    assert response.status_code == 200
    assert "Xã H1-X1 3,5 2,5 đã khắc phục 1/3,5 điểm 2/5 2" in page
    assert (
        "Xã H1-X2 Kết quả khắc phục sẽ hiển thị khi kết quả Chỉ số cải cách hành chính năm "
        "2024 của xã H1-X2 được thẩm định (hiện: đã gửi thẩm định)." in page
    )
    assert "Cộng 1 kế hoạch 3,5 2,5 đã khắc phục 1/3,5 điểm" in page
    assert "1. Tiêu chí 1 1 1,5 1 đã khắc phục 0,5/1,5 điểm" in page
    assert "2. Tiêu chí 2 1 2 1,5 đã khắc phục 0,5/2 điểm" in page
    assert "Đã hoàn thành 2 3 1 đã khắc phục 2/3 điểm" in page
    assert "Chưa hoàn thành 3 2,5 2,5 đã khắc phục 0/2,5 điểm" in page
    assert f'href="/ke-hoach/{plan.pk}/#hieu-qua"' in response.content.decode()


def test_a_year_without_plans_is_refused_with_a_message(client, world):
    parent, _, _ = world
    client.force_login(user_with_role(Role.HOME_AFFAIRS, unit=parent))

    response = client.get(OVERVIEW, {"nam": "2019"})

    assert response.status_code == 400
    assert "Không có kế hoạch khắc phục nào của năm 2019 trong phạm vi bạn quản lý." in text_of(
        response
    )


def test_without_plans_the_overview_says_so(client):
    client.force_login(user_with_role(Role.HOME_AFFAIRS, unit=district()))

    response = client.get(OVERVIEW)

    assert response.status_code == 200
    assert "Chưa có kế hoạch khắc phục nào trong phạm vi bạn quản lý." in text_of(response)


def test_home_affairs_of_another_district_sees_none_of_these_plans(client, world):
    client.force_login(user_with_role(Role.HOME_AFFAIRS, unit=district("H2")))

    assert "Xã H1-X1" not in text_of(client.get(OVERVIEW))


def test_the_overview_refuses_unit_users_strangers_and_posts(client, world):
    _, _, plan = world
    assert client.get(OVERVIEW).status_code == 302  # anonymous: to the login page
    client.force_login(user_with_role(Role.UNIT, unit=plan.unit))
    assert client.get(OVERVIEW).status_code == 403
    client.force_login(user_with_role(Role.HOME_AFFAIRS, unit=plan.unit.parent, username="nv"))
    assert client.post(OVERVIEW).status_code == 405


@pytest.mark.parametrize("count", [3, 30])
def test_the_overview_takes_the_same_queries_for_3_or_30_plans(
    client, count, django_assert_max_num_queries
):
    parent, frameworks = district(), editions()
    for i in range(count):
        commune_plan(parent, frameworks, code=f"H1-X{i:02d}")
    client.force_login(user_with_role(Role.HOME_AFFAIRS, unit=parent))

    with django_assert_max_num_queries(18):
        response = client.get(OVERVIEW, {"nam": "2023"})

    assert f"Cộng {count} kế hoạch" in text_of(response)


def test_the_plan_page_with_effectiveness_stays_bounded(
    client, world, django_assert_max_num_queries
):
    _, _, plan = world
    client.force_login(user_with_role(Role.UNIT, unit=plan.unit))

    # 20 for the page as before, 5 for the effectiveness section (tasks are shared).
    with django_assert_max_num_queries(25):
        client.get(reverse("remediation:plan", args=[plan.pk]))
