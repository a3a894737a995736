"""Random sequences of writes through the app's own paths, after which the stored
tallies still equal the engine's recompute (`verify_tallies` passes).

Each example is one list of operations: sheet saves by a unit user and by Nội vụ
(random points, "không áp dụng" ticks, blank cells), "chấp nhận điểm tự chấm", score
files imported (some refused), single scores saved and deleted as the admin's forms
do, and workflow steps of a two-round year. An operation the app refuses at that
moment (a closed sheet, an incomplete appraisal, a bad file) must leave every score
and tally as it was. The examples are derandomized, so a failure replays as it
happened; the failing list of operations is printed.
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.formatting import format_points
from scoring.engine.stored import COUNTED
from scoring.importing import ImportFailed, import_scores
from scoring.models import (
    Assessment,
    AssessmentStatus,
    AssessmentTally,
    Criterion,
    CriterionSource,
    Role,
    Score,
    UnitLevel,
)
from scoring.workflow import allowed_actions, assessment_transition, last_event, sheet_state
from tests.factories import (
    AssessmentFactory,
    UnitFactory,
    build_framework,
    score_assessment,
    update_scores,
    user_with_role,
    write_csv,
)
from tests.scoring.tallies.stored import assert_right
from tests.scoring.tallies.writes import post_sheet
from tests.web.rounds_setup import two_round_year
from tests.web.sheet_setup import logged_in

pytestmark = pytest.mark.django_db

YEAR = 2023
# Field 2 holds a survey leaf (Nội vụ enters it, the unit has no self score on it).
FRAMEWORK = [
    ("1", None, "3"),
    ("1.1", "1", "1"),
    ("1.2", "1", "2"),
    ("2", None, "3.5"),
    ("2.1", "2", "1.5"),
    ("2.2", "2", "2"),
]
MAX = {code: Decimal(points) for code, parent, points in FRAMEWORK if parent}
SURVEY = "2.2"
LEAVES = sorted(MAX)
HEADER = ["unit_code", "criterion_code", "self_score", "appraised_score", "note", "not_applicable"]


@dataclass
class World:
    unit_codes: list[str]
    unit_clients: list
    home_affairs: object
    home_affairs_client: object
    unit_users: list
    framework_name: str
    file: Path
    outcomes: Counter = field(default_factory=Counter)  # (operation, wrote) → how many
    steps: Counter = field(default_factory=Counter)  # workflow action → how many went through

    def assessment(self, unit: int) -> Assessment | None:
        return Assessment.objects.filter(unit__code=self.unit_codes[unit], year=YEAR).first()


# The sheets each example starts from, one per stage, so that every write path has a
# sheet open to it: (status, appraisal round, self scores, appraised scores).
OWN = {"1.1": "1", "1.2": "1,5", "2.1": "1"}
EVERY = {"1.1": "0,5", "1.2": "2", "2.1": "1,5", "2.2": "1,25"}
SHEETS = [
    (AssessmentStatus.DRAFT, 1, {}, {}),
    (AssessmentStatus.SUBMITTED, 1, OWN, EVERY),  # ready for "Hoàn tất thẩm định"
    (AssessmentStatus.SUBMITTED, 1, OWN, {"1.1": "0,5", "2.2": "2"}),  # 1.2, 2.1 to accept
    (AssessmentStatus.APPRAISED, 2, OWN, EVERY),  # ready to publish
    (AssessmentStatus.PUBLISHED, 2, OWN, EVERY),
]
UNITS = len(SHEETS) + 1  # the last unit has no sheet until a file brings its scores


@pytest.fixture
def world(tmp_path) -> World:
    framework = build_framework(FRAMEWORK, name="Bộ chỉ số thử")
    Criterion.objects.filter(framework=framework, code=SURVEY).update(source=CriterionSource.SURVEY)
    district = UnitFactory(code="H", level=UnitLevel.DISTRICT)
    units = [UnitFactory(code=f"X{n}", parent=district) for n in range(UNITS)]
    for unit, (status, round_, own, appraised) in zip(units, SHEETS, strict=False):
        sheet = AssessmentFactory(
            unit=unit, framework=framework, year=YEAR, status=status, appraisal_round=round_
        )
        score_assessment(sheet, {code: own.get(code) for code in LEAVES})
        for code, value in appraised.items():
            update_scores(sheet.scores.filter(criterion__code=code), appraised_score=_points(value))
    two_round_year(YEAR)
    home_affairs = user_with_role(Role.HOME_AFFAIRS, district)
    unit_users = [user_with_role(Role.UNIT, unit) for unit in units]
    return World(
        unit_codes=[unit.code for unit in units],
        unit_clients=[logged_in(user) for user in unit_users],
        home_affairs=home_affairs,
        home_affairs_client=logged_in(home_affairs),
        unit_users=unit_users,
        framework_name=framework.name,
        file=tmp_path / "diem.csv",
    )


def _points(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def points(code: str):
    """A score within the leaf's range, in eighths: three decimals at most."""
    return st.integers(0, int(MAX[code] * 8)).map(lambda n: Decimal(n) / 8)


