from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring.models import (
    FROZEN_MESSAGE,
    Assessment,
    ClassificationBand,
    Criterion,
    Score,
    ScoringCalendar,
    UnitLevel,
)
from tests.factories import (
    AssessmentFactory,
    FrameworkFactory,
    RankingGroupFactory,
    UnitFactory,
    add_bands,
    build_framework,
    score_assessment,
    update_scores,
)

pytestmark = pytest.mark.django_db

NBSP4 = "\u00a0" * 4
TREE = [
    ("1", None, "60"),
    ("1.1", "1", "20"),
    ("1.2", "1", "40"),
    ("1.2.1", "1.2", "14.5"),
    ("1.2.2", "1.2", "25.5"),
    ("2", None, "40"),
]


@pytest.fixture
def framework():
    return build_framework(TREE, name="Bộ chỉ số xã 2023")


@pytest.fixture
def assessment(framework):
    group = RankingGroupFactory(name="Khối xã")
    unit = UnitFactory(code="CS", name="Xã Cẩm Sơn", ranking_group=group)
    assessment = AssessmentFactory(unit=unit, framework=framework, year=2023)
    score_assessment(assessment, {"1.1": "20", "1.2.1": "14.5", "1.2.2": "25.5", "2": "30.08"})
    update_scores(Score.objects.filter(criterion__code="1.2.2"), appraised_score=Decimal("20.5"))
    return assessment


def page(client, name: str, *args, query: str = "") -> str:
    response = client.get(reverse(f"admin:scoring_{name}", args=args) + query)
    assert response.status_code == 200
    return response.content.decode()


def in_order(text: str, *parts: str) -> bool:
    positions = [text.index(part) for part in parts]
    return positions == sorted(positions)


def test_unit_changelist_searches_by_code_and_name_and_shows_the_parent(admin_client):
    district = UnitFactory(code="H01", name="Huyện Cẩm Xuyên", level="district")
    UnitFactory(code="X01", name="Xã Cẩm Sơn", parent=district)
    UnitFactory(code="X02", name="Xã Cẩm Hà", parent=district)

    by_code = page(admin_client, "unit_changelist", query="?q=X01")
    by_name = page(admin_client, "unit_changelist", query="?q=Cẩm+Hà")
    communes = page(admin_client, "unit_changelist", query="?level__exact=commune")

    assert "Xã Cẩm Sơn" in by_code and "Xã Cẩm Hà" not in by_code
    assert "Huyện Cẩm Xuyên (H01)" in by_code
    assert "X02" in by_name and "X01" not in by_name
    assert ">X01</a>" in communes and ">H01</a>" not in communes


def test_unit_change_page_opens_with_its_fields(admin_client):
    unit = UnitFactory(code="X01", name="Xã Cẩm Sơn")

    text = page(admin_client, "unit_change", unit.pk)

    assert 'value="X01"' in text and "Đơn vị cấp trên" in text


def test_ranking_group_lists_its_bands_and_edits_them_inline(admin_client):
    group = RankingGroupFactory(name="Khối xã")
    add_bands(group)
    ClassificationBand.objects.create(group=group, label="Xuất sắc", min_index=Decimal("95.50"))

    listing = page(admin_client, "rankinggroup_changelist")
    change = page(admin_client, "rankinggroup_change", group.pk)

    assert "Xuất sắc ≥ 95,5%; Tốt ≥ 90%; Khá ≥ 80%; Trung bình ≥ 70%" in listing
    assert 'value="95,5"' in change and 'value="Trung bình"' in change


def test_band_threshold_typed_with_a_decimal_comma_is_saved(admin_client):
    group = RankingGroupFactory(name="Khối xã")
    url = reverse("admin:scoring_rankinggroup_change", args=[group.pk])

    response = admin_client.post(
        url,
        {
            "name": "Khối xã",
            "description": "",
            "bands-TOTAL_FORMS": "2",
            "bands-INITIAL_FORMS": "0",
            "bands-0-label": "Tốt",
            "bands-0-min_index": "89,5",
            "bands-1-label": "Khá",
            "bands-1-min_index": "79.5",
        },
    )

    assert response.status_code == 302
    assert sorted(group.bands.values_list("min_index", flat=True)) == [
        Decimal("79.5"),
        Decimal("89.5"),
    ]


def test_framework_changelist_counts_criteria_and_says_which_are_in_use(admin_client, assessment):
    FrameworkFactory(name="Bộ chỉ số mới")

    text = page(admin_client, "framework_changelist")

    assert "Bộ chỉ số xã 2023" in text and "Bộ chỉ số mới" in text
    assert '<td class="field-criteria_count">6</td>' in text
    assert text.count('alt="True"') == 1


