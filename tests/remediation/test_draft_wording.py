"""Drafting as seed 004 words it: what each field lost (editable, kept once edited), the
unit's level in who carries the plan out and who signs, and the higher level's plan in
the legal basis (seed 003: "Thực hiện Kế hoạch số 259/KH-UBND … của UBND huyện Thanh Hà")."""

from datetime import date
from decimal import Decimal

import pytest

from remediation.models import Plan, PlanStatus
from remediation.services import plan_draft, plans_cite_higher_plan
from scoring.models import Score, UnitLevel
from tests.factories import UnitFactory, update_scores
from tests.remediation.builders import plan_with_tasks
from tests.scoring.publication_setup import YEAR, group_world

pytestmark = pytest.mark.django_db
CITATION = (
    "Thực hiện Kế hoạch số 12/KH-UBND ngày 15/02/2024 của UBND huyện Thử về việc khắc phục "
    "tồn tại, hạn chế trong công tác cải cách hành chính năm 2023;"
)


def test_each_field_s_deductions_are_drafted_with_points_and_reasons(cam_son_plan):
    field_3 = cam_son_plan.sections.get(field__code="3").deductions.splitlines()
    field_7 = cam_son_plan.sections.get(field__code="7").deductions.splitlines()

    assert field_3 == [
        "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận trong năm được giải quyết trước và đúng "
        "hạn: bị trừ 0,01 điểm",
        "Ban hành kế hoạch rà soát, đánh giá TTHC: bị trừ 0,5 điểm",
    ]
    assert field_7[0] == (
        "Tiêu chí 7.1. Tỷ lệ cán bộ, công chức cấp xã có chữ ký số hoặc chữ ký điện tử cá "
        "nhân: đạt 0,3/0,5 điểm, bị trừ 0,2 điểm"
    )
    assert field_7[10] == (
        "Tiêu chí 7.11. Các nội dung khác của lĩnh vực: đạt 7,74/9,5 điểm, bị trừ 1,76 điểm:"
    )
    assert [line[:2] for line in field_7[11:]] == ["+ "] * 3


def test_drafting_again_refreshes_deductions_nobody_edited_and_keeps_the_edited(
    cam_son_plan, cam_son
):
    edited = cam_son_plan.sections.get(field__code="3")
    edited.deductions, edited.edited_fields = "Ban hành kế hoạch rà soát muộn.", ["deductions"]
    edited.save()
    update_scores(
        Score.objects.filter(criterion__code="1.6", assessment__unit=cam_son),
        appraised_score=Decimal("2.5"),
    )

    plan_draft(unit=cam_son, year=2023)

    edited.refresh_from_db()
    assert edited.deductions == "Ban hành kế hoạch rà soát muộn."
    field_1 = cam_son_plan.sections.get(field__code="1").deductions
    assert "Tiêu chí 1.6. Các nội dung khác của lĩnh vực: đạt 2,5/3 điểm, bị trừ 0,5 điểm" in (
        field_1
    )


def test_a_department_speaks_as_a_so_and_prints_its_supervising_agency():
    province = UnitFactory(code="T1", name="Tỉnh Thử", level=UnitLevel.PROVINCE)
    department = UnitFactory(
        code="T1-TP", name="Sở Tư pháp", level=UnitLevel.DEPARTMENT, parent=province
    )

    plan = plan_with_tasks(department, 1)

    assert plan.supervising_agency == "UBND TỈNH THỬ"
    assert plan.issuing_agency == "SỞ TƯ PHÁP"
    assert (plan.signer_authority, plan.signer_position) == ("", "GIÁM ĐỐC")
    assert "(qua Văn phòng Sở)" in plan.organisation
    assert plan.recipients.splitlines()[:2] == ["UBND tỉnh Thử", "Sở Nội vụ tỉnh Thử"]


def test_a_district_reports_through_phong_noi_vu_and_a_commune_through_its_civil_servant():
    province = UnitFactory(code="T2", name="Tỉnh Hai", level=UnitLevel.PROVINCE)
    district = UnitFactory(code="T2-H", name="Huyện Hai", level=UnitLevel.DISTRICT, parent=province)
    commune = UnitFactory(code="T2-H-X", name="Xã Hai", parent=district)

    district_plan, commune_plan = plan_with_tasks(district, 1), plan_with_tasks(commune, 1)

    assert "về UBND huyện (qua Phòng Nội vụ)" in district_plan.organisation
    assert "công chức" not in district_plan.organisation
    assert "về UBND xã (qua công chức Văn phòng - Thống kê" in commune_plan.organisation
    assert district_plan.supervising_agency == commune_plan.supervising_agency == ""
    assert commune_plan.recipients.splitlines()[:2] == ["UBND huyện Hai", "Phòng Nội vụ huyện Hai"]
    assert district_plan.recipients.splitlines()[:2] == ["UBND tỉnh Hai", "Sở Nội vụ tỉnh Hai"]


def issue(plan: Plan, number: str = "12/KH-UBND") -> Plan:
    """What engineer "issuing"'s service leaves behind, as far as a citation reads it."""
    plan.number, plan.issued_on, plan.status = number, date(2024, 2, 15), PlanStatus.ISSUED
    plan.save()
    return plan


def district_plan(world) -> Plan:
    return issue(plan_with_tasks(world.district, 1, year=YEAR))


def test_a_plan_drafted_after_its_district_issued_one_cites_it():
    world = group_world(2)
    district_plan(world)

    plan = plan_draft(unit=world.sheets[1].unit, year=YEAR)

    assert plan.legal_bases.splitlines()[-1] == CITATION


def test_issuing_a_plan_makes_its_communes_drafts_cite_it_unless_a_person_wrote_theirs():
    world = group_world(3)
    first, second, third = (plan_draft(unit=sheet.unit, year=YEAR) for sheet in world.sheets)
    second.legal_bases, second.edited_fields = "Căn cứ do người dùng viết;", ["legal_bases"]
    second.save()
    issue(third, "3/KH-UBND")
    far = UnitFactory(code="HX-X", name="Xã Xa", parent=world.far_district)
    elsewhere = plan_with_tasks(far, 1, year=YEAR)

    changed = plans_cite_higher_plan(plan=district_plan(world))

    assert changed == 1
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert first.legal_bases.splitlines() == [
        "Căn cứ kết quả xác định Chỉ số cải cách hành chính năm 2023 do UBND huyện Thử công bố;",
        CITATION,
    ]
    assert second.legal_bases == "Căn cứ do người dùng viết;"
    assert CITATION not in third.legal_bases  # issued: kept as it was issued
    elsewhere.refresh_from_db()
    assert CITATION not in elsewhere.legal_bases


def test_a_higher_plan_left_for_the_e_office_to_number_is_cited_without_a_number(
    django_assert_max_num_queries,
):
    world = group_world(2)
    plan_draft(unit=world.sheets[0].unit, year=YEAR)
    higher = issue(plan_with_tasks(world.district, 1, year=YEAR), "/KH-UBND")

    with django_assert_max_num_queries(6):  # 4 and the savepoint around them
        plans_cite_higher_plan(plan=higher)

    cited = Plan.objects.get(unit=world.sheets[0].unit).legal_bases.splitlines()[-1]
    assert cited.startswith("Thực hiện Kế hoạch ngày 15/02/2024 của UBND huyện Thử về việc")