def maybe(strategy):
    """A value, or a blank cell one time in four."""
    return st.one_of(st.none(), strategy, strategy, strategy)


# The operations. Each runs through one write path and returns whether it wrote.


@dataclass(frozen=True)
class UnitSave:
    """The unit's sheet: a self score or a blank on each leaf it may score."""

    unit: int
    cells: dict

    def run(self, world: World) -> bool:
        assessment = world.assessment(self.unit)
        if assessment is None:
            return False
        client = world.unit_clients[self.unit]
        values = _cells(self.cells)
        return post_sheet(client, assessment, "self", values).status_code == 302


@dataclass(frozen=True)
class AppraiserSave:
    """Nội vụ's sheet: appraised scores or blanks, and "không áp dụng" ticks."""

    unit: int
    cells: dict
    not_applicable: frozenset

    def run(self, world: World) -> bool:
        assessment = world.assessment(self.unit)
        if assessment is None:
            return False
        response = post_sheet(
            world.home_affairs_client,
            assessment,
            "appraised",
            _cells(self.cells),
            not_applicable=sorted(self.not_applicable),
        )
        return response.status_code == 302


@dataclass(frozen=True)
class AcceptSelf:
    unit: int

    def run(self, world: World) -> bool:
        assessment = world.assessment(self.unit)
        if assessment is None:
            return False
        accepted = assessment.events.filter(action="accept_self")
        before = accepted.count()
        world.home_affairs_client.post(
            f"/danh-gia/{assessment.pk}/chap-nhan-tu-cham/", {"token": assessment.version}
        )
        return accepted.count() > before


@dataclass(frozen=True)
class Import:
    """A score file: (unit, leaf, self, appraised, not applicable) rows, and maybe one row
    that has the whole file refused."""

    rows: tuple
    broken: tuple | None

    def run(self, world: World) -> bool:
        rows = [*self.rows, *([self.broken] if self.broken else [])]
        lines = [
            [world.unit_codes[unit], code, _text(own), _text(appraised), "", "x" if na else ""]
            for unit, code, own, appraised, na in rows
        ]
        write_csv(world.file, [HEADER, *lines])
        try:
            with transaction.atomic():  # a refused file rolls back, as the command's exit does
                import_scores(world.file, year=YEAR, framework_name=world.framework_name)
        except ImportFailed:
            return False
        return True


@dataclass(frozen=True)
class AdminSave:
    """One score saved through the ORM, as the admin's change and add forms save it
    (its post_save signal keeps the tallies)."""

    unit: int
    code: str
    self_score: Decimal | None
    appraised_score: Decimal | None
    not_applicable: bool

    def run(self, world: World) -> bool:
        assessment = world.assessment(self.unit)
        if assessment is None:
            return False
        score = Score.objects.filter(assessment=assessment, criterion__code=self.code).first()
        if score is None:
            criterion = assessment.framework.criteria.get(code=self.code)
            score = Score(assessment=assessment, criterion=criterion)
        score.self_score = self.self_score
        score.appraised_score = self.appraised_score
        score.not_applicable = self.not_applicable
        score.save()
        return True


@dataclass(frozen=True)
class AdminDelete:
    """One score deleted through the ORM, as the admin's delete page deletes it."""

    unit: int
    code: str

    def run(self, world: World) -> bool:
        score = Score.objects.filter(
            assessment__unit__code=world.unit_codes[self.unit],
            assessment__year=YEAR,
            criterion__code=self.code,
        ).first()
        if score is None:
            return False
        score.delete()
        return True


@dataclass(frozen=True)
class Step:
    """A workflow step: one the sheet's buttons offer its unit or Nội vụ now (`pick`
    chooses among them), or else `action` as a stale page would post it (mostly refused)."""

    unit: int
    pick: int
    action: str

    def run(self, world: World) -> bool:
        assessment = world.assessment(self.unit)
        if assessment is None:
            return False
        state = sheet_state(assessment, last_event=last_event(assessment))
        users = (world.unit_users[self.unit], world.home_affairs)
        offered = [(user, action) for user in users for action in allowed_actions(user, state)]
        user, action = offered[self.pick % len(offered)] if offered else (users[1], self.action)
        try:
            assessment_transition(
                assessment=assessment, user=user, action=action, reason="Lý do thử"
            )
        except (ValidationError, PermissionDenied):
            return False
        world.steps[action] += 1
        return True