def test_framework_page_shows_the_criteria_tree_with_codes_and_points(admin_client, framework):
    text = page(admin_client, "framework_change", framework.pk)

    assert in_order(text, *(f"{code}. Tiêu chí {code}<" for code, _, _ in TREE))
    assert f">{NBSP4 * 2}1.2.1. Tiêu chí 1.2.1</a></td><td>14,5</td>" in text
    assert f">{NBSP4}1.2. Tiêu chí 1.2</a></td><td>40</td>" in text
    assert f"?framework__id__exact={framework.pk}" in text
    assert f"?framework={framework.pk}" in text  # add link: not frozen yet


def test_criterion_changelist_is_in_tree_order_indented_by_depth(admin_client, framework):
    text = page(admin_client, "criterion_changelist", query=f"?framework__id__exact={framework.pk}")

    assert in_order(text, *(f"{code}. Tiêu chí {code}<" for code, _, _ in TREE))
    assert f">{NBSP4 * 2}1.2.2. Tiêu chí 1.2.2</a>" in text
    assert f">{NBSP4}1.1. Tiêu chí 1.1</a>" in text
    assert '<td class="field-points">25,5</td>' in text
    assert '<td class="field-points">60</td>' in text


def test_criterion_changelist_filters_leaves_and_flags_them(admin_client, framework):
    text = page(admin_client, "criterion_changelist", query="?leaf=1")

    assert "Chấm điểm trực tiếp" in text
    assert text.count('<td class="field-leaf"><img') == 4
    assert "1.2.1. Tiêu chí 1.2.1<" in text and "1.2. Tiêu chí 1.2<" not in text


