"""The year's analysis report of huyện An Lão 2021 against seed 002's figures: 84,31/100,
50,42 + 33,89, 3rd of 11 after 1st, field 3 at 6,99/10 with 3.1 0/2, 3.2 0,5/1,5 and
3.3 2,99/3; and only of a published result."""

from datetime import date

import pytest

from cchc.documents.model import Heading, Paragraph, Table
from scoring.demo import AN_LAO
from scoring.models import Assessment, AssessmentStatus, PublicationDecision, Role, UnitLevel
from scoring.reports.analysis import UnpublishedResult, analysis_document_model
from tests.factories import (
    AssessmentFactory,
    UnitFactory,
    build_framework,
    load_demo_data,
    score_assessment,
    user_with_role,
)

pytestmark = pytest.mark.django_db

CITATION = (
    "Căn cứ Quyết định số 313/QĐ-UBND ngày 26/01/2022 của UBND tỉnh Bình Định về việc công "
    "bố kết quả Chỉ số cải cách hành chính năm 2021 của các cơ quan, đơn vị, địa phương;"
)


@pytest.fixture
def an_lao(db) -> Assessment:
    load_demo_data()
    return Assessment.objects.select_related("unit", "ranking_group").get(
        unit__code=AN_LAO, year=2021
    )


@pytest.fixture
def decision(an_lao) -> PublicationDecision:
    return PublicationDecision.objects.create(
        group=an_lao.ranking_group,
        year=2021,
        number="313/QĐ-UBND",
        signed_on=date(2022, 1, 26),
        issuer="UBND tỉnh Bình Định",
        subject="công bố kết quả Chỉ số cải cách hành chính năm 2021 của các cơ quan, đơn vị, "
        "địa phương",
        recorded_by=user_with_role(Role.HOME_AFFAIRS),
    )


def texts_of(document) -> list[str]:
    return [b.text for b in document.body if isinstance(b, Heading | Paragraph)]


def test_the_header_is_the_district_ubnds_with_no_supervising_line(an_lao, decision):
    document = analysis_document_model(an_lao)

    header = document.header
    assert header.issuer_lines == ("ỦY BAN NHÂN DÂN", "HUYỆN AN LÃO")
    assert header.supervising_agency == ""
    assert header.number_line.startswith("Số: ") and header.number_line.endswith("/BC-UBND")
    assert header.dated_line.startswith("An Lão, ngày") and header.dated_line.endswith("2022")
    assert (header.kind, header.summary) == (
        "BÁO CÁO",
        "Kết quả rà soát, đánh giá Chỉ số cải cách hành chính huyện An Lão năm 2021",
    )
    assert document.metadata.author == "Ủy ban nhân dân huyện An Lão"
    assert "huyện An Lão năm 2021" in document.metadata.title
    assert document.metadata.created == date(2022, 1, 26)
    assert document.signoff.recipients == ("UBND tỉnh Bình Định", "Sở Nội vụ", "Lưu: VT")
    assert (document.signoff.authority, document.signoff.position) == (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    )


def test_the_legal_basis_cites_the_publication_decision(an_lao, decision):
    basis, opening = document_paragraphs(an_lao)[:2]

    assert (basis.style, basis.text) == ("basis", CITATION)
    assert opening.text.startswith(
        "Trên cơ sở kết quả Chỉ số cải cách hành chính (CCHC) năm 2021 được UBND tỉnh Bình "
        "Định công bố ngày 26/01/2022, UBND huyện An Lão tiến hành phân tích, rà soát"
    )


def document_paragraphs(assessment) -> list[Paragraph]:
    return [b for b in analysis_document_model(assessment).body if isinstance(b, Paragraph)]


def test_without_a_recorded_decision_nothing_is_cited(an_lao):
    paragraphs = document_paragraphs(an_lao)

    assert paragraphs[0].style == "body"
    assert "năm 2021 được công bố, UBND huyện An Lão" in paragraphs[0].text


def test_the_total_parts_rank_change_and_classification_are_seed_002s(an_lao, decision):
    texts = texts_of(analysis_document_model(an_lao))

    start = texts.index("I. KẾT QUẢ CHUNG")
    assert texts[start + 1 : start + 4] == [
        "Kết quả Chỉ số CCHC năm 2021 của huyện An Lão đạt 84,31/100 điểm, chỉ số 84,31%, "
        "tăng 0,96 điểm và giảm 02 bậc so với năm 2020, xếp thứ 3/11 trong khối huyện, thị "
        "xã, thành phố tỉnh Bình Định, xếp loại Tốt, cụ thể:",
        "Kết quả thẩm định các lĩnh vực đạt 50,42/60 điểm;",
        "Kết quả điều tra xã hội học đạt 33,89/40 điểm.",
    ]


