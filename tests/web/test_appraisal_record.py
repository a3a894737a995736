"""The appraisal record (Phiếu thẩm định) as a PDF: per leaf self and appraised score and
comment, subtotals, total and index, the signer's full name; who may download it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import Assessment, AssessmentStatus, Role, Score
from scoring.record import appraisal_record, appraisal_record_pdf
from tests.factories import score_assessment, update_scores, user_with_role
from tests.remediation.pdfs import A4, all_text, needs_weasyprint, read, size
from tests.seed_000 import build_seed_000
from tests.web.sheet_setup import logged_in, make_world

pytestmark = pytest.mark.django_db
Status = AssessmentStatus


@pytest.fixture
def pdf_ok() -> None:
    needs_weasyprint()


def url(assessment) -> str:
    return f"/danh-gia/{assessment.pk}/phieu-tham-dinh.pdf"


def appraised_world():
    """Appraised by Nguyễn Thị Hoa: 1.1 self 1 → 0,75 with a comment, 1.2 self 2 → 2,
    2.1 not applicable."""
    world = make_world(status=Status.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1", "1.2": "2"})
    update_scores(
        Score.objects.filter(criterion__code="1.1"),
        appraised_score=Decimal("0.75"),
        appraisal_comment="Kế hoạch ban hành chậm 5 ngày",
    )
    update_scores(Score.objects.filter(criterion__code="1.2"), appraised_score=2)
    Score.objects.create(
        assessment=world.mine,
        criterion=world.mine.framework.criteria.get(code="2.1"),
        not_applicable=True,
        not_applicable_reason="Xã không có làng nghề",
    )
    world.home_affairs.first_name, world.home_affairs.last_name = "Thị Hoa", "Nguyễn"
    world.home_affairs.save()
    client = logged_in(world.home_affairs)
    client.post(f"/danh-gia/{world.mine.pk}/buoc/appraise/")
    world.mine.refresh_from_db()
    assert world.mine.status == Status.APPRAISED
    return world


def test_the_record_prints_scores_comments_totals_and_the_signer(pdf_ok):
    world = appraised_world()

    response = logged_in(world.home_affairs).get(url(world.mine))

    assert response["Content-Type"] == "application/pdf"
    assert f"phieu-tham-dinh-{world.mine.unit.code}-2023.pdf" in response["Content-Disposition"]
    reader = read(response.content)
    assert size(reader.pages[0]) == pytest.approx(A4, abs=1)
    text = all_text(reader)
    assert "PHIẾU THẨM ĐỊNH" in text
    assert "Đơn vị được thẩm định: Xã Của Tôi" in text
    assert "Năm đánh giá: 2023" in text
    assert "1.1 Tiêu chí 1.1 1 1 0,75 Kế hoạch ban hành chậm 5 ngày" in text
    assert "1.2 Tiêu chí 1.2 2 2 2" in text
    assert "2.1 Tiêu chí 2.1 2 Không áp dụng Xã không có làng nghề" in text
    assert "1 Tiêu chí 1 3 2,75" in text  # field subtotal: max 3, appraised 2,75
    assert "Tổng điểm 3 2,75 Chỉ số: 91,67%" in text  # 2.1 leaves the max
    assert "Thẩm định vòng 1" not in text
    assert "NGƯỜI THẨM ĐỊNH" in text
    assert text.rstrip().endswith("Nguyễn Thị Hoa")  # họ first, as Vietnamese write it
    assert "Hoàn tất thẩm định ngày" in text
    assert "noivu.thu" not in text


def test_a_two_round_record_adds_the_first_round_column(pdf_ok):
    world = appraised_world()
    Assessment.objects.filter(pk=world.mine.pk).update(appraisal_round=2)
    update_scores(
        Score.objects.filter(criterion__code="1.1"),
        first_round_score=Decimal("0.5"),
        first_round_comment="Thiếu tài liệu kiểm chứng",
    )
    world.mine.refresh_from_db()

    text = all_text(read(appraisal_record_pdf(appraisal_record(world.mine))))

    assert "Thẩm định vòng 1" in text
    assert "1.1 Tiêu chí 1.1 1 1 0,5 0,75 Vòng 1: Thiếu tài liệu kiểm chứng" in text
    assert "Vòng 2: Kế hoạch ban hành chậm 5 ngày" in text


def test_a_record_printed_before_the_appraisal_is_complete_says_so_and_is_not_signed(pdf_ok):
    world = make_world(status=Status.SUBMITTED)
    score_assessment(world.mine, {"1.1": "1"})

    text = all_text(read(appraisal_record_pdf(appraisal_record(world.mine))))

    assert "chưa hoàn tất thẩm định" in text
    assert "Hoàn tất thẩm định ngày" not in text


def test_an_imported_published_result_is_not_printed_as_a_working_copy(pdf_ok):
    world = make_world(status=Status.PUBLISHED)  # published by import: no appraise step here
    score_assessment(world.mine, {"1.1": "1"})

    text = " ".join(all_text(read(appraisal_record_pdf(appraisal_record(world.mine)))).split())

    assert "được nhập vào hệ thống sau khi đã thẩm định" in text
    assert "chưa hoàn tất thẩm định" not in text
    assert "Hoàn tất thẩm định ngày" not in text


def test_the_record_is_read_in_the_same_queries_whatever_the_number_of_criteria():
    counts = []
    for leaves in (3, 60):
        rows = [("1", None, str(leaves))] + [(f"1.{n}", "1", "1") for n in range(1, leaves + 1)]
        world = make_world(status=Status.APPRAISED, rows=rows, tag=str(leaves))
        score_assessment(world.mine, {f"1.{n}": "1" for n in range(1, leaves + 1)})
        with CaptureQueriesContext(connection) as queries:
            record = appraisal_record(world.mine)
        assert len(record.rows) == leaves + 1
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4


@pytest.mark.parametrize(
    ("status", "who", "expected"),
    [
        (Status.SUBMITTED, "home_affairs", 200),  # a working copy for the appraisal team
        (Status.APPRAISED, "admin", 200),
        (Status.APPRAISED, "unit_user", 403),
        (Status.PUBLISHED, "unit_user", 200),
    ],
)
def test_noi_vu_may_always_download_the_record_and_the_unit_once_published(
    pdf_ok, status, who, expected
):
    world = make_world(status=status)
    client = logged_in(getattr(world, who))

    response = client.get(url(world.mine))
    page = client.get(f"/danh-gia/{world.mine.pk}/").content.decode()

    assert response.status_code == expected
    assert ("Tải phiếu thẩm định (PDF)" in page) == (expected == 200)
    if expected == 403:
        assert "Phiếu thẩm định được xem khi kết quả đã công bố." in response.content.decode()


@pytest.mark.parametrize(
    ("who", "target"),
    [("unit_user", "other"), ("home_affairs", "outside"), ("other_district_home_affairs", "mine")],
)
def test_the_record_is_refused_outside_the_users_scope(who, target):
    world = make_world(status=Status.PUBLISHED)

    response = logged_in(getattr(world, who)).get(url(getattr(world, target)))

    assert response.status_code == 403


def test_the_record_refuses_post():
    world = make_world(status=Status.PUBLISHED)

    assert logged_in(world.home_affairs).post(url(world.mine)).status_code == 405


def test_without_weasyprint_the_download_says_what_to_install(monkeypatch):
    world = make_world(status=Status.APPRAISED)
    monkeypatch.setattr("cchc.pdf.missing_library", lambda: "Pango")

    response = logged_in(world.home_affairs).get(url(world.mine))

    assert response.status_code == 503
    assert "libpango-1.0-0" in response.content.decode()


def test_the_record_prints_the_fields_and_the_survey_parts_apart(pdf_ok):
    seed = build_seed_000()  # seed 000: 88,21 = 69,46 + 18,75
    home_affairs = user_with_role(Role.HOME_AFFAIRS, seed.province, username="noivu.mau")

    text = all_text(read(logged_in(home_affairs).get(url(seed.assessment)).content))

    assert (
        "Tổng điểm 88,21, trong đó điểm thẩm định các lĩnh vực 69,46/75, "
        "điểm điều tra xã hội học 18,75/25."
    ) in " ".join(text.split())