def test_deleting_sub_criteria_rebuilds_the_tree(admin_client, framework):
    children = framework.criteria.filter(code__in=["1.2.1", "1.2.2"])

    response = admin_client.post(
        reverse("admin:scoring_criterion_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in children], "post": "yes"},
        follow=True,
    )

    assert response.status_code == 200
    assert not framework.criteria.filter(code__in=["1.2.1", "1.2.2"]).exists()
    assert framework.criteria.get(code="1.2").is_leaf


def test_deleting_one_sub_criterion_warns_that_the_sum_is_off(admin_client, framework):
    leaf = framework.criteria.get(code="1.2.2")

    response = admin_client.post(
        reverse("admin:scoring_criterion_delete", args=[leaf.pk]), {"post": "yes"}, follow=True
    )

    text = response.content.decode()
    assert "Cây tiêu chí của «Bộ chỉ số xã 2023» chưa hợp lệ" in text
    assert "Điểm tối đa của «1.2» là 40 nhưng tổng điểm tối đa các tiêu chí con là" in text


def test_criterion_search_finds_by_code(admin_client, framework):
    text = page(admin_client, "criterion_changelist", query="?q=1.2.2")

    assert "1.2.2. Tiêu chí 1.2.2<" in text and "1.1. Tiêu chí 1.1<" not in text


def test_criterion_form_offers_parents_of_its_framework_but_not_its_subtree(
    admin_client, framework
):
    build_framework([("9", None, "5")])
    node = framework.criteria.get(code="1.2")

    text = page(admin_client, "criterion_change", node.pk)

    assert 'value="40"' in text  # max points, no trailing zeros
    assert ">1. Tiêu chí 1</option>" in text
    assert f">{NBSP4}1.1. Tiêu chí 1.1</option>" in text
    assert ">9. " not in text
    assert "1.2.1. Tiêu chí 1.2.1</option>" not in text


def _add_criterion(client, framework, **fields):
    data = {
        "framework": framework.pk,
        "parent": "",
        "code": "3",
        "title": "Lĩnh vực mới",
        "max_points": "0,5",
        "min_points": "0",
        "source": "assessment",
        "order": "10",
        **fields,
    }
    url = reverse("admin:scoring_criterion_add") + f"?framework={framework.pk}"
    return client.post(url, data, follow=True)


def test_adding_a_criterion_rebuilds_the_tree(admin_client, framework):
    parent = framework.criteria.get(code="2")
    parent.max_points = Decimal("40.5")
    parent.save()

    response = _add_criterion(
        admin_client, framework, parent=parent.pk, code="2.1", max_points="40,5"
    )

    added = framework.criteria.get(code="2.1")
    assert (added.depth, added.max_points, added.is_leaf) == (1, Decimal("40.5"), True)
    assert not framework.criteria.get(code="2").is_leaf
    assert "chưa hợp lệ" not in response.content.decode()


def test_a_tree_that_does_not_add_up_is_saved_with_the_rebuild_message(admin_client, framework):
    parent = framework.criteria.get(code="2")

    response = _add_criterion(admin_client, framework, parent=parent.pk, code="2.1", max_points="1")

    text = response.content.decode()
    assert "Cây tiêu chí của «Bộ chỉ số xã 2023» chưa hợp lệ" in text
    assert "Điểm tối đa của «2» là 40 nhưng tổng điểm tối đa các tiêu chí con là 1" in text
    assert framework.criteria.get(code="2").is_leaf  # derived fields untouched


def test_frozen_framework_criterion_opens_read_only_with_the_reason(admin_client, assessment):
    criterion = assessment.framework.criteria.get(code="1.2.1")
    url = reverse("admin:scoring_criterion_change", args=[criterion.pk])

    text = page(admin_client, "criterion_change", criterion.pk)
    posted = admin_client.post(url, {"title": "Sửa", "max_points": "1"})

    assert FROZEN_MESSAGE.format(name="Bộ chỉ số xã 2023") in text
    assert 'name="_save"' not in text and 'name="title"' not in text
    assert posted.status_code == 403
    criterion.refresh_from_db()
    assert (criterion.title, criterion.max_points) == ("Tiêu chí 1.2.1", Decimal("14.5"))


def test_frozen_framework_opens_with_only_its_last_year_editable(admin_client, assessment):
    framework = assessment.framework

    text = page(admin_client, "framework_change", framework.pk)

    assert FROZEN_MESSAGE.format(name="Bộ chỉ số xã 2023") in text
    assert "Riêng «đến năm» vẫn sửa được" in text
    assert 'name="year_to"' in text and 'name="name"' not in text
    assert f"?framework={framework.pk}" not in text


def test_a_frozen_framework_is_extended_to_next_year_and_nothing_else_changes(
    admin_client, assessment
):
    """A province keeping its bộ chỉ số for 2024 extends "đến năm" in the admin; the
    name and the years it scored stay."""
    framework = assessment.framework
    url = reverse("admin:scoring_framework_change", args=[framework.pk])
    form = {"name": "Đổi tên", "level": "district", "year_from": "2020", "decision": "x"}

    extended = admin_client.post(url, {**form, "year_to": "2024"})
    shortened = admin_client.post(url, {**form, "year_to": "2022"})

    assert extended.status_code == 302
    framework.refresh_from_db()
    assert (framework.name, framework.level, framework.year_to) == (
        "Bộ chỉ số xã 2023",
        "commune",
        2024,
    )
    assert shortened.context["adminform"].form.errors["year_to"] == [
        "Bộ chỉ số đã dùng để chấm điểm năm 2023 nên phải áp dụng ít nhất đến năm 2023."
    ]


def test_adding_a_criterion_to_a_frozen_framework_is_refused_with_the_reason(
    admin_client, assessment
):
    response = _add_criterion(admin_client, assessment.framework)

    assert FROZEN_MESSAGE.format(name="Bộ chỉ số xã 2023") in response.content.decode()
    assert not assessment.framework.criteria.filter(code="3").exists()


def test_assessment_changelist_filters_by_year_and_searches_units(admin_client, assessment):
    AssessmentFactory(unit=UnitFactory(code="KH", name="Xã Kỳ Hoa"), year=2022)

    of_2023 = page(admin_client, "assessment_changelist", query="?year=2023")
    found = page(admin_client, "assessment_changelist", query="?q=Kỳ+Hoa")

    assert "Xã Cẩm Sơn (CS)" in of_2023 and "Xã Kỳ Hoa" not in of_2023
    assert "Đã công bố" in of_2023 and "Khối xã" in of_2023
    assert "Xã Kỳ Hoa (KH)" in found and "Cẩm Sơn" not in found


def test_assessment_page_shows_the_engines_totals_the_vietnamese_way(admin_client, assessment):
    text = page(admin_client, "assessment_change", assessment.pk)

    assert '<th class="total">85,08</th>' in text
    assert "<th>14,92</th>" in text
    assert "Chỉ số: <strong>85,08%</strong>" in text
    assert "<td>30,08</td>" in text and "<td>9,92</td>" in text  # field 2
    assert "thẩm định ở 1 tiêu chí" in text
    assert f"?assessment__id__exact={assessment.pk}" in text


def test_score_changelist_filters_by_year_and_searches_criterion_code(admin_client, assessment):
    old = AssessmentFactory(unit=assessment.unit, framework=assessment.framework, year=2022)
    score_assessment(old, {"1.1": "3"})

    of_2023 = page(admin_client, "score_changelist", query="?assessment__year=2023")
    found = page(admin_client, "score_changelist", query="?q=1.2.2")

    assert '<td class="field-final_points">20,5</td>' in of_2023
    assert '<td class="field-self_points">25,5</td>' in of_2023
    assert '<td class="field-final_points">3</td>' not in of_2023
    assert found.count('class="field-criterion_title"') == 1 and "1.2.2. " in found


def test_score_and_assessment_change_pages_open(admin_client, assessment):
    score = Score.objects.get(criterion__code="1.2.2")

    text = page(admin_client, "score_change", score.pk)

    assert 'value="20,5"' in text and 'value="25,5"' in text


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_criterion_and_assessment_changelists_do_not_grow_with_rows(admin_client, framework):
    criteria_url = reverse("admin:scoring_criterion_changelist")
    assessments_url = reverse("admin:scoring_assessment_changelist")
    for _ in range(5):
        AssessmentFactory(framework=framework)
    small = (
        _count_queries(admin_client, criteria_url),
        _count_queries(admin_client, assessments_url),
    )
    for index in range(45):
        Criterion.objects.create(framework=framework, code=f"x{index}", title="x", max_points=1)
        AssessmentFactory(framework=framework)

    large = (
        _count_queries(admin_client, criteria_url),
        _count_queries(admin_client, assessments_url),
    )

    assert Assessment.objects.count() == 50 and framework.criteria.count() == 51
    assert small == large


def _post_score(client, score, **fields):
    data = {
        "assessment": score.assessment_id,
        "criterion": score.criterion_id,
        "self_score": "",
        "appraised_score": "",
        "note": "",
        "sheet_version": score.assessment.version,  # the page's hidden field
        **fields,
    }
    return client.post(reverse("admin:scoring_score_change", args=[score.pk]), data)


def test_score_typed_with_a_decimal_comma_or_point_is_saved(admin_client, assessment):
    score = Score.objects.get(criterion__code="1.2.1")

    response = _post_score(admin_client, score, self_score="9,13", appraised_score="8.5")

    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.self_score, score.appraised_score) == (Decimal("9.13"), Decimal("8.5"))


