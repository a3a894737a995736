"""The analysis report from the dashboard: PDF and .docx of An Lão 2021 with seed 002's
figures; links for published results only; scoped as the dashboard is."""

import io
from datetime import date

import pytest
from django.urls import reverse

from scoring.demo import AN_LAO, CAM_SON
from scoring.models import Assessment, AssessmentStatus, PublicationDecision, Role, Unit
from tests.factories import load_demo_data, user_with_role
from tests.remediation.pdfs import A4, all_text, read, size

pytestmark = pytest.mark.django_db

DOWNLOADS = ["scoring:analysis_report_pdf", "scoring:analysis_report_docx"]


@pytest.fixture
def an_lao(db) -> Unit:
    load_demo_data()
    unit = Unit.objects.get(code=AN_LAO)
    PublicationDecision.objects.create(
        group=unit.ranking_group,
        year=2021,
        number="313/QĐ-UBND",
        signed_on=date(2022, 1, 26),
        issuer="UBND tỉnh Bình Định",
        subject="công bố kết quả Chỉ số cải cách hành chính năm 2021",
        recorded_by=user_with_role(Role.HOME_AFFAIRS, username="noivu"),
    )
    return unit


@pytest.fixture
def an_lao_client(client, an_lao):
    client.force_login(user_with_role(Role.UNIT, an_lao))
    return client


def docx_text(data: bytes) -> str:
    from docx import Document

    word = Document(io.BytesIO(data))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return " ".join([p.text for p in word.paragraphs] + cells)


FIGURES = [
    "84,31/100 điểm",
    "tăng 0,96 điểm và giảm 02 bậc so với năm 2020, xếp thứ 3/11",
    "Kết quả thẩm định các lĩnh vực đạt 50,42/60 điểm",
    "Kết quả điều tra xã hội học đạt 33,89/40 điểm",
    "Kết quả năm 2021, lĩnh vực đạt 6,99/10 điểm, bị trừ 3,01 điểm",
    "Công tác rà soát thủ tục hành chính: đạt 0/2 điểm",
    "Thực hiện cơ chế một cửa, một cửa liên thông: đạt 0,5/1,5 điểm",
    "Kết quả giải quyết TTHC (cấp huyện, cấp xã): đạt 2,99/3 điểm",
    "Căn cứ Quyết định số 313/QĐ-UBND ngày 26/01/2022 của UBND tỉnh Bình Định",
]


@pytest.mark.pdf
def test_the_pdf_has_seed_002s_figures(an_lao_client, an_lao):
    response = an_lao_client.get(reverse("scoring:analysis_report_pdf", args=[an_lao.pk, 2021]))

    assert response["Content-Type"] == "application/pdf"
    assert 'filename="bao-cao-chi-so-cchc-BD-AL-2021.pdf"' in response["Content-Disposition"]
    reader = read(response.content)
    assert size(reader.pages[0]) == pytest.approx(A4, abs=0.5)
    text = all_text(reader)
    assert "HUYỆN AN LÃO" in text and "/BC-UBND" in text
    assert "Kết quả rà soát, đánh giá Chỉ số cải cách hành chính huyện An Lão năm 2021" in text
    for figure in FIGURES:
        assert figure in text
    assert reader.metadata.author == "Ủy ban nhân dân huyện An Lão"


def test_the_docx_has_the_same_figures(an_lao_client, an_lao):
    response = an_lao_client.get(reverse("scoring:analysis_report_docx", args=[an_lao.pk, 2021]))

    assert response["Content-Type"].endswith("wordprocessingml.document")
    text = docx_text(response.content)
    for figure in FIGURES:
        assert figure in text
    assert "3 Cải cách thủ tục hành chính 10 6,99 3,01" in " ".join(text.split())


def test_the_dashboard_links_the_published_years_report(an_lao_client, an_lao):
    response = an_lao_client.get(reverse("scoring:dashboard", args=[an_lao.pk]), {"nam": 2021})

    page = response.content.decode()
    assert reverse("scoring:analysis_report_pdf", args=[an_lao.pk, 2021]) in page
    assert reverse("scoring:analysis_report_docx", args=[an_lao.pk, 2021]) in page


@pytest.mark.parametrize("name", DOWNLOADS)
def test_an_unpublished_result_has_no_link_and_no_report(client, an_lao, name):
    Assessment.objects.filter(unit=an_lao, year=2021).update(status=AssessmentStatus.APPRAISED)
    client.force_login(user_with_role(Role.HOME_AFFAIRS, an_lao.parent, username="nv"))

    page = client.get(reverse("scoring:dashboard", args=[an_lao.pk]), {"nam": 2021})
    response = client.get(reverse(name, args=[an_lao.pk, 2021]))

    assert reverse(name, args=[an_lao.pk, 2021]) not in page.content.decode()
    assert response.status_code == 403
    assert "chưa được công bố" in response.content.decode()


@pytest.mark.parametrize("name", DOWNLOADS)
def test_another_units_report_is_refused(client, an_lao, name):
    client.force_login(user_with_role(Role.UNIT, Unit.objects.get(code=CAM_SON)))

    assert client.get(reverse(name, args=[an_lao.pk, 2021])).status_code == 403


@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_year_without_a_result_is_not_found(an_lao_client, an_lao, name):
    assert an_lao_client.get(reverse(name, args=[an_lao.pk, 2019])).status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_only_get_is_allowed(an_lao_client, an_lao, name):
    assert an_lao_client.post(reverse(name, args=[an_lao.pk, 2021])).status_code == 405


def test_the_docx_download_reads_in_a_fixed_number_of_queries(
    an_lao_client, an_lao, django_assert_max_num_queries
):
    url = reverse("scoring:analysis_report_docx", args=[an_lao.pk, 2021])
    with django_assert_max_num_queries(14):
        response = an_lao_client.get(url)

    assert response.status_code == 200
