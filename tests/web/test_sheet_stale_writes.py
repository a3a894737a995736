"""A sheet opened before an import or an admin edit cannot be saved over it.

Every write path that changes scores moves the sheet's token in its transaction, so
the stale form is refused with the usual conflict message, what was typed is shown
back, and the other write's values stay in the database. Writes that change nothing
move nothing and refuse no one.
"""

import html
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.admin.scores import STALE_SCORE_MESSAGE
from scoring.importing import import_scores
from scoring.models import AssessmentStatus, Score
from scoring.sheet import CONFLICT_MESSAGE
from tests.factories import score_assessment, write_csv
from tests.web.sheet_setup import leaf_ids, logged_in, make_world

pytestmark = pytest.mark.django_db

HEADER = ["unit_code", "criterion_code", "self_score", "appraised_score", "note"]


@pytest.fixture
def world():
    world = make_world()
    score_assessment(world.mine, {"1.1": "0,5", "1.2": "1"})
    return world


def open_sheet(client, assessment) -> str:
    """The token of the sheet's form, as the browser got it."""
    page = client.get(f"/danh-gia/{assessment.pk}/").content.decode()
    return re.search(r'name="token" value="([^"]*)"', page).group(1)


def save_sheet(client, assessment, token: str, values: dict[str, str]):
    ids = leaf_ids(assessment)
    data = {f"self-{ids[code]}": text for code, text in values.items()}
    return client.post(f"/danh-gia/{assessment.pk}/luu/", {**data, "token": token})


def stored(assessment) -> dict[str, Decimal | None]:
    scores = Score.objects.filter(assessment=assessment)
    return dict(scores.values_list("criterion__code", "self_score"))


def assert_refused(response, typed: str) -> str:
    page = response.content.decode()
    assert response.status_code == 409
    assert CONFLICT_MESSAGE in html.unescape(page)
    assert f'value="{typed}"' in page  # what was typed is kept
    return page


def assert_sheet_still_saves(client, world, opened: str) -> None:
    """A write that changed nothing left the token alone: the form opened before it saves."""
    assert open_sheet(client, world.mine) == opened
    response = save_sheet(client, world.mine, opened, {"1.1": "0,25", "1.2": "1"})
    assert response.status_code == 302
    assert stored(world.mine) == {"1.1": Decimal("0.25"), "1.2": Decimal("1")}


def scores_file(tmp_path, assessment, rows: list[list[str]]):
    code = assessment.unit.code
    return write_csv(tmp_path / "diem.csv", [HEADER, *([code, *row] for row in rows)])


def run_import(path, assessment) -> None:
    import_scores(path, year=assessment.year, framework_name=assessment.framework.name)


def test_a_sheet_opened_before_an_import_cannot_be_saved_over_it(world, tmp_path):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    run_import(scores_file(tmp_path, world.mine, [["1.1", "0,75", "", ""]]), world.mine)

    response = save_sheet(client, world.mine, opened, {"1.1": "0,25", "1.2": "1"})

    page = assert_refused(response, "0,25")
    assert "Bản đã lưu: 0,75<" in page  # the imported value, beside the kept input
    assert stored(world.mine) == {"1.1": Decimal("0.75"), "1.2": Decimal("1")}


def test_the_refused_page_carries_the_new_token_so_the_next_save_goes_through(world, tmp_path):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    run_import(scores_file(tmp_path, world.mine, [["1.1", "0,75", "", ""]]), world.mine)
    page = save_sheet(client, world.mine, opened, {"1.1": "0,25"}).content.decode()
    fresh = re.search(r'name="token" value="([^"]*)"', page).group(1)

    response = save_sheet(client, world.mine, fresh, {"1.1": "0,25", "1.2": "1"})

    assert response.status_code == 302
    assert stored(world.mine) == {"1.1": Decimal("0.25"), "1.2": Decimal("1")}


def test_an_import_moves_only_the_sheets_whose_scores_it_changed(world, tmp_path):
    score_assessment(world.other, {"1.1": "1"})
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    other = world.other.unit.code
    rows = [
        [world.mine.unit.code, "1.1", "0,5", "", ""],  # as stored: no change
        [world.mine.unit.code, "1.2", "1", "", ""],  # as stored: no change
        [other, "1.1", "0,25", "", ""],
    ]
    run_import(write_csv(tmp_path / "diem.csv", [HEADER, *rows]), world.mine)

    response = save_sheet(client, world.mine, opened, {"1.1": "0,75", "1.2": "1"})

    assert response.status_code == 302
    assert stored(world.mine) == {"1.1": Decimal("0.75"), "1.2": Decimal("1")}
    assert stored(world.other) == {"1.1": Decimal("0.25")}
    world.other.refresh_from_db()
    assert world.other.version == 1


