from datetime import date
from decimal import Decimal

import pytest

from remediation.deadlines import budget_amount, due_date
from remediation.services import task_update

WORK_YEAR = 2024


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Quý II/2022", date(2022, 6, 30)),
        ("Quý I/2022", date(2022, 3, 31)),
        ("Quý II, III/2022", date(2022, 9, 30)),
        ("Quý III, IV/2022", date(2022, 12, 31)),
        ("Quý IV/ 2022", date(2022, 12, 31)),
        ("Quý III", date(2024, 9, 30)),
        ("01/2022", date(2022, 1, 31)),
        ("02/2024", date(2024, 2, 29)),
        ("Tháng 2 đến tháng 7 năm 2022", date(2022, 7, 31)),
        ("Tháng 2\nđến\ntháng 7\nnăm 2022", date(2022, 7, 31)),
        ("Năm 2024", date(2024, 12, 31)),
        ("năm 2025.", date(2025, 12, 31)),
        ("Cả năm", date(2024, 12, 31)),
        ("15/3/2024", date(2024, 3, 15)),
        ("Thường xuyên", None),
        ("Theo KH của tỉnh", None),
        ("Khi có quy định mới", None),
        ("Thực hiện theo lộ trình của Trung ương, tỉnh", None),
        ("", None),
        ("31/02/2024", None),
    ],
)
def test_deadline_phrases_give_the_end_of_the_last_period_named(phrase, expected):
    assert due_date(phrase, WORK_YEAR) == expected


def test_decomposed_unicode_is_read_like_composed():
    decomposed = "Qu\u0079\u0301 II/2022"  # "ý" as y + combining acute

    assert due_date(decomposed, WORK_YEAR) == date(2022, 6, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30", Decimal(30)),
        ("0", Decimal(0)),
        ("27 triệu đồng/đơn vị", Decimal(27)),
        ("2,5", Decimal("2.5")),
        ("2.5", Decimal("2.5")),
        ("1.500", Decimal(1500)),
        ("Theo dự toán được cấp", None),
        ("Theo dự toán riêng", None),
        ("Theo quy định pháp luật", None),
        ("", None),
    ],
)
def test_budgets_are_amounts_in_trieu_dong_or_a_basis(text, expected):
    assert budget_amount(text) == expected


@pytest.mark.django_db
def test_a_corrected_due_date_is_kept_until_the_user_clears_it(cam_son_plan):
    task = cam_son_plan.tasks.first()

    task_update(task=task, data={"deadline": "Quý II/2024", "due_date": date(2024, 7, 15)})
    assert task.due_date == date(2024, 7, 15)
    assert "due_date" in task.edited_fields

    task_update(task=task, data={"deadline": "Quý III/2024"})
    assert task.due_date == date(2024, 7, 15)

    task_update(task=task, data={"deadline": "Quý III/2024", "due_date": None})
    assert task.due_date == date(2024, 9, 30)
    assert "due_date" not in task.edited_fields


@pytest.mark.django_db
def test_open_ended_deadlines_have_no_due_date_and_are_never_overdue(cam_son_plan):
    task = cam_son_plan.tasks.first()

    task_update(task=task, data={"deadline": "Thường xuyên"})

    assert task.due_date is None
    assert not task.is_overdue(date(2030, 1, 1))