def test_score_with_four_decimals_is_refused_in_vietnamese(admin_client, assessment):
    score = Score.objects.get(criterion__code="1.2.1")

    response = _post_score(admin_client, score, self_score="9,1234")

    assert response.status_code == 200
    assert "«9,1234» có quá 3 chữ số thập phân." in response.content.decode()


def test_score_form_without_a_criterion_reports_the_missing_field(admin_client, assessment):
    response = admin_client.post(
        reverse("admin:scoring_score_add"), {"assessment": assessment.pk, "self_score": "1"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["criterion"]


def test_calendar_dates_are_typed_day_first(admin_client):
    province = UnitFactory(level=UnitLevel.PROVINCE)
    response = admin_client.post(
        reverse("admin:scoring_scoringcalendar_add"),
        {
            "unit": str(province.pk),
            "year": "2024",
            "self_assessment_closes": "04/05/2024",
            "appraisal_closes": "31/12/2024",
            "appraisal_rounds": "2",
        },
    )

    assert response.status_code == 302
    calendar = ScoringCalendar.objects.get(year=2024, unit=province)
    assert (calendar.self_assessment_closes, calendar.appraisal_closes) == (
        date(2024, 5, 4),
        date(2024, 12, 31),
    )
    assert calendar.appraisal_rounds == 2
    change = reverse("admin:scoring_scoringcalendar_change", args=[calendar.pk])
    assert 'value="04/05/2024"' in admin_client.get(change).content.decode()


def test_calendar_with_a_date_typed_wrongly_is_refused_not_a_server_error(admin_client):
    """A date the admin cannot read is reported on its field (the year's order check
    has nothing to compare)."""
    response = admin_client.post(
        reverse("admin:scoring_scoringcalendar_add"),
        {
            "year": "2024",
            "self_assessment_closes": "31/02/2024",
            "appraisal_closes": "",
            "appraisal_rounds": "1",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert set(errors) == {"unit", "self_assessment_closes", "appraisal_closes"}
    assert not ScoringCalendar.objects.exists()


def test_a_commune_cannot_hold_a_calendar(admin_client):
    commune = UnitFactory(level=UnitLevel.COMMUNE)
    response = admin_client.post(
        reverse("admin:scoring_scoringcalendar_add"),
        {
            "unit": str(commune.pk),
            "year": "2024",
            "self_assessment_closes": "30/11/2024",
            "appraisal_closes": "20/12/2024",
            "appraisal_rounds": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["unit"] == [
        "Đơn vị cấp xã không có đơn vị trực thuộc nên không mở kỳ đánh giá."
    ]
    assert not ScoringCalendar.objects.exists()
