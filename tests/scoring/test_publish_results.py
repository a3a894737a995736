"""`manage.py publish_results`: the group page as a command, errors in Vietnamese."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from scoring.models import AssessmentEvent, AssessmentStatus, PublicationDecision
from tests.scoring.publication_setup import GROUP_NAME, YEAR, group_world, statuses

pytestmark = pytest.mark.django_db
Status = AssessmentStatus


def run(*extra: str, user: str = "noivu.thu", date_: str = "26/12/2023") -> str:
    out = StringIO()
    call_command(
        "publish_results",
        "--group",
        GROUP_NAME,
        "--year",
        str(YEAR),
        "--decision",
        "9471/QĐ-UBND",
        "--date",
        date_,
        "--user",
        user,
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_the_command_publishes_the_group_under_the_decision():
    world = group_world(3)

    out = run("--signer", "Lê Văn Nam")

    assert out.strip() == (
        "Đã công bố kết quả 3 đơn vị của Khối xã, thị trấn huyện Thử năm 2023 theo Quyết "
        "định số 9471/QĐ-UBND ngày 26/12/2023."
    )
    assert statuses(world) == [Status.PUBLISHED] * 3
    assert set(AssessmentEvent.objects.values_list("user__username", flat=True)) == {"noivu.thu"}
    decision = PublicationDecision.objects.get()
    assert (decision.signed_on, decision.issuer, decision.signer_name, decision.subject) == (
        date(2023, 12, 26),
        "UBND huyện Thử",
        "Lê Văn Nam",
        "phê duyệt Chỉ số cải cách hành chính năm 2023",
    )
    assert decision.recorded_by == world.home_affairs


def test_the_command_takes_the_issuer_given():
    group_world(1)

    run("--issuer", "UBND tỉnh Thử", user="quantri")

    assert PublicationDecision.objects.get().issuer == "UBND tỉnh Thử"


def test_the_command_refuses_the_group_while_a_unit_is_unappraised():
    world = group_world(2)
    world.sheets[0].status = Status.DRAFT
    world.sheets[0].save()

    with pytest.raises(CommandError) as refused:
        run()

    assert str(refused.value) == (
        "Chưa công bố được cả khối: 1 đơn vị chưa sẵn sàng (Xã Số 1: chưa hoàn tất thẩm định "
        "(trạng thái «Đang tự đánh giá»)). Chưa công bố đơn vị nào."
    )
    assert statuses(world) == [Status.DRAFT, Status.APPRAISED]
    assert not PublicationDecision.objects.exists()


@pytest.mark.parametrize(
    ("date_", "message"),
    [
        ("2023-13-26", "Ngày ký: Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
        ("31/02/2023", "Ngày ký: Ngày không hợp lệ; hãy nhập theo dạng dd/mm/yyyy."),
        ("01/06/2022", "Ngày ký: Quyết định công bố kết quả năm 2023 không thể ký trước năm 2023."),
    ],
)
def test_a_bad_date_is_refused_in_vietnamese_and_nothing_is_published(date_, message):
    world = group_world(2)

    with pytest.raises(CommandError) as refused:
        run(date_=date_)

    assert str(refused.value) == message
    assert statuses(world) == [Status.APPRAISED] * 2


@pytest.mark.parametrize(
    ("user", "message"),
    [
        ("xa.so1", "Chỉ cán bộ Nội vụ hoặc quản trị viên được công bố kết quả cả khối."),
        ("noivu.xa", "Bạn không có quyền công bố kết quả của khối này."),
        ("khong.co", "Không có tài khoản đang hoạt động tên «khong.co»."),
    ],
)
def test_the_command_is_refused_to_whoever_may_not_publish_the_group(user, message):
    world = group_world(2)

    with pytest.raises(CommandError) as refused:
        run(user=user)

    assert str(refused.value) == message
    assert statuses(world) == [Status.APPRAISED] * 2


@pytest.mark.parametrize(
    ("group", "year", "message"),
    [
        ("Khối Không Có", "2023", "Không có khối xếp hạng tên «Khối Không Có»."),
        (GROUP_NAME, "2030", f"{GROUP_NAME} không có kết quả đánh giá nào năm 2030."),
    ],
)
def test_an_unknown_group_or_a_year_without_results_is_named(group, year, message):
    group_world(1)

    with pytest.raises(CommandError) as refused:
        call_command(
            "publish_results",
            *("--group", group, "--year", year, "--decision", "1/QĐ-UBND"),
            *("--date", "26/12/2030", "--user", "quantri"),
        )

    assert str(refused.value) == message
