"""The load test's own pieces: what it posts, how it judges answers, what it writes.

The run itself (gunicorn, PostgreSQL, minutes of load) is `make loadtest`, not a test.
"""

from decimal import Decimal

import pytest

from benchmarks.load.browser import Response, form_fields
from benchmarks.load.report import BEGIN, END, SECTION, doc_update, percentile, results_table
from benchmarks.load.users import Stats, problem
from scoring.models import Score
from tests.factories import score_assessment
from tests.web.sheet_setup import leaf_ids, logged_in, make_world


@pytest.mark.django_db
def test_the_sheet_posted_back_with_one_note_changed_saves_that_note_and_keeps_every_score():
    world = make_world()
    score_assessment(world.mine, {"1.1": "0,75", "1.2": "2", "2.1": "1,5"}, note="cũ")
    client = logged_in(world.unit_user)
    page = client.get(f"/danh-gia/{world.mine.pk}/").content.decode()

    fields = form_fields(page, "sheet-form")
    ids = leaf_ids(world.mine)
    assert fields[f"self-{ids['1.1']}"] == "0,75"
    assert fields[f"note-{ids['2.1']}"] == "cũ"
    fields[f"note-{ids['1.2']}"] = "Kiểm thử tải, lần lưu 1"
    response = client.post(f"/danh-gia/{world.mine.pk}/luu/", fields)

    assert response.status_code == 302
    rows = Score.objects.filter(assessment=world.mine).values_list(
        "criterion__code", "self_score", "note"
    )
    assert sorted(rows) == [
        ("1.1", Decimal("0.75"), "cũ"),
        ("1.2", Decimal("2"), "Kiểm thử tải, lần lưu 1"),
        ("2.1", Decimal("1.5"), "cũ"),
    ]
    after = client.get(response["Location"]).content.decode()
    assert "Đã lưu phiếu chấm (1 tiêu chí thay đổi)." in after


def test_form_fields_post_what_a_browser_would_from_that_form_only():
    page = """
    <form id="other"><input name="outside" value="x"></form>
    <form id="sheet-form"><input type="hidden" name="token" value="7">
      <input name="self-1" value="1,5"><input type="submit" name="go" value="Lưu">
      <input type="checkbox" name="na-1"><input type="checkbox" name="na-2" checked value="on">
      <textarea name="note-1">a &amp; b</textarea>
      <select name="tier-1"><option value="">—</option>
        <option value="Đạt" selected>Đạt</option></select>
      <select name="tier-2"><option value="">—</option><option value="Đạt">Đạt</option></select>
    </form>"""

    assert form_fields(page, "sheet-form") == {
        "token": "7",
        "self-1": "1,5",
        "na-2": "on",
        "note-1": "a & b",
        "tier-1": "Đạt",
        "tier-2": "",
    }


def test_an_answer_with_the_wrong_status_or_without_its_text_is_an_error():
    page = Response(200, {}, "<h1>Xã Cẩm Sơn</h1>".encode())

    assert problem(page, 200, ("<h1>Xã Cẩm Sơn</h1>",)) is None
    assert problem(page, 302, ()) == "status 200, expected 302"
    assert problem(page, 200, ("Cán bộ",)) == "missing 'Cán bộ'"
    assert problem(Response(200, {}, b"%PDF-1.7 ..."), 200, (b"%PDF-", b"%%EOF")) == (
        "missing b'%%EOF'"
    )


def test_percentiles_are_nearest_ranks():
    times = [float(ms) for ms in range(1, 101)]

    assert (percentile(times, 0.5), percentile(times, 0.95)) == (50.0, 95.0)
    assert percentile([7.0], 0.95) == 7.0


def test_the_table_counts_requests_and_errors_per_page_in_a_fixed_order():
    stats = Stats()
    for ms in (100, 300, 200):
        stats.record("ranking", ms, None)
    stats.record("home", 50, "missing 'Cán bộ'")

    table = results_table(stats, elapsed=2.0)

    assert table.splitlines()[2:5] == [
        "| home | `/` | 1 | 1 | 50 | 50 | 50 |",
        "| ranking | `/xep-hang/?khoi=&nam=` | 3 | 0 | 200 | 300 | 300 |",
        "| **all** |  | 4 | 1 | 100 | 300 | 300 |",
    ]
    assert table.endswith("Throughput: 2.0 requests/s (4 requests in 2.0 s); 1 errors.")


def test_the_doc_keeps_its_prose_and_replaces_only_the_measured_block(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nEarlier sections.\n", encoding="utf-8")

    doc_update(doc, "first run")
    text = doc.read_text(encoding="utf-8")
    doc.write_text(text.replace(END, END + "\n\nWhat we learned."), encoding="utf-8")
    doc_update(doc, "second run")

    assert doc.read_text(encoding="utf-8") == (
        f"# Benchmarks\n\nEarlier sections.\n\n{SECTION}\n\n"
        f"{BEGIN}\nsecond run\n{END}\n\nWhat we learned.\n"
    )
