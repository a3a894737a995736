import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from scoring.models import Assessment, ScoringCalendar
from tests.cycles.world import make_province

pytestmark = pytest.mark.django_db

ARGS = ["--year", "2025", "--self-assessment-closes", "30/06/2025"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("open_cycle", *args, stdout=out)
    return out.getvalue()


def test_the_command_opens_the_cycle_and_lists_what_it_could_not_open():
    make_province()
    out = run("--unit", "T-H1", *ARGS, "--appraisal-closes", "31/07/2025", "--rounds", "2")

    assert out.splitlines() == [
        "Kỳ đánh giá năm 2025 của Huyện Một: đã tạo lịch (hạn tự đánh giá 30/06/2025, "
        "hạn thẩm định 31/07/2025, hai vòng (thẩm định, giải trình, thẩm định lại)). "
        "Đã mở 2 phiếu mới, 0 đơn vị đã mở từ trước, 1 đơn vị chưa mở được.",
        "  Đã mở: T-H1-A000 Xã A0",
        "  Đã mở: T-H1-A001 Xã A1",
        "Chưa mở được:",
        "  T-H1-Z Xã Chưa Có Khối: Đơn vị chưa thuộc khối xếp hạng nào; hãy chọn khối cho "
        "đơn vị rồi mở lại kỳ.",
    ]
    calendar = ScoringCalendar.objects.get()
    assert (calendar.unit.code, calendar.appraisal_closes, calendar.appraisal_rounds) == (
        "T-H1",
        date(2025, 7, 31),
        2,
    )


def test_the_command_run_again_moves_the_dates_and_keeps_the_rounds():
    make_province()
    run("--unit", "T-H1", *ARGS, "--appraisal-closes", "31/07/2025", "--rounds", "2")
    out = run("--unit", "T-H1", *ARGS, "--appraisal-closes", "15/08/2025")

    assert out.splitlines()[0] == (
        "Kỳ đánh giá năm 2025 của Huyện Một: đã dời lịch (hạn tự đánh giá 30/06/2025, "
        "hạn thẩm định 15/08/2025, hai vòng (thẩm định, giải trình, thẩm định lại)). "
        "Đã mở 0 phiếu mới, 2 đơn vị đã mở từ trước, 1 đơn vị chưa mở được."
    )
    assert Assessment.objects.count() == 2


def test_the_command_reads_dates_as_the_forms_do():
    make_province()
    run("--unit", "T-H1", *ARGS, "--appraisal-closes", "2025-07-31")

    assert ScoringCalendar.objects.get().appraisal_closes == date(2025, 7, 31)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--unit", "T-H1", *ARGS, "--appraisal-closes", "cuối tháng 7"],
            "Ngày «cuối tháng 7» không hợp lệ; hãy viết theo dạng dd/mm/yyyy, ví dụ 31/12/2030. "
            "Chưa ghi gì vào cơ sở dữ liệu.",
        ),
        (
            ["--unit", "T-H1", *ARGS, "--appraisal-closes", "31/02/2025"],
            "Ngày «31/02/2025» không hợp lệ; hãy viết theo dạng dd/mm/yyyy, ví dụ 31/12/2030. "
            "Chưa ghi gì vào cơ sở dữ liệu.",
        ),
        (
            ["--unit", "KHONG-CO", *ARGS, "--appraisal-closes", "31/07/2025"],
            "Không có đơn vị mã «KHONG-CO». Chưa ghi gì vào cơ sở dữ liệu.",
        ),
        (
            ["--unit", "T-H1", *ARGS, "--appraisal-closes", "01/06/2025"],
            "Hạn thẩm định không được trước hạn tự đánh giá. Chưa ghi gì vào cơ sở dữ liệu.",
        ),
        (
            ["--unit", "T-X", *ARGS, "--appraisal-closes", "31/07/2025"],
            "Đơn vị cấp xã không có đơn vị trực thuộc nên không mở kỳ đánh giá. "
            "Chưa ghi gì vào cơ sở dữ liệu.",
        ),
    ],
)
def test_the_command_refuses_bad_input_in_vietnamese_and_writes_nothing(args, message):
    make_province()
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert str(refused.value) == message
    assert (ScoringCalendar.objects.count(), Assessment.objects.count()) == (0, 0)
