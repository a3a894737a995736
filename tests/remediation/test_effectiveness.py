"""Did the plan work: a plan of 2023 against 2024, where some criteria won points back,
one lost more, one has no counterpart in the next edition and tasks done still lose
points (tests/remediation/effectiveness_setup.py sets the figures)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from remediation.selectors import jurisdiction_effectiveness, plan_effectiveness
from remediation.selectors.effectiveness import Losses
from scoring.models import AssessmentStatus, Criterion, EditionMapping, Role, Score
from tests.factories import UnitFactory, update_scores, user_with_role
from tests.remediation.effectiveness_setup import commune_plan, district, editions

pytestmark = pytest.mark.django_db


def losses(before: str, after: str) -> Losses:
    return Losses(Decimal(before), Decimal(after))


@pytest.fixture
def plan():
    return commune_plan(district(), editions())


def test_each_task_loses_in_2023_and_2024_on_its_counterparts(plan):
    result = plan_effectiveness(plan)

    assert result.ready
    by_name = {outcome.task.name: outcome for outcome in result.tasks}
    assert [(name, o.losses, o.losses.verdict) for name, o in by_name.items()] == [
        ("Rà soát, ban hành văn bản chỉ đạo", losses("1.5", "0.5"), "đã khắc phục 1/1,5 điểm"),
        ("Khắc phục tồn tại năm trước", losses("0", "0.5"), "bị trừ thêm 0,5 điểm"),
        # 1.4 has no counterpart in 2024: only 1.2 counts.
        ("Kiểm tra công tác CCHC", losses("1", "0.5"), "đã khắc phục 0,5/1 điểm"),
        # An inner criterion: its two leaves.
        ("Nâng cao chất lượng văn bản", losses("1.5", "0.5"), "đã khắc phục 1/1,5 điểm"),
        # 2.2 continues as 2.3 of 2024 by Nội vụ's mapping, and lost more there.
        ("Theo dõi thi hành pháp luật", losses("1.5", "1.5"), "đã khắc phục 0/1,5 điểm"),
    ]


def test_a_criterion_without_counterpart_is_named_and_left_out(plan):
    result = plan_effectiveness(plan)

    third = result.tasks[2]
    assert [(o.criterion.code, o.next_codes, o.losses) for o in third.criteria] == [
        ("1.2", ("1.2",), losses("1", "0.5")),
        ("1.4", (), None),
    ]
    assert [o.criterion.code for o in result.uncounted] == ["1.4"]
    assert result.no_counterpart == "không có tiêu chí tương ứng năm 2024"
    renamed = result.tasks[4].criteria[1]
    assert (renamed.criterion.code, renamed.next_codes) == ("2.2", ("2.3",))


def test_fields_and_plan_count_a_shared_criterion_once(plan):
    result = plan_effectiveness(plan)

    # Field 1: 1.2 is in two tasks; field 2: 2.1.2 is under 2.1.
    assert [(f.code, f.losses, f.losses.verdict) for f in result.fields] == [
        ("1", losses("1.5", "1"), "đã khắc phục 0,5/1,5 điểm"),
        ("2", losses("2", "1.5"), "đã khắc phục 0,5/2 điểm"),
    ]
    assert result.total == losses("3.5", "2.5")
    assert result.sentence == (
        "Các tiêu chí của kế hoạch bị trừ 3,5 điểm năm 2023 và 2,5 điểm năm 2024: "
        "đã khắc phục 1/3,5 điểm."
    )
    assert result.done_losses == losses("3", "1")  # T1 and T4
    assert result.open_losses == losses("2.5", "2.5")


def test_tasks_done_that_still_lose_points_are_flagged(plan):
    result = plan_effectiveness(plan)

    assert [o.task.name for o in result.flagged] == [
        "Rà soát, ban hành văn bản chỉ đạo",
        "Nâng cao chất lượng văn bản",
    ]
    assert result.done_count == 2


def test_the_next_year_criterion_scoring_the_remediation_is_shown(plan):
    follow_up = plan_effectiveness(plan).follow_up

    assert (follow_up.code, follow_up.tally.achieved, follow_up.tally.max_points) == (
        "1.3",
        Decimal("0.5"),
        Decimal(1),
    )


def test_without_a_mapping_criteria_match_by_code(plan):
    EditionMapping.objects.all().delete()

    result = plan_effectiveness(plan)

    # 2.2 has no code 2.2 in 2024 now; 1.4 still none.
    assert [o.criterion.code for o in result.uncounted] == ["1.4", "2.2"]
    assert result.tasks[4].losses == losses("1", "0.5")


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (AssessmentStatus.DRAFT, "đang tự đánh giá"),
        (AssessmentStatus.SUBMITTED, "đã gửi thẩm định"),
    ],
)
def test_before_the_next_year_is_appraised_there_are_no_figures(status, label):
    plan = commune_plan(district(), editions(), next_status=status)

    result = plan_effectiveness(plan)

    assert not result.ready and result.fields == [] and result.total is None
    assert result.sentence == (
        "Kết quả khắc phục sẽ hiển thị khi kết quả Chỉ số cải cách hành chính năm 2024 "
        f"của xã H1-X1 được thẩm định (hiện: {label})."
    )


def test_without_a_next_year_result_it_says_so(plan):
    plan.unit.assessments.filter(year=2024).delete()

    assert "(hiện: chưa có)" in plan_effectiveness(plan).sentence


def test_one_plan_takes_a_bounded_number_of_queries(plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        plan_effectiveness(plan)


def test_the_jurisdiction_equals_each_plans_own_figures():
    parent, frameworks = district(), editions()
    plans = [commune_plan(parent, frameworks, code=f"H1-X{i}") for i in range(1, 4)]
    later = commune_plan(parent, frameworks, code="H1-X9", next_status=AssessmentStatus.SUBMITTED)
    officer = user_with_role(Role.HOME_AFFAIRS, unit=parent)

    result = jurisdiction_effectiveness(officer, 2023)

    assert [row.plan for row in result.plans] == [*plans, later]
    for row, plan in zip(result.plans, plans, strict=False):
        own = plan_effectiveness(plan)
        assert [(f.code, f.losses) for f in row.fields] == [(f.code, f.losses) for f in own.fields]
        assert [t.losses for t in row.tasks] == [t.losses for t in own.tasks]
        assert (row.total, row.done_losses, row.open_losses) == (
            own.total,
            own.done_losses,
            own.open_losses,
        )
        assert [t.task.pk for t in row.flagged] == [t.task.pk for t in own.flagged]
        assert [c.criterion.code for c in row.uncounted] == ["1.4"]
    assert not result.plans[3].ready
    assert result.total == losses("10.5", "7.5")
    assert [(g.label, g.count, g.losses) for g in result.by_field] == [
        ("1. Tiêu chí 1", 3, losses("4.5", "3")),
        ("2. Tiêu chí 2", 3, losses("6", "4.5")),
    ]
    assert [(g.label, g.count, g.losses.won_back) for g in result.by_status] == [
        ("Đã hoàn thành", 6, Decimal(6)),
        ("Chưa hoàn thành", 9, Decimal(0)),
    ]


def test_the_jurisdiction_reads_only_the_users_scope():
    frameworks = editions()
    mine, other = district(), district("H2")
    commune_plan(mine, frameworks)
    commune_plan(other, frameworks, code="H2-X1")
    officer = user_with_role(Role.HOME_AFFAIRS, unit=mine)

    assert [row.plan.unit.code for row in jurisdiction_effectiveness(officer, 2023).plans] == [
        "H1-X1"
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_the_jurisdiction_takes_the_same_queries_for_3_or_30_plans(
    count, django_assert_max_num_queries
):
    parent, frameworks = district(), editions()
    for i in range(count):
        commune_plan(parent, frameworks, code=f"H1-X{i:02d}")
    officer = user_with_role(Role.HOME_AFFAIRS, unit=parent)

    with django_assert_max_num_queries(10):
        result = jurisdiction_effectiveness(officer, 2023)

    assert len(result.ready) == count
    assert result.total == Losses(Decimal("3.5") * count, Decimal("2.5") * count)


def test_the_jurisdiction_sums_as_the_engine_with_leaves_not_applicable_or_unscored():
    parent, frameworks = district(), editions()
    plan = commune_plan(parent, frameworks)
    next_year = Score.objects.filter(assessment__unit=plan.unit, assessment__year=2024)
    update_scores(next_year.filter(criterion__code="2.1.2"), not_applicable=True)
    update_scores(next_year.filter(criterion__code="1.2"), self_score=None)
    officer = user_with_role(Role.HOME_AFFAIRS, unit=parent)

    (row,) = jurisdiction_effectiveness(officer, 2023).plans
    own = plan_effectiveness(plan)

    # 1.2 unscored loses its whole point; 2.1.2 no longer applies and loses nothing.
    assert [t.losses for t in own.tasks] == [
        losses("1.5", "1"),
        losses("0", "0.5"),
        losses("1", "1"),
        losses("1.5", "0"),
        losses("1.5", "1"),
    ]
    assert [t.losses for t in row.tasks] == [t.losses for t in own.tasks]
    assert row.total == own.total == losses("3.5", "2.5")


@pytest.mark.parametrize(
    ("before", "after", "verdict"),
    [
        ("1.5", "0", "đã khắc phục 1,5/1,5 điểm"),
        ("0.07", "0.05", "đã khắc phục 0,02/0,07 điểm"),
        ("0.5", "1.25", "bị trừ thêm 0,75 điểm"),
        ("0", "0", "không bị trừ điểm"),
    ],
    ids=["all", "part", "more", "none"],
)
def test_what_the_figures_say(before, after, verdict):
    assert losses(before, after).verdict == verdict


def test_a_unit_merged_away_says_its_next_year_belongs_to_the_new_unit(plan):
    merged = UnitFactory(code="H1-M", name="Xã Hợp Nhất", parent=plan.unit.parent, formed_in=2024)
    merged.predecessors.set([plan.unit])
    plan.unit.assessments.filter(year=2024).update(unit=merged)  # 2024 is the new unit's
    officer = user_with_role(Role.HOME_AFFAIRS, unit=plan.unit.parent)

    own = plan_effectiveness(plan)
    (row,) = jurisdiction_effectiveness(officer, 2023).plans

    assert not own.ready
    assert (
        own.sentence
        == row.sentence
        == (
            "Xã H1-X1 đã hợp nhất vào Xã Hợp Nhất từ năm 2024: kết quả năm 2024 là của đơn vị "
            "mới, không đối chiếu được với kế hoạch này."
        )
    )


def test_a_task_whose_only_criterion_has_no_counterpart_is_not_called_fixed(plan, client):
    task = plan.tasks.get(name="Kiểm tra công tác CCHC")
    task.criteria.set(Criterion.objects.filter(framework__year_from=2023, code="1.4"))

    outcome = plan_effectiveness(plan).tasks[2]

    # 1.4 lost 0,75 in 2023 and has nothing in 2024 to compare with.
    assert (outcome.losses.before, outcome.losses.after) == (Decimal("0.75"), None)
    assert outcome.losses.verdict == "không so sánh được: không có tiêu chí tương ứng"
    assert not outcome.flagged
    client.force_login(user_with_role(Role.UNIT, plan.unit))
    html = client.get(reverse("remediation:plan", args=[plan.pk])).content.decode()
    row = re.search(r"Kiểm tra công tác CCHC.*?</tr>", html, flags=re.S).group(0)
    assert ">0,75</td>" in row and ">—</td>" in row
    assert "không so sánh được: không có tiêu chí tương ứng" in row
