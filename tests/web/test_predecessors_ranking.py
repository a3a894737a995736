"""Where a merged unit's rank change would be: the ranking page and its Excel, the
results export, the plan's rank sentence and the analysis report say why there is none,
and the rankings of the years before stay as they were."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from remediation.selectors import rank_clause
from remediation.selectors.document import plan_document
from remediation.services import plan_draft
from scoring.analysis import group_losses
from scoring.engine import group_ranking
from scoring.exports import ranking_dataset
from scoring.importing import import_units
from scoring.reports.analysis import analysis_document_model
from tests.factories import write_csv
from tests.scoring.test_analysis_report import texts_of
from tests.web.predecessors_setup import MERGED_ROW, UNITS_HEADER, build_merger, clear_world
from tests.web.test_ranking import URL, rows_of, xlsx_rows

pytestmark = pytest.mark.django_db

LABEL = "đơn vị mới hợp nhất từ Xã An, Xã Bình, Xã Châu (từ năm 2025)"


def ranking_of(client, user, group, year: int, **extra):
    client.force_login(user)
    return client.get(URL, {"khoi": group.pk, "nam": year, **extra})


@pytest.mark.parametrize("role", ["unit_user", "home_affairs"])
def test_the_2025_ranking_says_the_merged_unit_is_new_and_peers_keep_their_change(
    client, tmp_path, role
):
    world = build_merger(tmp_path)

    rows = {
        row["unit"]: row for row in rows_of(ranking_of(client, world[role], world["new"], 2025))
    }

    assert [(code, rows[code]["rank"]) for code in ("P3", "HN", "P1", "P2")] == [
        ("P3", "1"),
        ("HN", "2"),
        ("P1", "3"),
        ("P2", "4"),
    ]
    assert rows["HN"]["change"] == LABEL
    assert rows["P3"]["change"] == "tăng 4 bậc năm trước hạng 5, +2,5 điểm"
    assert rows["P1"]["change"] == "giảm 2 bậc năm trước hạng 1, −1 điểm"


def test_the_ranking_excel_gives_the_label_in_the_change_column(client, tmp_path):
    world = build_merger(tmp_path)

    header, *rows = xlsx_rows(
        ranking_of(client, world["unit_user"], world["new"], 2025, tai="xlsx")
    )

    change = header.index("Thay đổi hạng (bậc)")
    by_code = {row[1]: row for row in rows}
    assert by_code["HN"][change] == LABEL
    assert by_code["HN"][header.index("Hạng năm trước")] is None
    assert by_code["P3"][change] == 4


def test_the_results_export_gives_the_label_in_the_change_column(tmp_path):
    world = build_merger(tmp_path)

    dataset = ranking_dataset([world["new"]], 2025)

    by_code = {row[1]: dict(zip(dataset.headers, row, strict=True)) for row in dataset}
    assert by_code["HN"]["rank_change"] == LABEL
    assert by_code["P1"]["rank_change"] == -2


def test_the_plan_and_the_analysis_report_say_the_unit_is_new(tmp_path):
    world = build_merger(tmp_path)
    merged = world["assessments"]["HN"]

    assert rank_clause(merged) == (
        f"; xếp thứ 2/4 trong khối xã 2025; {LABEL} nên không so sánh thứ hạng với năm 2024"
    )
    assert rank_clause(world["assessments"]["P3"]) == (
        "; xếp thứ 1/4 trong khối xã 2025; tăng 04 bậc so với năm 2024"
    )
    sentence = next(t for t in texts_of(analysis_document_model(merged)) if "đạt" in t)
    assert sentence == (
        "Kết quả Chỉ số CCHC năm 2025 của xã Hợp Nhất đạt 9,5/10 điểm, chỉ số 95% "
        f"({LABEL}, không so sánh với năm 2024), xếp thứ 2/4 trong khối xã 2025, "
        "xếp loại Tốt."
    )


def snapshot(group, year: int) -> list[tuple]:
    return [
        (row.unit_code, row.rank, row.tally, row.prev_rank, row.prev_tally, row.classification)
        for row in group_ranking(group, year, with_fields=True).rows
    ]


def test_the_years_before_are_ranked_and_analysed_as_they_were(tmp_path, django_user_model):
    world = build_merger(tmp_path, predecessors=())
    home_affairs = world["home_affairs"]
    before = snapshot(world["old"], 2024), group_losses(home_affairs, world["old"], 2024)

    import_units(write_csv(tmp_path / "hop-nhat.csv", [UNITS_HEADER, MERGED_ROW]))

    assert world["merged"].predecessors.count() == 3
    after = snapshot(world["old"], 2024), group_losses(home_affairs, world["old"], 2024)
    assert after == before
    assert before[0][:2] == [
        ("P1", 1, before[0][0][2], None, None, "Tốt"),
        ("A", 2, before[0][1][2], None, None, "Tốt"),
    ]


def test_the_ranking_page_reads_all_labels_in_one_query(client, tmp_path):
    counts = []
    for predecessors in (("A",), ("A", "B", "C")):
        world = build_merger(tmp_path, predecessors=predecessors)
        ranking_of(client, world["home_affairs"], world["new"], 2025)
        with CaptureQueriesContext(connection) as captured:
            response = ranking_of(client, world["home_affairs"], world["new"], 2025)
        assert next(r for r in rows_of(response) if r["unit"] == "HN")["change"].startswith(
            "đơn vị mới"
        )
        counts.append(len(captured))
        clear_world()
    assert counts[0] == counts[1], counts


def test_the_merged_units_plan_says_it_is_new_and_its_predecessors_plans_stay_shut(
    client, tmp_path
):
    world = build_merger(tmp_path)
    plan = plan_draft(unit=world["merged"], year=2025)
    predecessors_plan = plan_draft(unit=world["units"]["A"], year=2024)

    sentence = plan_document(plan, date(2026, 1, 15)).results_sentence
    assert sentence.startswith(
        "Năm 2025, Chỉ số cải cách hành chính của xã Hợp Nhất được thẩm định đạt 9,5/10 điểm; "
        f"xếp thứ 2/4 trong khối xã 2025; {LABEL} nên không so sánh thứ hạng với năm 2024."
    )
    client.force_login(world["unit_user"])
    assert client.get(reverse("remediation:plan", args=[plan.pk])).status_code == 200
    refused = client.get(reverse("remediation:plan", args=[predecessors_plan.pk]))
    assert refused.status_code in (403, 404)
