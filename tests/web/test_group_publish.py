"""The "Công bố cả khối…" page: the summary and decision form, publishing every sheet
of the khối in one POST, refused while a unit is not appraised, and to outsiders."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import AssessmentEvent, AssessmentStatus, PublicationDecision
from tests.scoring.publication_setup import YEAR, add_sheets, group_world, statuses
from tests.web.sheet_setup import logged_in

pytestmark = pytest.mark.django_db
Status = AssessmentStatus
FORM = {
    "number": "9471/QĐ-UBND",
    "signed_on": "26/12/2023",
    "issuer": "UBND huyện Thử",
    "signer_name": "Lê Văn Nam",
    "subject": "phê duyệt Chỉ số cải cách hành chính năm 2023",
}


def url(world) -> str:
    return f"/xep-hang/cong-bo/?khoi={world.group.pk}&nam={YEAR}"


def test_the_ranking_page_leads_home_affairs_to_the_group_confirmation():
    world = group_world(2)

    page = (
        logged_in(world.home_affairs)
        .get(f"/xep-hang/?khoi={world.group.pk}&nam={YEAR}")
        .content.decode()
    )

    assert (
        f'<a class="button small" id="group-publish" href="/xep-hang/cong-bo/?khoi='
        f'{world.group.pk}&amp;nam={YEAR}">Công bố cả khối…</a>' in page
    )


def test_the_ranking_page_offers_no_group_publish_to_those_who_may_not():
    world = group_world(2)
    world.sheets[0].status = Status.PUBLISHED
    world.sheets[0].save()

    for user in (world.unit_user, world.other_district_home_affairs):
        page = logged_in(user).get(f"/xep-hang/?khoi={world.group.pk}&nam={YEAR}")
        assert "Công bố cả khối" not in page.content.decode()


def test_the_confirmation_summarises_the_group_with_the_usual_decision_wording():
    world = group_world(3)
    world.sheets[2].status = Status.PUBLISHED
    world.sheets[2].save()

    response = logged_in(world.home_affairs).get(url(world))

    page = response.content.decode()
    assert response.status_code == 200
    assert '<strong data-count="units">3</strong>' in page
    assert '<strong data-count="to_publish">2</strong>' in page
    assert '<strong data-count="published">1</strong>' in page
    assert '<strong data-count="not_ready">0</strong>' in page
    assert 'value="UBND huyện Thử"' in page
    assert ">\nphê duyệt Chỉ số cải cách hành chính năm 2023</textarea>" in page
    assert 'placeholder="dd/mm/yyyy"' in page
    assert "Công bố 2 đơn vị</button>" in page
    rows = page.split('<tr data-unit="')[1:]
    assert [row.split('"')[0] for row in rows] == ["HT-X001", "HT-X002", "HT-X003"]
    assert '<td class="num" data-col="total">5</td>' in rows[0]
    assert '<td data-col="state">đã công bố</td>' in rows[2]
    assert '<td data-col="state">sẽ công bố</td>' in rows[1]
    assert statuses(world) == [Status.APPRAISED, Status.APPRAISED, Status.PUBLISHED]


def test_posting_the_confirmation_publishes_the_group_and_records_the_decision():
    world = group_world(3)
    client = logged_in(world.home_affairs)

    response = client.post(url(world), FORM)

    assert response["Location"] == f"/xep-hang/?khoi={world.group.pk}&nam={YEAR}"
    assert statuses(world) == [Status.PUBLISHED] * 3
    assert AssessmentEvent.objects.filter(action="publish", user=world.home_affairs).count() == 3
    decision = PublicationDecision.objects.get()
    assert (decision.number, f"{decision.signed_on:%d/%m/%Y}", decision.signer_name) == (
        "9471/QĐ-UBND",
        "26/12/2023",
        "Lê Văn Nam",
    )
    assert (
        "Đã công bố kết quả 3 đơn vị của Khối xã, thị trấn huyện Thử năm 2023 theo Quyết định "
        "số 9471/QĐ-UBND ngày 26/12/2023."
    ) in client.get(response["Location"]).content.decode()


def test_one_unappraised_unit_refuses_the_group_names_it_and_keeps_the_typed_form():
    world = group_world(3)
    world.sheets[1].status = Status.SUBMITTED
    world.sheets[1].save()
    client = logged_in(world.home_affairs)

    shown = client.get(url(world))
    posted = client.post(url(world), FORM)

    assert shown.status_code == posted.status_code == 409
    page = posted.content.decode()
    assert (
        "Chưa công bố được cả khối: 1 đơn vị chưa sẵn sàng, danh sách bên dưới. "
        "Chưa công bố đơn vị nào."
    ) in page
    assert page.count("chưa hoàn tất thẩm định (trạng thái «Đã gửi thẩm định»)") == 1
    assert (
        '<li data-unit="HT-X002"><strong>Xã Số 2</strong> (HT-X002): chưa hoàn tất thẩm định'
    ) in page
    # The ready units are not said to be published while the khối cannot be.
    assert "sẽ công bố" not in page and page.count(">sẵn sàng</td>") == 2
    assert 'value="9471/QĐ-UBND"' in page and 'value="26/12/2023"' in page
    assert "Công bố 2 đơn vị</button>" not in shown.content.decode()
    assert statuses(world) == [Status.APPRAISED, Status.SUBMITTED, Status.APPRAISED]
    assert not PublicationDecision.objects.exists()


@pytest.mark.parametrize(
    ("signed_on", "message"),
    [
        ("31/02/2023", "Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
        ("", "Cần nhập ngày ký."),
        ("01/01/2099", "Ngày ký 01/01/2099 chưa đến; hãy nhập ngày đã ký quyết định."),
    ],
)
def test_a_bad_signing_date_is_reported_on_its_field_and_nothing_is_published(signed_on, message):
    world = group_world(2)

    response = logged_in(world.home_affairs).post(url(world), FORM | {"signed_on": signed_on})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'value="9471/QĐ-UBND"' in response.content.decode()
    assert statuses(world) == [Status.APPRAISED] * 2


def test_the_decision_of_a_group_already_published_is_recorded_then_corrected():
    world = group_world(2)
    for sheet in world.sheets:
        sheet.status = Status.PUBLISHED
        sheet.save()
    client = logged_in(world.admin)
    assert "Ghi nhận quyết định</button>" in client.get(url(world)).content.decode()

    client.post(url(world), FORM)
    page = client.get(url(world)).content.decode()
    response = client.post(url(world), FORM | {"number": "9480/QĐ-UBND"})

    assert "Đã ghi nhận: Quyết định số 9471/QĐ-UBND ngày 26/12/2023 của UBND huyện Thử" in page
    assert 'value="9471/QĐ-UBND"' in page  # the form corrects the recorded decision
    assert PublicationDecision.objects.get().number == "9480/QĐ-UBND"
    assert not AssessmentEvent.objects.exists()
    assert "cả 2 đơn vị đã công bố trước đó" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("who", ["unit_user", "other_district_home_affairs"])
def test_the_unit_and_another_districts_home_affairs_are_refused(who):
    world = group_world(2)
    client = logged_in(getattr(world, who))

    assert client.get(url(world)).status_code == 403
    assert client.post(url(world), FORM).status_code == 403
    assert statuses(world) == [Status.APPRAISED] * 2
    assert not PublicationDecision.objects.exists()


def test_home_affairs_covering_part_of_the_group_reads_why_it_is_refused():
    world = group_world(2)
    world.sheets[1].unit.parent = world.far_district
    world.sheets[1].unit.save()

    response = logged_in(world.home_affairs).post(url(world), FORM)

    assert response.status_code == 403
    assert "có 1 đơn vị ngoài phạm vi quản lý của bạn" in response.content.decode()
    assert statuses(world) == [Status.APPRAISED] * 2


def test_without_a_group_and_year_the_page_sends_back_to_the_ranking():
    world = group_world(1)
    client = logged_in(world.home_affairs)

    response = client.get("/xep-hang/cong-bo/?khoi=x")
    empty = client.get(f"/xep-hang/cong-bo/?khoi={world.group.pk}&nam=2030")

    assert response["Location"] == empty["Location"] == "/xep-hang/"
    page = client.get("/xep-hang/").content.decode()
    assert "Khối xã, thị trấn huyện Thử không có kết quả đánh giá nào năm 2030." in page


def test_the_page_refuses_other_methods():
    world = group_world(1)
    assert logged_in(world.home_affairs).put(url(world)).status_code == 405


def test_the_confirmation_takes_the_same_queries_at_two_sizes():
    world = group_world(3)
    client = logged_in(world.home_affairs)
    with CaptureQueriesContext(connection) as few:
        client.get(url(world))
    add_sheets(world, 20)

    with CaptureQueriesContext(connection) as many:
        page = client.get(url(world)).content.decode()

    assert '<strong data-count="units">23</strong>' in page
    assert len(many) == len(few) <= 14
