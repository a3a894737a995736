import pytest
from django.urls import reverse

from scoring.models import Role
from tests.factories import user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.pdfs import all_text, needs_weasyprint, read

pytestmark = pytest.mark.django_db


def test_plan_pdf_download_is_the_renderer_output(client):
    needs_weasyprint()
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 2)
    client.force_login(user_with_role(Role.UNIT, commune))

    response = client.get(reverse("remediation:pdf", args=[plan.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ke-hoach-khac-phuc-H1-X1-2023.pdf"' in response["Content-Disposition"]
    text = all_text(read(response.content))
    assert "XÃ THỬ MỘT" in text
    assert "Tiêu chí 1.1: đạt 0,5/1 điểm, bị trừ 0,5 điểm" in text