def _text(value: Decimal | None) -> str:
    return "" if value is None else format_points(value)


def _cells(cells: dict) -> dict[str, str]:
    """The typed text of each cell that is not left blank (0 is typed as "0")."""
    return {code: format_points(value) for code, value in cells.items() if value is not None}


def snapshot() -> tuple[list, list]:
    """Every score's points and every stored tally, to show a refused write left them."""
    scores = Score.objects.order_by("assessment_id", "criterion_id").values_list(
        "assessment_id", "criterion_id", "self_score", "appraised_score", "not_applicable"
    )
    tallies = AssessmentTally.objects.order_by("pk").values_list("pk", *COUNTED)
    return list(scores), list(tallies)


UNIT = st.integers(0, UNITS - 1)
SHEET = st.integers(0, len(SHEETS) - 1)  # a unit with a sheet from the start
OWN_LEAVES = [code for code in LEAVES if code != SURVEY]

unit_saves = st.builds(
    UnitSave, UNIT, st.fixed_dictionaries({code: maybe(points(code)) for code in OWN_LEAVES})
)
appraiser_saves = st.builds(
    AppraiserSave,
    SHEET,
    st.fixed_dictionaries({code: maybe(points(code)) for code in LEAVES}),
    st.frozensets(st.sampled_from(LEAVES), max_size=2),
)


def import_row(unit: int, code: str):
    own = st.none() if code == SURVEY else maybe(points(code))
    return st.tuples(st.just(unit), st.just(code), own, maybe(points(code)), st.booleans())


PUBLISHED = 4  # the sheet published from the start: files with its scores are refused
import_rows = st.tuples(
    st.sampled_from([n for n in range(UNITS) if n != PUBLISHED]), st.sampled_from(LEAVES)
).flatmap(lambda target: import_row(*target))
BROKEN_ROWS = [
    (0, "1.2", Decimal(9), None, False),  # more than the leaf's max
    (1, SURVEY, Decimal(1), None, False),  # a self score on a survey leaf
    (PUBLISHED, "1.1", Decimal(1), None, False),
]
imports = st.builds(
    Import,
    st.lists(import_rows, min_size=1, max_size=5, unique_by=lambda row: row[:2]).map(tuple),
    st.one_of(st.none(), st.none(), st.none(), st.sampled_from(BROKEN_ROWS)),
)
admin_saves = st.sampled_from(LEAVES).flatmap(
    lambda code: st.builds(
        AdminSave, UNIT, st.just(code), maybe(points(code)), maybe(points(code)), st.booleans()
    )
)
admin_deletes = st.builds(AdminDelete, UNIT, st.sampled_from(LEAVES))
accepts = st.builds(AcceptSelf, st.sampled_from([1, 2, 2, 3]))  # mostly the one with gaps
steps = st.builds(
    Step,
    SHEET,
    st.integers(0, 3),
    st.sampled_from(["submit", "appraise", "return", "publish", "reopen"]),
)
operations = st.lists(
    st.one_of(
        unit_saves,
        appraiser_saves,
        accepts,
        imports,
        admin_saves,
        admin_deletes,
        steps,
    ),
    min_size=3,
    max_size=15,
)


def test_random_writes_keep_every_stored_tally_equal_to_the_recompute(world):
    @settings(
        max_examples=25,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(sequence=operations)
    def run(sequence):
        with transaction.atomic():  # each example starts from the same SHEETS
            for operation in sequence:
                before = snapshot()
                wrote = operation.run(world)
                world.outcomes[type(operation).__name__, wrote] += 1
                if not wrote:
                    assert snapshot() == before, f"{operation} was refused but wrote"
                for assessment in Assessment.objects.all():
                    assert_right(assessment)
            out = StringIO()
            call_command("verify_tallies", stdout=out, stderr=StringIO())
            assert out.getvalue().endswith("tổng điểm đã lưu đều đúng.\n")
            transaction.set_rollback(True)

    run()

    # Every kind of write went through at least once, and the sheets moved through the
    # workflow, so the checks above were not vacuous.
    kinds = {"UnitSave", "AppraiserSave", "AcceptSelf", "Import", "AdminSave", "AdminDelete"}
    assert {kind for kind, wrote in world.outcomes if wrote} == kinds | {"Step"}
    assert len(world.steps) >= 3, world.steps
