"""Every way of importing scores leaves the stored tallies at the file's totals; an
import that fails writes none (framework: 1.1 max 1 and 1.2 max 2 in field 1, 2.1 max 2
in field 2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.models import Assessment, AssessmentTally
from tests.factories import UnitFactory, score_assessment, write_csv, write_xlsx
from tests.scoring.import_helpers import failing_command, run_command
from tests.scoring.tallies.stored import WHOLE, assert_right, stored, tally
from tests.web.sheet_setup import make_world

pytestmark = pytest.mark.django_db

HEADER = ["unit_code", "criterion_code", "self_score", "appraised_score", "note", "not_applicable"]


@pytest.fixture
def world():
    world = make_world()
    score_assessment(world.mine, {"1.1": "1", "1.2": "2"})
    return world


def file_rows(world) -> list[list[str]]:
    """Mine: 1.1 appraised down to 0,25, 1.2 unchanged, 2.1 not applicable; a new commune
    (no sheet yet this year) with two leaves scored."""
    mine = world.mine.unit.code
    return [
        HEADER,
        [mine, "1.1", "1", "0,25", "", ""],
        [mine, "1.2", "2", "", "", ""],
        [mine, "2.1", "", "", "", "có"],
        ["NEW", "1.1", "0,5", "", "", ""],
        ["NEW", "2.1", "1,5", "2", "", ""],
    ]


def import_args(world, path) -> list[str]:
    return [str(path), "--year", str(world.mine.year), "--framework", world.mine.framework.name]


def assert_file_totals(world) -> None:
    assert stored(world.mine) == {
        WHOLE: tally("3", "2.25", "3", applicable=2, self_scored=1, appraised=1),
        "1": tally("3", "2.25", "3", applicable=2, self_scored=1, appraised=1),
        "2": tally("0", "0", None, applicable=0),
    }
    created = Assessment.objects.get(unit__code="NEW", year=world.mine.year)
    assert stored(created) == {
        WHOLE: tally("5", "2.5", "2", applicable=3, self_scored=1, appraised=1),
        "1": tally("3", "0.5", "0.5", applicable=2, self_scored=1),
        "2": tally("2", "2", "1.5", applicable=1, appraised=1),
    }
    assert_right(created)


def new_commune(world) -> None:
    UnitFactory(code="NEW", parent=world.district, ranking_group=world.mine.ranking_group)


def test_import_scores_from_csv_stores_the_files_totals(world, tmp_path):
    new_commune(world)
    path = write_csv(tmp_path / "diem.csv", file_rows(world))

    run_command("import_scores", *import_args(world, path))

    assert_file_totals(world)


def test_import_scores_from_xlsx_stores_the_files_totals(world, tmp_path):
    new_commune(world)
    path = write_xlsx(tmp_path / "diem.xlsx", file_rows(world))

    run_command("import_scores", *import_args(world, path))

    assert_file_totals(world)


def test_the_admins_import_stores_nothing_at_preview_and_the_totals_on_confirm(world, admin_client):
    new_commune(world)
    text = "\n".join(",".join(f'"{cell}"' for cell in row) for row in file_rows(world))
    upload = SimpleUploadedFile("diem.csv", text.encode(), content_type="text/csv")
    before = stored(world.mine)
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
    assert preview.status_code == 200
    assert stored(world.mine) == before
    assert not Assessment.objects.filter(unit__code="NEW").exists()
    initial = preview.context["confirm_form"].initial
    confirm = {name: "" if value is None else value for name, value in initial.items()}

    done = admin_client.post(reverse("admin:scoring_score_process_import"), confirm)

    assert done.status_code == 302
    assert_file_totals(world)


def test_an_import_that_fails_writes_no_tally(world, tmp_path):
    new_commune(world)
    rows = file_rows(world)
    rows[2][2] = "5"  # 1.2 is worth 2 at most: the whole file is refused
    before = stored(world.mine)
    tallies = AssessmentTally.objects.count()

    failing_command("import_scores", *import_args(world, write_csv(tmp_path / "diem.csv", rows)))

    assert stored(world.mine) == before
    assert before[WHOLE] == tally("5", "3", "3", applicable=3, self_scored=2)
    assert AssessmentTally.objects.count() == tallies
    assert not Assessment.objects.filter(unit__code="NEW").exists()
