"""The plan as Word (.docx) from the same document model as the PDF, its download and
`render_plan --format docx`: read back with python-docx."""

import io
from datetime import date
from io import StringIO

import docx
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from remediation.documents import plan_docx
from remediation.services import plan_draft
from scoring.models import Role, Unit
from tests.factories import UnitFactory, user_with_role
from tests.remediation.builders import district_with_commune, plan_with_tasks

pytestmark = pytest.mark.django_db
ON = date(2024, 3, 1)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def word(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_cam_son_docx_has_the_header_the_field_table_and_the_lost_criteria(cam_son_plan):
    document = word(plan_docx(cam_son_plan, ON))
    header = [[cell.text.strip() for cell in row.cells] for row in document.tables[0].rows]
    fields = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    text = body_text(document)

    assert header[0] == [
        "ỦY BAN NHÂN DÂN\nXÃ CẨM SƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
    ]
    assert header[1][0].replace("\xa0", " ").split() == ["Số:", "/KH-UBND"]
    assert "UBND HUYỆN CẨM XUYÊN" not in text
    assert fields[0] == ["TT", "Nội dung", "Điểm tối đa", "Điểm thẩm định", "Điểm bị trừ"]
    assert fields[1] == ["1", "Chỉ đạo điều hành", "11", "9,13", "1,87"]
    assert fields[7][2:] == ["20", "14,27", "5,73"]
    assert fields[-1][1:] == ["Tổng điểm", "100", "85,08", "14,92"]
    assert "1.1. Điểm số bị trừ: 1,87 điểm, trong đó:" in text
    assert "Tiêu chí 1.3. Đổi mới, sáng tạo trong triển khai nhiệm vụ CCHC: đạt 0,5/2 điểm" in text
    assert "……" not in text and "..." not in text


def test_the_docx_keeps_the_page_and_fonts_of_nghi_dinh_30(cam_son_plan):
    document = word(plan_docx(cam_son_plan, ON))
    page = document.sections[0]
    normal = document.styles["Normal"].font

    assert (round(page.page_width.mm), round(page.page_height.mm)) == (210, 297)
    assert 20 <= round(page.top_margin.mm) <= 25 and 20 <= round(page.bottom_margin.mm) <= 25
    assert 30 <= round(page.left_margin.mm) <= 35 and 15 <= round(page.right_margin.mm) <= 20
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    assert document.core_properties.author == "Ủy ban nhân dân xã Cẩm Sơn"
    assert document.core_properties.title.endswith("năm 2023 - Xã Cẩm Sơn")


def test_an_lao_docx_is_worded_for_a_district(demo):
    plan = plan_draft(unit=Unit.objects.get(code="BD-AL"), year=2021)
    text = body_text(word(plan_docx(plan, ON)))

    assert "UBND huyện xây dựng Kế hoạch khắc phục" in text
    assert "(qua Phòng Nội vụ)" in text
    assert "3.1. Điểm số bị trừ: 3,01 điểm, trong đó:" in text
    assert "HUYỆN AN LÃO" in text


@pytest.fixture
def commune_plan():
    _, commune = district_with_commune()
    return commune, plan_with_tasks(commune, 2)


def test_the_docx_download_is_the_plan_in_word(client, commune_plan, django_assert_max_num_queries):
    commune, plan = commune_plan
    client.force_login(user_with_role(Role.UNIT, commune))
    page = client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()
    link = reverse("remediation:docx", args=[plan.pk])
    assert f'<a class="button" href="{link}" data-download>Tải Word kế hoạch</a>' in page

    with django_assert_max_num_queries(20):
        response = client.get(reverse("remediation:docx", args=[plan.pk]))

    assert response["Content-Type"] == DOCX
    assert 'filename="ke-hoach-khac-phuc-H1-X1-2023.docx"' in response["Content-Disposition"]
    text = body_text(word(response.content))
    assert "XÃ THỬ MỘT" in text
    assert "Tiêu chí 1.1: đạt 0,5/1 điểm, bị trừ 0,5 điểm;" in text


def test_the_docx_download_refuses_another_unit_and_a_post(client, commune_plan):
    district, plan = commune_plan
    other = UnitFactory(code="H2", name="Huyện Khác")
    client.force_login(user_with_role(Role.UNIT, other, username="khac"))
    url = reverse("remediation:docx", args=[plan.pk])

    assert client.get(url).status_code == 403
    assert client.get(reverse("remediation:docx", args=[plan.pk + 999])).status_code == 404
    client.force_login(user_with_role(Role.UNIT, district, username="xa"))
    assert client.post(url).status_code == 405


def test_render_plan_writes_word_by_the_suffix_or_the_format(demo, tmp_path):
    out = StringIO()
    target = tmp_path / "ke-hoach.docx"
    call_command("render_plan", unit="HT-CX-CS", year=2023, output=str(target), stdout=out)

    assert "Đã ghi" in out.getvalue()
    assert "XÃ CẨM SƠN" in body_text(word(target.read_bytes()))
    other = tmp_path / "ban-sua"
    call_command("render_plan", unit="HT-CX-CS", year=2023, output=str(other), format="docx")
    assert "KẾ HOẠCH" in body_text(word(other.read_bytes()))


def test_render_plan_refuses_an_output_it_cannot_tell_the_format_of(demo, tmp_path):
    with pytest.raises(CommandError, match=r"dùng đuôi \.pdf, \.docx"):
        call_command("render_plan", unit="HT-CX-CS", year=2023, output=str(tmp_path / "x.odt"))