def test_an_import_that_changes_nothing_refuses_no_one(world, tmp_path):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    unchanged = [["1.1", "0,5", "", ""], ["1.2", "1", "", ""]]
    run_import(scores_file(tmp_path, world.mine, unchanged), world.mine)

    assert_sheet_still_saves(client, world, opened)


def test_a_refused_import_moves_no_sheet(world, tmp_path):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    rows = [["1.1", "0,75", "", ""], ["1.2", "99", "", ""]]  # 1.2 is out of range
    with pytest.raises(Exception, match="nằm ngoài khoảng điểm"):
        run_import(scores_file(tmp_path, world.mine, rows), world.mine)

    assert open_sheet(client, world.mine) == opened
    assert stored(world.mine) == {"1.1": Decimal("0.5"), "1.2": Decimal("1")}


# The admin, logged in as a superuser.


def admin_form(admin_client, url: str, **changes) -> dict:
    """The admin change form's data as the browser would post it, with `changes`."""
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    # An unticked checkbox is not posted at all.
    return {
        name: "" if value is None else value for name, value in data.items() if value is not False
    }


def score_url(score: Score) -> str:
    return reverse("admin:scoring_score_change", args=[score.pk])


def test_a_sheet_opened_before_an_admin_edit_cannot_be_saved_over_it(world, admin_client):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    score = Score.objects.get(assessment=world.mine, criterion__code="1.1")
    url = score_url(score)

    edited = admin_client.post(url, admin_form(admin_client, url, self_score="0,75"))

    assert edited.status_code == 302
    response = save_sheet(client, world.mine, opened, {"1.1": "0,25", "1.2": "1"})
    page = assert_refused(response, "0,25")
    assert "Bản đã lưu: 0,75<" in page
    assert stored(world.mine) == {"1.1": Decimal("0.75"), "1.2": Decimal("1")}


def test_an_admin_edit_opened_before_a_sheet_save_cannot_undo_it(world, admin_client):
    score = Score.objects.get(assessment=world.mine, criterion__code="1.1")
    url = score_url(score)
    stale = admin_form(admin_client, url, self_score="0,75")
    client = logged_in(world.unit_user)
    saved = save_sheet(client, world.mine, open_sheet(client, world.mine), {"1.1": "0,25"})
    assert saved.status_code == 302

    refused = admin_client.post(url, stale)

    assert refused.status_code == 200
    form = refused.context["adminform"].form
    assert form.non_field_errors() == [STALE_SCORE_MESSAGE]
    assert form["self_score"].value() == "0,75"  # what was typed is kept
    assert stored(world.mine)["1.1"] == Decimal("0.25")
    # Saved again from the refused page, on purpose: now it goes through.
    again = admin_client.post(url, {**stale, "sheet_version": form["sheet_version"].value()})
    assert again.status_code == 302
    assert stored(world.mine)["1.1"] == Decimal("0.75")


def test_an_admin_save_that_changes_nothing_refuses_no_one(world, admin_client):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    url = score_url(Score.objects.get(assessment=world.mine, criterion__code="1.1"))

    # The version is shown, not edited: a typed one is ignored.
    data = admin_form(admin_client, url, version="99")

    assert admin_client.post(url, data).status_code == 302

    assert_sheet_still_saves(client, world, opened)


