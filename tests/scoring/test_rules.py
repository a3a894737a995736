from decimal import Decimal

import pytest

from scoring.importing import import_criteria
from scoring.models import AssessmentStatus, Criterion, Score
from scoring.rules import BANDS, LINEAR, MANUAL, TIERS, parse_rule, rule_points, rule_problems
from tests.factories import FrameworkFactory, write_csv
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token

D = Decimal
TIERS_TEXT = "tiers: Kịp thời=1; Không kịp thời=0,5; Không ban hành=0"
BANDS_TEXT = "bands: >90=2; 70-90=1; <70=0"


@pytest.mark.parametrize("text", ["", "manual", "  Manual "])
def test_empty_or_manual_is_typed_by_hand(text):
    assert parse_rule(text).kind == MANUAL


def test_tiers_give_the_points_of_the_chosen_tier():
    rule = parse_rule(TIERS_TEXT)

    assert rule.kind == TIERS
    assert rule.tiers == (
        ("Kịp thời", D(1)),
        ("Không kịp thời", D("0.5")),
        ("Không ban hành", D(0)),
    )
    assert rule_points(rule, D(1), tier="Không kịp thời") == D("0.5")
    assert rule_points(rule, D(1), tier="") is None
    with pytest.raises(ValueError, match="không phải là một mức"):
        rule_points(rule, D(1), tier="Gần kịp thời")


@pytest.mark.parametrize(
    ("ratio", "points"),
    [("95", "2"), ("90,001", "2"), ("90", "1"), ("70", "1"), ("69,99", "0"), ("0", "0")],
)
def test_bands_take_the_first_band_the_ratio_falls_in(ratio, points):
    rule = parse_rule(BANDS_TEXT)

    assert rule.kind == BANDS
    assert rule_points(rule, D(2), ratio=D(ratio.replace(",", "."))) == D(points)


def test_band_operators_with_equals_are_read():
    rule = parse_rule("bands: >=80=1; <80=0")

    assert rule_points(rule, D(1), ratio=D(80)) == D(1)
    assert rule_points(rule, D(1), ratio=D("79.9")) == D(0)


def test_linear_is_proportional_and_capped_at_the_max():
    rule = parse_rule("linear: 1")

    assert rule.kind == LINEAR
    assert rule_points(rule, D("0.5"), ratio=D(18)) == D("0.18")  # 18% → 0,18 of 0,5
    assert rule_points(rule, D("0.5"), ratio=D(80)) == D("0.5")
    assert rule_points(parse_rule("linear"), D("0.5"), ratio=D(50)) == D("0.25")
    with pytest.raises(ValueError, match="từ 0 đến 100"):
        rule_points(rule, D("0.5"), ratio=D(101))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bậc thang: 1", "Không hiểu quy tắc"),
        ("tiers:", "chưa có mức nào"),
        ("tiers: Kịp thời", "Tên mức=điểm"),
        ("bands: khoảng 90=2", "«>90=2»"),
        ("linear: nửa", "không phải là số"),
    ],
)
def test_unreadable_rules_say_why_in_vietnamese(text, message):
    with pytest.raises(ValueError, match=message):
        parse_rule(text)


def test_rule_points_outside_the_criterion_range_are_problems():
    problems = rule_problems(parse_rule("tiers: A=1,5; B=0"), D(0), D(1))

    assert problems == ["Quy tắc cho 1,5 điểm, ngoài khoảng 0–1."]


@pytest.mark.django_db
def test_framework_import_reads_the_optional_rule_column(tmp_path):
    framework = FrameworkFactory()
    path = write_csv(
        tmp_path / "rules.csv",
        [
            ["code", "parent_code", "title", "max_points", "rule"],
            ["1", "", "Lĩnh vực", "3", ""],
            ["1.1", "1", "Ban hành kế hoạch", "1", TIERS_TEXT],
            ["1.2", "1", "Tỷ lệ hồ sơ", "2", BANDS_TEXT],
        ],
    )

    import_criteria(path, framework=framework)

    rules = dict(Criterion.objects.values_list("code", "rule"))
    assert rules == {"1": "", "1.1": TIERS_TEXT, "1.2": BANDS_TEXT}


