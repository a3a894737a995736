"""The figures a person typed in a plan's sections, checked as a published table is:
seed 004's section III, put in Cẩm Sơn's 2023 plan, shows its five slips."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape as html_text

from remediation.selectors import plan_document
from remediation.selectors.figures import line_figures, plan_figure_checks, section_checks
from scoring.models import Role
from tests.factories import user_with_role
from tests.remediation.seed_004_sections import type_seed_004

SEED_SLIPS = {
    "1": [
        "Dòng 1 (Thực hiện Kế hoạch CCHC đạt): điểm bị trừ 0,7 nhưng điểm tối đa − điểm đạt "
        "= 1,5 − 1,43 = 0,07"
    ],
    "3": ["3. Cải cách thủ tục hành chính: điểm bị trừ 1,51 nhưng cộng các dòng được 0,51"],
    "7": [
        "Dòng 5 (Trang thông tin điện tử có đầy đủ các loại thông tin cung cấp theo quy "
        "định tại…): điểm bị trừ 1 lớn hơn điểm tối đa 0,5 của tiêu chí",
        "7. Xây dựng, phát triển chính quyền điện tử, chính quyền số: điểm bị trừ 5,73 nhưng "
        "cộng các dòng được 5,72",
    ],
    "8": [
        "8. Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế xã "
        "hội: điểm bị trừ 2,54 nhưng cộng các dòng được 3,04"
    ],
}


def checks_by_field(plan) -> dict:
    document = plan_document(plan, plan.created_at.date())
    checks = plan_figure_checks(document)
    return {
        view.number: checks[view.section.pk]
        for view in document.sections
        if view.section.pk in checks
    }


@pytest.mark.parametrize(
    ("line", "figures"),
    [
        ("Thực hiện Kế hoạch CCHC đạt: 1,43/1,5 điểm (bị trừ 0,7 điểm)", ("1.5", "1.43", "0.7")),
        ("Tiêu chí 1.3. Đổi mới: đạt 0,5/2 điểm, bị trừ 1,5 điểm.", ("2", "0.5", "1.5")),
        ("Tỷ lệ: bị trừ 1 điểm (tổng 0,5 điểm)", ("0.5", None, "1")),
        ("Mức độ thực hiện: bị trừ 0,53/2 điểm.", ("2", None, "0.53")),
        ("Kết quả: bị trừ 0,38 điểm", (None, None, "0.38")),
        ("Nghị định 42/2022/NĐ-CP: bị trừ 1 điểm", (None, None, "1")),
        ("Trong năm: không có điểm do có văn bản phê bình.", (None, None, None)),
    ],
)
def test_a_line_reads_its_figures_as_people_type_them(line: str, figures: tuple) -> None:
    row = line_figures(1, line)
    read = (row.max_points, row.achieved, row.deducted)

    assert tuple(None if value is None else str(value) for value in read) == figures


def test_seed_004_typed_in_the_plan_shows_its_five_slips_and_nothing_else(cam_son_plan) -> None:
    type_seed_004(cam_son_plan)
    checks = checks_by_field(cam_son_plan)

    assert sorted(checks) == ["1", "2", "3", "4", "5", "6", "7", "8"]
    found = {
        code: [d.message for d in c.differences] for code, c in checks.items() if c.differences
    }
    assert found == SEED_SLIPS
    assert [note for c in checks.values() for note in c.notes] == [
        "5. Cải cách chế độ công vụ: có dòng không ghi điểm nên không kiểm được tổng điểm bị "
        "trừ của các dòng."
    ]


def test_sections_as_drafted_are_not_checked(cam_son_plan) -> None:
    assert checks_by_field(cam_son_plan) == {}


def test_the_plan_page_warns_in_each_section_typed_wrong(
    client, cam_son_plan, django_assert_max_num_queries
) -> None:
    client.force_login(user_with_role(Role.UNIT, cam_son_plan.unit))
    url = reverse("remediation:plan", kwargs={"pk": cam_son_plan.pk})
    with CaptureQueriesContext(connection) as drafted:
        assert client.get(url).status_code == 200
    type_seed_004(cam_son_plan)

    with django_assert_max_num_queries(len(drafted)):  # checking the text reads nothing
        page = client.get(url).content.decode()

    assert page.count('class="message warn figure-checks"') == 5  # 1, 3, 5 (a note), 7, 8
    assert html_text(SEED_SLIPS["7"][1]) in page
    assert "Số liệu gõ tay trong «Nội dung bị trừ điểm» chưa khớp (2 chỗ):" in page
    assert "Điểm bị trừ của lĩnh vực lấy theo kết quả thẩm định: 5,73 điểm." in page


# Seed 004's own headings above its lines, as the commune typed them.
HEADINGS = {
    "1": "1.1. Điểm số bị trừ: 1,87 điểm, trong đó:",
    "3": "3.1. Điểm số bị trừ: 1,51 điểm, đó là:",
    "5": "5. Kết quả thực hiện nhiệm vụ của cán bộ, công chức: bị trừ 1,88, trong đó:",
    "7": "7.1. Điểm số bị trừ: 5,73 điểm, đó là:",
    "8": "8.1. Điểm số bị trừ: 2,54 điểm, đó là:",
}


def test_with_its_headings_seed_004_still_shows_five_slips_each_once(cam_son_plan) -> None:
    type_seed_004(cam_son_plan)
    for section in cam_son_plan.sections.select_related("field"):
        if section.field.code in HEADINGS:
            section.deductions = f"{HEADINGS[section.field.code]}\n{section.deductions}"
            section.save(update_fields=["deductions"])
    checks = checks_by_field(cam_son_plan)

    found = {
        code: [(d.row, d.column, d.found, d.expected) for d in c.differences]
        for code, c in checks.items()
        if c.differences
    }
    # The heading now states the lines' sum (and matches the engine's field deduction).
    assert found == {
        "1": [(2, "điểm bị trừ", "0,7", "0,07")],
        "3": [(1, "điểm bị trừ", "1,51", "0,51")],
        "7": [(1, "điểm bị trừ", "5,73", "5,72"), (6, "điểm bị trừ", "1", "0,5")],
        "8": [(1, "điểm bị trừ", "2,54", "3,04")],
    }
    assert [note for c in checks.values() for note in c.notes] == [
        "Dòng 1 (5. Kết quả thực hiện nhiệm vụ của cán bộ, công chức): có dòng không ghi điểm "
        "nên không kiểm được tổng điểm bị trừ của các dòng."
    ]


def test_the_drafted_points_read_back_exactly_and_only_quoted_reasons_differ(
    cam_son_plan,
) -> None:
    """The drafted "Tiêu chí …: đạt a/m điểm, bị trừ d điểm" lines are the engine's and
    read back without a difference; the appraisers' reasons the draft quotes under a
    criterion (the demo keeps seed 004's) are checked as typed text once edited."""
    document = plan_document(cam_son_plan, cam_son_plan.created_at.date())
    checked = {view.number: section_checks(view) for view in document.sections}

    assert checked["1"].differences == checked["1"].notes == []
    assert [d.message for d in checked["7"].differences] == [
        "Dòng 11 (Tiêu chí 7.11. Các nội dung khác của lĩnh vực): điểm bị trừ 1,76 nhưng "
        "cộng các dòng được 1,75"
    ]
