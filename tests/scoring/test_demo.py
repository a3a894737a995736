from decimal import Decimal

import pytest
from django.db.models import F, Q

from scoring.demo import AN_LAO, CAM_SON, COMMUNE_GROUP, DISTRICT_GROUP, TAY_SON
from scoring.engine import assessment_breakdown, group_ranking
from scoring.models import Assessment, AssessmentStatus, Framework, RankingGroup, Score, Unit
from tests.factories import load_demo_data, row_counts

pytestmark = pytest.mark.django_db

PUBLISHED = [AssessmentStatus.PUBLISHED]
REAL_UNITS = {"HT", "HT-CX", CAM_SON, "BD", AN_LAO}


def points(*values: str) -> list[Decimal]:
    return [Decimal(value) for value in values]


@pytest.fixture
def demo() -> str:
    return load_demo_data()


def breakdown(unit_code: str, year: int):
    return assessment_breakdown(Assessment.objects.get(unit__code=unit_code, year=year))


def ranking(group_name: str, year: int, **options):
    group = RankingGroup.objects.get(name=group_name)
    return group_ranking(group, year, statuses=PUBLISHED, **options)


def row_of(unit_code: str, rows):
    return next(row for row in rows if row.unit_code == unit_code)


def test_cam_son_2023_reproduces_the_table_of_seed_004(demo):
    result = breakdown(CAM_SON, 2023)

    assert [field.tally.max_points for field in result.fields] == points(
        "11", "7", "14.5", "6", "16.5", "13.5", "20", "11.5"
    )
    assert [field.tally.achieved for field in result.fields] == points(
        "9.13", "6.75", "12.99", "5.5", "14.62", "12.86", "14.27", "8.96"
    )
    assert [field.tally.deducted for field in result.fields] == points(
        "1.87", "0.25", "1.51", "0.5", "1.88", "0.64", "5.73", "2.54"
    )
    assert result.total.achieved == Decimal("85.08")
    assert result.total.deducted == Decimal("14.92")
    assert result.unscored_leaves == 0


def test_cam_son_field_7_remainder_takes_what_its_lines_cannot_explain(demo):
    remainder = breakdown(CAM_SON, 2023).node("7.11")

    assert [remainder.tally.max_points, remainder.final_score] == points("9.5", "7.74")
    # The three lines the document gives without a max, as it words them (not our remarks).
    assert remainder.note.splitlines() == [
        "Trang thông tin điện tử có đầy đủ các loại thông tin cung cấp theo quy định tại "
        "Khoản 1, Điều 4, Nghị định 42/2022/NĐ-CP: bị trừ 1 điểm",
        "Đánh giá việc tuân thủ quy trình điện tử giải quyết TTHC trên Cổng dịch vụ công "
        "quốc gia/ Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh: bị trừ 0,25 điểm",
        "Thực hiện các kiến nghị sau thanh tra, kiểm tra, kiểm toán nhà nước về tài chính, "
        "ngân sách: bị trừ 0,5 điểm",
    ]


def test_cam_son_is_third_of_23_after_last_in_2022(demo):
    rows = ranking(COMMUNE_GROUP, 2023).rows
    cam_son = row_of(CAM_SON, rows)

    assert len(rows) == 23
    assert (cam_son.rank, cam_son.prev_rank, cam_son.rank_change) == (3, 23, 20)
    assert cam_son.classification == "Tốt"


def test_an_lao_2021_reproduces_the_report_of_seed_002(demo):
    result = breakdown(AN_LAO, 2021)
    achieved = [field.tally.achieved for field in result.fields]

    assert achieved == points("9.25", "5", "6.99", "6.5", "10.5", "3", "9.18", "33.89")
    assert sum(achieved[:7]) == Decimal("50.42")
    assert result.total.achieved == Decimal("84.31")
    assert result.total.max_points == Decimal("100")
    assert [result.node("8.1").final_score, result.node("8.2").final_score] == points(
        "26.21", "7.68"
    )


def test_an_lao_survey_criteria_have_no_self_score(demo):
    result = breakdown(AN_LAO, 2021)

    assert [(n.self_score, n.score_basis) for n in result.nodes if n.code in {"8.1", "8.2"}] == [
        (None, "appraised"),
        (None, "appraised"),
    ]


def test_an_lao_is_third_of_11_two_places_below_2020(demo):
    rows = ranking(DISTRICT_GROUP, 2021).rows
    an_lao = row_of(AN_LAO, rows)

    assert len(rows) == 11
    assert (an_lao.rank, an_lao.prev_rank, an_lao.rank_change) == (3, 1, -2)
    assert an_lao.prev_tally.achieved == Decimal("83.35")
    assert an_lao.score_change == Decimal("0.96")