@pytest.mark.django_db
def test_framework_import_refuses_a_bad_rule_with_row_and_column(tmp_path):
    framework = FrameworkFactory()
    path = write_csv(
        tmp_path / "rules.csv",
        [
            ["code", "parent_code", "title", "max_points", "rule"],
            ["1", "", "Lĩnh vực", "1", "tiers: A=2; B=0"],
        ],
    )

    with pytest.raises(Exception) as failure:
        import_criteria(path, framework=framework)

    assert "Dòng 2, cột rule: Quy tắc cho 2 điểm, ngoài khoảng 0–1." in str(failure.value.errors)
    assert not Criterion.objects.exists()


def _rule_world():
    world = make_world(
        rows=[("1", None, "3"), ("1.1", "1", "1"), ("1.2", "1", "2")],
    )
    Criterion.objects.filter(code="1.1").update(rule=TIERS_TEXT)
    Criterion.objects.filter(code="1.2").update(rule="linear: 2")
    return world


@pytest.mark.django_db
def test_unit_declares_facts_and_the_points_follow():
    world = _rule_world()
    ids = leaf_ids(world.mine)
    client = logged_in(world.unit_user)

    response = client.post(
        f"/danh-gia/{world.mine.pk}/luu/",
        {
            f"tier-{ids['1.1']}": "Không kịp thời",
            f"ratio-{ids['1.2']}": "18,5",
            "token": token(world.mine),
        },
    )

    assert response.status_code == 302
    scores = {s.criterion.code: s for s in Score.objects.select_related("criterion")}
    assert (scores["1.1"].declared_tier, scores["1.1"].self_score) == ("Không kịp thời", D("0.5"))
    assert (scores["1.2"].declared_ratio, scores["1.2"].self_score) == (D("18.5"), D("0.37"))
    page = client.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert 'id="total-achieved">0,87<' in page
    assert "Chọn mức" in page and "Tỷ lệ thuận" in page


@pytest.mark.django_db
def test_a_ratio_above_100_is_refused_at_its_cell():
    world = _rule_world()
    ids = leaf_ids(world.mine)

    response = logged_in(world.unit_user).post(
        f"/danh-gia/{world.mine.pk}/luu/",
        {f"ratio-{ids['1.2']}": "120", "token": token(world.mine)},
    )

    assert response.status_code == 400
    assert "Tỷ lệ phải từ 0 đến 100%." in response.content.decode()
    assert 'value="120"' in response.content.decode()


@pytest.mark.django_db
def test_appraiser_overrides_a_rule_only_with_a_reason():
    world = _rule_world()
    ids = leaf_ids(world.mine)
    client = logged_in(world.unit_user)
    client.post(
        f"/danh-gia/{world.mine.pk}/luu/",
        {f"tier-{ids['1.1']}": "Kịp thời", "token": token(world.mine)},
    )
    world.mine.refresh_from_db()
    world.mine.status = AssessmentStatus.SUBMITTED
    world.mine.save()
    appraiser = logged_in(world.home_affairs)
    override = {f"appraised-{ids['1.1']}": "0,5", "token": token(world.mine)}

    refused = appraiser.post(f"/danh-gia/{world.mine.pk}/luu/", override)
    override[f"comment-{ids['1.1']}"] = "Văn bản ban hành chậm 5 ngày"
    accepted = appraiser.post(f"/danh-gia/{world.mine.pk}/luu/", override)

    assert refused.status_code == 400
    assert "Khác điểm tính theo quy tắc (1)" in refused.content.decode()
    assert accepted.status_code == 302
    score = Score.objects.get(criterion__code="1.1")
    assert (score.self_score, score.appraised_score) == (D(1), D("0.5"))
    last = score.history.first()
    assert (last.appraisal_comment, last.history_user) == (
        "Văn bản ban hành chậm 5 ngày",
        world.home_affairs,
    )
