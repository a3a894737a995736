import pytest
from django.urls import reverse

from scoring.models import Role
from tests.factories import user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks
from tests.remediation.pdfs import all_text, read

pytestmark = pytest.mark.django_db


@pytest.mark.pdf
def test_plan_pdf_download_is_the_renderer_output(client, django_assert_max_num_queries):
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 2)
    client.force_login(user_with_role(Role.UNIT, commune))

    with django_assert_max_num_queries(20):
        response = client.get(reverse("remediation:pdf", args=[plan.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert 'filename="ke-hoach-khac-phuc-H1-X1-2023.pdf"' in response["Content-Disposition"]
    text = all_text(read(response.content))
    assert "XÃ THỬ MỘT" in text
    assert "Tiêu chí 1.1: đạt 0,5/1 điểm, bị trừ 0,5 điểm;" in text
    assert "PHỤ LỤC" not in text  # the drafted tasks say nothing beyond their criteria


@pytest.mark.parametrize("name", ["remediation:pdf", "remediation:report_pdf"])
def test_without_the_system_libraries_the_download_names_the_packages(client, monkeypatch, name):
    monkeypatch.setattr("cchc.pdf.missing_library", lambda: "Pango")
    _, commune = district_with_commune()
    plan = plan_with_tasks(commune, 1)
    client.force_login(user_with_role(Role.UNIT, commune))

    response = client.get(reverse(name, args=[plan.pk]))

    assert response.status_code == 503
    assert response.content.decode() == (
        "Máy chủ thiếu thư viện Pango nên chưa tạo được PDF; "
        "cần cài các gói: libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0."
    )