def test_an_lao_shares_first_place_in_field_1_with_tay_son_and_is_second_in_field_8(demo):
    rows = ranking(DISTRICT_GROUP, 2021, with_fields=True).rows
    field_1 = {row.unit_code: row.field_points["1"] for row in rows}
    field_8 = sorted((row.field_points["8"] for row in rows), reverse=True)

    assert field_1[AN_LAO] == field_1[TAY_SON] == Decimal("9.25")
    assert max(v for code, v in field_1.items() if code not in {AN_LAO, TAY_SON}) < Decimal("9.25")
    assert field_8.index(Decimal("33.89")) == 1


# Our transcription remarks live in fixtures/README.md, never in a note the plan prints.
REMARKS = ("Tài liệu", "tài liệu", "Theo bảng", "Đạt 0", "Đạt 1", "Bị trừ", "Không bị trừ", "«")


def test_the_real_results_carry_the_documents_reasons_and_no_remark(demo):
    for unit_code, year, with_reason in (
        (CAM_SON, 2023, {"2", "3", "4", "5", "6", "7.11", "8"}),
        (
            AN_LAO,
            2021,
            {"1.1", "1.2", "3.1", "3.2", "3.3", "4", "5", "6.1", "6.2", "6.3"}
            | {"7.1", "7.2", "7.3", "7.4", "8.1"},
        ),
    ):
        notes = {node.code: node.note for node in breakdown(unit_code, year).nodes if node.is_leaf}

        assert {code for code, note in notes.items() if note} == with_reason
        assert not [note for note in notes.values() if any(r in note for r in REMARKS)]


def test_demo_scores_stay_within_their_criteria(demo):
    out_of_range = Q()
    for name in ("self_score", "appraised_score"):
        out_of_range |= Q(**{f"{name}__gt": F("criterion__max_points")})
        out_of_range |= Q(**{f"{name}__lt": F("criterion__min_points")})

    assert not Score.objects.filter(out_of_range).exists()
    assert not Score.objects.filter(criterion__is_leaf=False).exists()


def test_demo_is_published_and_every_framework_covers_its_years(demo):
    assessments = Assessment.objects.select_related("framework")

    assert {a.status for a in assessments} == {AssessmentStatus.PUBLISHED}
    assert all(a.framework.year_from <= a.year <= a.framework.year_to for a in assessments)
    assert all(a.ranking_group_id == a.unit.ranking_group_id for a in assessments)


def test_everything_synthetic_says_so(demo):
    synthetic_units = Unit.objects.exclude(code__in=REAL_UNITS)
    real_frameworks = Framework.objects.filter(year_from__in=[2021, 2023])
    invented = Assessment.objects.filter(
        Q(unit__in=synthetic_units)
        | Q(unit__code=CAM_SON, year=2022)
        | Q(unit__code=AN_LAO, year=2020)
    )

    assert synthetic_units.count() == 32
    assert all("(dữ liệu giả lập)" in unit.name for unit in synthetic_units)
    assert all(
        "(dữ liệu giả lập)" in framework.name
        for framework in Framework.objects.exclude(pk__in=real_frameworks)
    )
    assert (
        not Score.objects.filter(assessment__in=invented)
        .exclude(note__startswith="Dữ liệu giả lập")
        .exists()
    )


def test_loading_twice_creates_nothing_more(demo):
    before = row_counts()

    again = load_demo_data()

    assert row_counts() == before
    assert before["Score"] == 23 * 46 + 21 * 22
    assert "không tạo thêm gì" in again
    assert "1.520 điểm" in demo


def scores_of(unit_code: str, year: int) -> list[tuple]:
    scores = Score.objects.filter(assessment__unit__code=unit_code, assessment__year=year)
    return list(
        scores.order_by("criterion__sort_key").values_list(
            "criterion__code", "self_score", "appraised_score", "note"
        )
    )


def test_loading_again_recreates_only_what_is_missing_and_the_same_way(demo):
    tay_son = scores_of(TAY_SON, 2021)
    Assessment.objects.filter(unit__code=TAY_SON, year=2021).delete()
    before = row_counts()

    load_demo_data()

    assert row_counts()["Assessment"] == before["Assessment"] + 1
    assert scores_of(TAY_SON, 2021) == tay_son
    assert breakdown(TAY_SON, 2021).fields[0].tally.achieved == Decimal("9.25")


def test_demo_accounts_have_their_roles_and_units(demo):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    from scoring.demo import DEMO_PASSWORD
    from scoring.models import Membership

    roles = {
        m.user.username: (m.role, m.unit.code if m.unit else None)
        for m in Membership.objects.select_related("user", "unit")
    }

    assert roles == {
        "quantri": ("admin", None),
        "noivu.camxuyen": ("home_affairs", "HT-CX"),
        "noivu.binhdinh": ("home_affairs", "BD"),
        "xa.camson": ("unit", "HT-CX-CS"),
        "huyen.anlao": ("unit", "BD-AL"),
    }
    login = RequestFactory().post("/dang-nhap/")  # django-axes needs the request
    assert authenticate(login, username="xa.camson", password=DEMO_PASSWORD) is not None
