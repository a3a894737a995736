from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from remediation.models import Plan, Section, Task
from remediation.selectors import plan_document
from remediation.services import plan_draft, plan_update, section_update, task_update
from remediation.texts import BLANK, agency_lines, date_phrase, number_line
from scoring.models import Assessment, Score
from tests.factories import AssessmentFactory, build_framework, score_assessment, update_scores

pytestmark = pytest.mark.django_db
SEED_004_DEDUCTED = ["1,87", "0,25", "1,51", "0,5", "1,88", "0,64", "5,73", "2,54"]
TODAY = date(2024, 3, 1)


def pts(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_drafting_cam_son_2023_reproduces_the_table_of_seed_004(cam_son_plan):
    document = plan_document(cam_son_plan, TODAY)

    assert [row.tally.deducted for row in document.fields] == [pts(v) for v in SEED_004_DEDUCTED]
    assert [row.tally.achieved for row in document.fields] == [
        pts(v) for v in ["9,13", "6,75", "12,99", "5,5", "14,62", "12,86", "14,27", "8,96"]
    ]
    assert document.total.achieved == Decimal("85.08")
    assert document.total.deducted == Decimal("14.92")
    assert "85,08/100 điểm" in document.results_sentence
    assert "xếp thứ 3/23" in document.results_sentence
    assert "tăng 20 bậc so với năm 2022" in document.results_sentence


def test_draft_has_a_section_per_field_that_lost_points_with_the_seed_wording(cam_son_plan):
    document = plan_document(cam_son_plan, TODAY)

    assert [view.deducted for view in document.sections] == [pts(v) for v in SEED_004_DEDUCTED]
    field_1 = document.sections[0].lines
    assert (
        "Tiêu chí 1.3. Đổi mới, sáng tạo trong triển khai nhiệm vụ CCHC: đạt 0,5/2 điểm, "
        "bị trừ 1,5 điểm" in field_1
    )
    assert "Tiêu chí 1.1. Thực hiện Kế hoạch CCHC: đạt 1,43/1,5 điểm, bị trừ 0,07 điểm" in field_1
    assert len(field_1) == 5  # 1.6 lost nothing


def test_draft_makes_a_task_stub_for_every_deducted_criterion(cam_son_plan):
    tasks = Task.objects.filter(plan=cam_son_plan)
    # 5 in field 1, one each for fields 2-6 and 8 (scored as a whole), 11 in field 7.
    assert tasks.count() == 5 + 6 + 11
    task = tasks.get(criteria__code="1.3")
    assert task.deadline == "Năm 2024"
    assert task.due_date == date(2024, 12, 31)
    assert "Đổi mới, sáng tạo" in task.objective
    assert cam_son_plan.place == "Cẩm Sơn"
    assert cam_son_plan.issuing_agency == "ỦY BAN NHÂN DÂN XÃ CẨM SƠN"
    # A UBND's own plan prints no supervising agency (seeds 003, 004).
    assert cam_son_plan.supervising_agency == ""


def test_drafting_again_adds_nothing_when_nothing_changed(cam_son_plan, cam_son):
    counts = (Section.objects.count(), Task.objects.count())

    plan_draft(unit=cam_son, year=2023)

    assert (Section.objects.count(), Task.objects.count()) == counts
    assert Plan.objects.count() == 1


def test_drafting_again_keeps_what_a_person_edited_and_adds_what_is_new(cam_son_plan, cam_son):
    task = Task.objects.get(plan=cam_son_plan, criteria__code="1.3")
    task_update(task=task, data={"lead": "Công chức Văn phòng - Thống kê", "budget": "5"})
    plan_update(plan=cam_son_plan, data={"signer_name": "Hoàng Văn Hiệp", "number": "05/KH-UBND"})
    section = cam_son_plan.sections.get(field__code="1")
    section_update(section=section, data={"solutions": "Tạo điều kiện phát huy sáng kiến."})
    # The score of 1.6 changes: it now loses points too.
    update_scores(
        Score.objects.filter(criterion__code="1.6", assessment__unit=cam_son),
        appraised_score=Decimal("2.5"),
    )

    plan_draft(unit=cam_son, year=2023)

    task.refresh_from_db()
    cam_son_plan.refresh_from_db()
    section.refresh_from_db()
    assert task.lead == "Công chức Văn phòng - Thống kê"
    assert task.budget_amount == Decimal(5)
    assert cam_son_plan.signer_name == "Hoàng Văn Hiệp"
    assert cam_son_plan.number == "05/KH-UBND"
    assert section.solutions == "Tạo điều kiện phát huy sáng kiến."
    assert Task.objects.filter(plan=cam_son_plan, criteria__code="1.6").count() == 1
    assert Task.objects.filter(plan=cam_son_plan).count() == 23


def test_last_years_lead_and_coordinators_are_proposed_for_the_same_criterion(db):
    framework = build_framework([("1", None, "2"), ("1.1", "1", "1"), ("1.2", "1", "1")])
    last = AssessmentFactory(framework=framework, year=2022)
    score_assessment(last, {"1.1": "0,5", "1.2": "1"})
    this = AssessmentFactory(framework=framework, year=2023, unit=last.unit)
    score_assessment(this, {"1.1": "0,5", "1.2": "0,5"})
    old = plan_draft(unit=last.unit, year=2022)
    task_update(
        task=old.tasks.get(),
        data={"lead": "Công chức Văn phòng - Thống kê", "coordinators": "Các ban, ngành"},
    )

    new = plan_draft(unit=this.unit, year=2023)

    proposed = new.tasks.get(criteria__code="1.1")
    assert (proposed.lead, proposed.coordinators) == (
        "Công chức Văn phòng - Thống kê",
        "Các ban, ngành",
    )
    assert new.tasks.get(criteria__code="1.2").lead == ""
    assert new.tasks.get(criteria__code="1.1").due_date == date(2024, 12, 31)


def test_a_unit_without_results_cannot_be_drafted(db):
    assessment = AssessmentFactory()
    Assessment.objects.filter(pk=assessment.pk).update(year=2020)

    with pytest.raises(CommandError, match="chưa có kết quả Chỉ số CCHC năm 2023"):
        call_command("draft_plan", unit=assessment.unit.code, year=2023, stdout=StringIO())


def test_draft_plan_command_reports_sections_and_tasks(demo):
    out = StringIO()

    call_command("draft_plan", unit="HT-CX-CS", year=2023, stdout=out)

    assert "8 lĩnh vực, 22 nhiệm vụ" in out.getvalue()


def test_draft_plan_command_refuses_an_unknown_unit(db):
    with pytest.raises(CommandError, match="Không có đơn vị mã «XX»"):
        call_command("draft_plan", unit="XX", year=2023, stdout=StringIO())


def test_the_issuing_agency_breaks_after_uy_ban_nhan_dan_as_clerks_write_it():
    assert agency_lines("ỦY BAN NHÂN DÂN XÃ CẨM SƠN") == ["ỦY BAN NHÂN DÂN", "XÃ CẨM SƠN"]
    assert agency_lines("SỞ NỘI VỤ") == ["SỞ NỘI VỤ"]


@pytest.mark.parametrize(
    ("issued_on", "expected"),
    [
        (date(2024, 1, 5), "ngày 05 tháng 01 năm 2024"),
        (date(2024, 2, 15), "ngày 15 tháng 02 năm 2024"),
        (date(2024, 8, 5), "ngày 05 tháng 8 năm 2024"),
        (date(2023, 12, 26), "ngày 26 tháng 12 năm 2023"),
        (None, f"ngày{BLANK}tháng{BLANK}năm 2024"),  # room to write the day by hand
    ],
)
def test_dates_pad_days_below_10_and_only_the_months_1_and_2(issued_on, expected):
    assert date_phrase(issued_on, 2024) == expected


@pytest.mark.parametrize("typed", ["05/KH-UBND", "Số: 05/KH-UBND", "số:05/KH-UBND"])
def test_the_number_line_prints_so_once_whatever_was_typed(typed):
    assert number_line(typed) == "Số: 05/KH-UBND"