def test_an_admin_edit_refused_by_its_form_moves_no_sheet(world, admin_client):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    url = score_url(Score.objects.get(assessment=world.mine, criterion__code="1.1"))

    response = admin_client.post(url, admin_form(admin_client, url, self_score="7"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["self_score"] == ["Điểm phải từ 0 đến 1."]
    assert open_sheet(client, world.mine) == opened


def test_a_score_the_admin_adds_refuses_a_sheet_opened_before(world, admin_client):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    data = {
        "assessment": world.mine.pk,
        "criterion": leaf_ids(world.mine)["2.1"],
        "self_score": "1,5",
    }

    assert admin_client.post(reverse("admin:scoring_score_add"), data).status_code == 302

    assert_refused(save_sheet(client, world.mine, opened, {"2.1": "2"}), "2")
    assert stored(world.mine)["2.1"] == Decimal("1.5")


def test_a_score_moved_to_another_assessment_refuses_both_sheets(world, admin_client):
    score_assessment(world.other, {"1.2": "2"})
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    other_opened = open_sheet(logged_in(world.home_affairs), world.other)
    score = Score.objects.get(assessment=world.mine, criterion__code="1.1")
    url = score_url(score)

    moved = admin_client.post(url, admin_form(admin_client, url, assessment=world.other.pk))

    assert moved.status_code == 302
    assert open_sheet(client, world.mine) != opened
    assert open_sheet(logged_in(world.home_affairs), world.other) != other_opened


def test_a_score_the_admin_deletes_is_not_put_back_by_a_stale_sheet(world, admin_client):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    score = Score.objects.get(assessment=world.mine, criterion__code="1.1")
    delete_url = reverse("admin:scoring_score_delete", args=[score.pk])

    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 302

    assert_refused(save_sheet(client, world.mine, opened, {"1.1": "0,5", "1.2": "1"}), "0,5")
    assert stored(world.mine) == {"1.2": Decimal("1")}


def test_the_admin_delete_action_refuses_every_sheet_it_touched(world, admin_client):
    score_assessment(world.other, {"1.1": "1"})
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    other_opened = open_sheet(logged_in(world.home_affairs), world.other)
    chosen = Score.objects.filter(criterion__code="1.1")
    data = {
        "action": "delete_selected",
        "_selected_action": [score.pk for score in chosen],
        "post": "yes",
    }

    response = admin_client.post(reverse("admin:scoring_score_changelist"), data)

    assert response.status_code == 302
    assert not Score.objects.filter(criterion__code="1.1").exists()
    assert_refused(save_sheet(client, world.mine, opened, {"1.1": "0,5", "1.2": "1"}), "0,5")
    assert stored(world.mine) == {"1.2": Decimal("1")}
    assert open_sheet(logged_in(world.home_affairs), world.other) != other_opened


def test_a_sheet_opened_before_an_admin_import_cannot_be_saved_over_it(world, admin_client):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    text = f'{",".join(HEADER)}\n{world.mine.unit.code},1.1,"0,75",,\n'
    upload = SimpleUploadedFile("diem.csv", text.encode(), content_type="text/csv")
    preview = admin_client.post(
        reverse("admin:scoring_score_import"),
        {
            "import_file": upload,
            "format": "0",
            "resource": "0",
            "year": world.mine.year,
            "framework": world.mine.framework.pk,
        },
    )
    assert open_sheet(client, world.mine) == opened  # the preview writes nothing
    initial = preview.context["confirm_form"].initial
    confirm = {name: "" if value is None else value for name, value in initial.items()}

    done = admin_client.post(reverse("admin:scoring_score_process_import"), confirm)

    assert done.status_code == 302
    response = save_sheet(client, world.mine, opened, {"1.1": "0,25", "1.2": "1"})
    assert_refused(response, "0,25")
    assert stored(world.mine) == {"1.1": Decimal("0.75"), "1.2": Decimal("1")}


def assessment_url(assessment) -> str:
    return reverse("admin:scoring_assessment_change", args=[assessment.pk])


def test_an_admin_change_of_the_assessment_refuses_a_sheet_opened_before(world, admin_client):
    client = logged_in(world.home_affairs)
    opened = open_sheet(client, world.mine)
    url = assessment_url(world.mine)

    changed = admin_client.post(
        url, admin_form(admin_client, url, status=AssessmentStatus.SUBMITTED)
    )

    assert changed.status_code == 302
    world.mine.refresh_from_db()
    assert world.mine.status == AssessmentStatus.SUBMITTED
    assert open_sheet(client, world.mine) != opened


def test_an_unchanged_admin_save_of_the_assessment_refuses_no_one(world, admin_client):
    client = logged_in(world.unit_user)
    opened = open_sheet(client, world.mine)
    url = assessment_url(world.mine)

    # The version is shown, not edited: a typed one is ignored.
    data = admin_form(admin_client, url, version="99")

    assert admin_client.post(url, data).status_code == 302

    assert open_sheet(client, world.mine) == opened
    response = save_sheet(client, world.mine, opened, {"1.1": "0,25", "1.2": "1"})
    assert response.status_code == 302
