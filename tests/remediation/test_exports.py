"""The plan's task workbook gives every typed text as text, never as a live formula."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from remediation.models import Task
from scoring.models import Role
from tests.factories import FORMULA_TEXTS, user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks

pytestmark = pytest.mark.django_db
TEXT_COLUMNS = ("objective", "name", "activities", "output", "lead", "coordinators", "budget")


def test_task_texts_that_look_like_formulae_are_written_as_text(client):
    commune = district_with_commune()[1]
    plan = plan_with_tasks(commune, len(FORMULA_TEXTS))
    tasks = list(plan.tasks.order_by("pk"))
    for task, text in zip(tasks, FORMULA_TEXTS, strict=True):
        Task.objects.filter(pk=task.pk).update(
            **dict.fromkeys(TEXT_COLUMNS, text), budget_amount=Decimal("-2.5")
        )
    client.force_login(user_with_role(Role.UNIT, commune))

    response = client.get(reverse("remediation:xlsx", args=[plan.pk]))

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"] == []
    header, *rows, total = [[cell.value for cell in row] for row in sheet.iter_rows()]

    # The tasks come in the plan's order. Whether a carriage return reads back as a line
    # feed depends on the XML parser openpyxl finds (lxml keeps it), so both are folded.
    def folded(text: str) -> str:
        return text.replace("\r", "\n")

    expected = sorted(folded(f"'{text}") for text in FORMULA_TEXTS)
    for column in ("Mục tiêu/Chỉ tiêu", "Nhiệm vụ", "Hoạt động", "Chủ trì", "Kinh phí"):
        assert sorted(folded(row[header.index(column)]) for row in rows) == expected
    assert [row[header.index("Kinh phí (triệu đồng)")] for row in rows] == [-2.5] * len(rows)
    assert total[12] == -15