def test_the_field_table_has_code_title_max_achieved_and_deducted(an_lao, decision):
    (table,) = [b for b in analysis_document_model(an_lao).body if isinstance(b, Table)]

    assert [c.title for c in table.columns] == [
        "Mã",
        "Lĩnh vực",
        "Điểm tối đa",
        "Điểm đạt",
        "Điểm bị trừ",
    ]
    rows = {row.cells[0]: row.cells for row in table.rows}
    assert rows["3"] == ("3", "Cải cách thủ tục hành chính", "10", "6,99", "3,01")
    assert rows["8"][2:] == ("40", "33,89", "6,11")
    assert (table.rows[-1].kind, table.rows[-1].cells) == (
        "total",
        ("", "Tổng cộng", "100", "84,31", "15,69"),
    )
    assert [row.cells[0] for row in table.rows[:-1]] == [str(n) for n in range(1, 9)]


def test_each_field_says_its_points_and_what_was_lost_and_why(an_lao, decision):
    texts = texts_of(analysis_document_model(an_lao))

    start = texts.index("3. Cải cách thủ tục hành chính")
    field_3 = texts[start + 1 : start + 7]
    assert field_3[0] == (
        "Kết quả năm 2021, lĩnh vực đạt 6,99/10 điểm, bị trừ 3,01 điểm; các tiêu chí bị trừ "
        "điểm gồm:"
    )
    assert field_3[1].startswith("Tiêu chí 3.1. Công tác rà soát thủ tục hành chính: đạt 0/2")
    assert "Trong năm UBND huyện chưa thực hiện việc đăng ký" in field_3[1]
    assert field_3[2].startswith("Tiêu chí 3.2. Thực hiện cơ chế một cửa, một cửa liên thông: ")
    assert "đạt 0,5/1,5 điểm, bị trừ 1 điểm" in field_3[2]
    # 3.2 lost points for two reasons: each is a line under it.
    assert field_3[3].startswith("Huyện chưa ban hành Quy chế phối hợp giải quyết")
    assert field_3[4].startswith("Việc cập nhật hồ sơ TTHC vào phần mềm một cửa điện tử")
    assert field_3[5].startswith("Tiêu chí 3.3. Kết quả giải quyết TTHC (cấp huyện, cấp xã): ")
    assert "đạt 2,99/3 điểm, bị trừ 0,01 điểm" in field_3[5]
    assert [line[-1] for line in field_3[1:]] == [";", ":", ";", ";", "."]
    assert "Kết quả năm 2021, lĩnh vực đạt 5/5 điểm." in texts  # field 2, nothing lost


def test_fields_are_numbered_by_their_framework_code(an_lao, decision):
    document = analysis_document_model(an_lao)

    headings = [b.text for b in document.body if isinstance(b, Heading) and b.level == 2]
    assert [h.split(".")[0] for h in headings] == [str(n) for n in range(1, 9)]
    assert headings[7] == "8. Tác động của cải cách hành chính – điều tra xã hội học"


@pytest.mark.parametrize("status", [AssessmentStatus.APPRAISED, AssessmentStatus.DRAFT])
def test_an_unpublished_result_has_no_report(an_lao, status):
    an_lao.status = status

    with pytest.raises(UnpublishedResult, match="chưa được công bố"):
        analysis_document_model(an_lao)


def test_the_report_reads_in_a_fixed_number_of_queries(
    an_lao, decision, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        analysis_document_model(an_lao)


def test_a_departments_report_names_its_ubnd_above_it_and_its_director_signs():
    province = UnitFactory(code="T", name="Tỉnh Thử", level=UnitLevel.PROVINCE)
    department = UnitFactory(
        code="T-NV", name="Sở Nội vụ", level=UnitLevel.DEPARTMENT, parent=province
    )
    framework = build_framework([("1", None, "2"), ("1.1", "1", "2")])
    assessment = AssessmentFactory(unit=department, framework=framework, year=2023)
    score_assessment(assessment, {"1.1": "2"})

    document = analysis_document_model(assessment)

    assert document.header.supervising_agency == "UBND TỈNH THỬ"
    assert document.header.issuer_lines == ("SỞ NỘI VỤ",)
    assert document.header.number_line.endswith("/BC")
    assert (document.signoff.authority, document.signoff.position) == ("", "GIÁM ĐỐC")
    assert document.signoff.recipients == ("UBND tỉnh Thử", "Sở Nội vụ", "Lưu: VT")
    assert "Kết quả năm 2023, lĩnh vực đạt 2/2 điểm." in texts_of(document)
