"""The demo data: the real results of seeds 004 and 002 among synthetic peers.

Real data (two frameworks, five units, two units' scores) comes from `fixtures/`
through the import commands; see `fixtures/README.md`. Everything else is
synthetic and says so in its name or note: 22 communes beside xã Cẩm Sơn, 10
districts beside huyện An Lão, each real unit's previous year, and copies of the
two frameworks for those previous years (the documents only attest the
frameworks for 2023 and 2021). The peers are drawn so that the places the
documents state come out: Cẩm Sơn 3/23 in 2023 after 23/23 in 2022, An Lão 3rd
of 11 in 2021 after 1st in 2020, sharing the top of field 1 with Tây Sơn.

Loading is idempotent by skipping: a framework that exists by name, units by
code, an assessment by unit and year, a band by threshold are left as they are,
and only what is missing is created.

The demo accounts get DEMO_PASSWORD, which the README prints, on a developer's
machine; on a server (`load_demo --allow-production`) each gets a random
password instead, and one still holding DEMO_PASSWORD is given one too. Every
password is checked by AUTH_PASSWORD_VALIDATORS before anything is written,
since `set_password` does not check them.
"""

import csv
import io
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.utils.crypto import get_random_string

from scoring.models import (
    Assessment,
    AssessmentStatus,
    ClassificationBand,
    Framework,
    Membership,
    RankingGroup,
    Role,
    Unit,
    UnitLevel,
)
from scoring.synthetic import Target, assessments_create, draw, seeded, units_ensure

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SEED = 2024

COMMUNE_GROUP = "Khối xã, thị trấn huyện Cẩm Xuyên"
DISTRICT_GROUP = "Khối huyện, thị xã, thành phố tỉnh Bình Định"
GROUP_DESCRIPTION = "Dữ liệu mẫu. Các mức xếp loại của khối này chỉ để minh họa."
# Illustrative: neither document gives the bands of its group.
BANDS = (("Xuất sắc", 90), ("Tốt", 80), ("Khá", 70), ("Trung bình", 50), ("Yếu", 0))

CAM_SON, CAM_XUYEN = "HT-CX-CS", "HT-CX"
AN_LAO, BINH_DINH, TAY_SON = "BD-AL", "BD", "BD-TS-GL"
COMMUNE_PEERS = 22
DISTRICT_PEERS = 9  # besides Tây Sơn


@dataclass(frozen=True)
class FrameworkFile:
    name: str
    file: str
    level: str
    year: int
    decision: str = ""


def _copy_note(year: int, source_year: int) -> str:
    return (
        f"Dữ liệu giả lập: chép cấu trúc bộ chỉ số năm {source_year} để minh họa so sánh "
        f"với năm {year}; tài liệu không cho biết bộ chỉ số năm {year}."
    )


COMMUNE_FILE = "framework_xa_cam_xuyen_2023.csv"
DISTRICT_FILE = "framework_huyen_binh_dinh_2021.csv"
COMMUNE_2023 = FrameworkFile(
    "Bộ chỉ số CCHC cấp xã huyện Cẩm Xuyên năm 2023", COMMUNE_FILE, UnitLevel.COMMUNE, 2023
)
COMMUNE_2022 = FrameworkFile(
    "Bộ chỉ số CCHC cấp xã huyện Cẩm Xuyên năm 2022 (dữ liệu giả lập)",
    COMMUNE_FILE,
    UnitLevel.COMMUNE,
    2022,
    _copy_note(2022, 2023),
)
DISTRICT_2021 = FrameworkFile(
    "Bộ chỉ số CCHC cấp huyện tỉnh Bình Định (Quyết định 2878/QĐ-UBND)",
    DISTRICT_FILE,
    UnitLevel.DISTRICT,
    2021,
    "Quyết định số 2878/QĐ-UBND ngày 08/07/2021 của UBND tỉnh Bình Định",
)
DISTRICT_2020 = FrameworkFile(
    "Bộ chỉ số CCHC cấp huyện tỉnh Bình Định năm 2020 (dữ liệu giả lập)",
    DISTRICT_FILE,
    UnitLevel.DISTRICT,
    2020,
    _copy_note(2020, 2021),
)
FRAMEWORKS = (COMMUNE_2023, COMMUNE_2022, DISTRICT_2021, DISTRICT_2020)
# (score file, unit, framework) of the real results.
REAL_SCORES = (
    ("scores_cam_son_2023.csv", CAM_SON, COMMUNE_2023),
    ("scores_an_lao_2021.csv", AN_LAO, DISTRICT_2021),
)

# Cẩm Sơn 2022: the document only says it was last of 23 ("tăng 20 bậc" to 3rd).
CAM_SON_2022 = Decimal("68.50")
CAM_SON_2022_NOTE = (
    "Dữ liệu giả lập: tài liệu chỉ cho biết năm 2022 xã xếp thứ 23/23 "
    "(năm 2023 xếp thứ 3/23, tăng 20 bậc)."
)
# Totals (points) of the peers: two ahead of Cẩm Sơn's 85,08 in 2023, all
# ahead of its 68,50 in 2022.
COMMUNE_AHEAD, COMMUNE_BEHIND, COMMUNE_2022_RANGE = ("86", "93"), ("62", "84.5"), ("70", "90")

# An Lão 2020: 84,31 − 0,96 ("tăng 0,96 điểm"), first ("giảm 2 bậc" to 3rd).
AN_LAO_2020 = Decimal("83.35")
AN_LAO_2020_NOTE = (
    "Dữ liệu giả lập: tài liệu chỉ cho biết tổng điểm năm 2020 là 83,35 "
    "(năm 2021 đạt 84,31, tăng 0,96 điểm) và xếp trên năm 2021 hai bậc."
)
AN_LAO_FIELD_1 = Decimal("9.25")
DISTRICT_2020_RANGE = ("68", "83")
# 2021, as (field 1, field 8, fields 2-7) ranges. A draw "ahead" totals at least
# 84,50, one "behind" at most 83,75 even with Tây Sơn's 9,25 in field 1, so An
# Lão (84,31) is 3rd. Field 1 stays below An Lão's 9,25 except for Tây Sơn's
# ("cao nhất cùng với Tây Sơn"); one district ahead beats An Lão's 33,89 in
# field 8 (the document: An Lão 2nd of 11 there).
DISTRICT_AHEAD = (("8.5", "9"), ("32", "33.5"), ("44", "48"))
DISTRICT_BEHIND = (("7", "9"), ("28", "33.5"), ("36", "41"))
SURVEY_AHEAD = ("34", "36")


# Documented in the README; for a developer's machine only.
DEMO_PASSWORD = "demo-cchc-2024"
RANDOM_PASSWORD_LENGTH = 16  # letters and digits: about 95 bits
# Nội vụ accounts are people (an appraisal is signed off with the appraiser's full
# name); their names are made up. Unit accounts are named for their unit.
DEMO_ACCOUNTS = (
    ("quantri", "Quản trị hệ thống", Role.ADMIN, None),
    ("noivu.camxuyen", "Nguyễn Thị Hoa", Role.HOME_AFFAIRS, CAM_XUYEN),
    ("noivu.binhdinh", "Trần Văn Bình", Role.HOME_AFFAIRS, BINH_DINH),
    ("xa.camson", "UBND xã Cẩm Sơn", Role.UNIT, CAM_SON),
    ("huyen.anlao", "UBND huyện An Lão", Role.UNIT, AN_LAO),
)


def demo_account_passwords(*, generate: bool) -> dict[str, str]:
    """The password of each demo account to create or reset, by user name.

    Missing accounts get DEMO_PASSWORD, or a random password each if `generate`;
    then an existing account that still holds DEMO_PASSWORD gets one too. Raises
    ValidationError if a password fails the validators; writes nothing.
    """
    User = get_user_model()
    usernames = [account[0] for account in DEMO_ACCOUNTS]
    existing = User.objects.in_bulk(usernames, field_name="username")
    passwords = {}
    for username, full_name, _, _ in DEMO_ACCOUNTS:
        user = existing.get(username)
        if user is None:
            user = User(username=username, first_name=full_name)
        elif not (generate and check_password(DEMO_PASSWORD, user.password)):
            continue
        password = get_random_string(RANDOM_PASSWORD_LENGTH) if generate else DEMO_PASSWORD
        validate_password(password, user)
        passwords[username] = password
    return passwords


@transaction.atomic
def demo_load(*, passwords: dict[str, str]) -> None:
    """Load what is missing of the demo data set; see the module docstring.

    `passwords` (from `demo_account_passwords`) names the accounts to create or
    reset; other existing accounts are left as they are.
    """
    groups = _groups_ensure()
    for framework in FRAMEWORKS:
        _framework_ensure(framework)
    _real_units_ensure(FIXTURES / "units.csv")
    for file, unit_code, framework in REAL_SCORES:
        _scores_ensure(FIXTURES / file, unit_code, framework)
    targets = _commune_targets(groups[COMMUNE_GROUP]) | _district_targets(groups[DISTRICT_GROUP])
    for spec, planned in targets.items():
        framework = Framework.objects.get(name=spec.name)
        assessments_create(framework=framework, targets=_missing(planned), seed=SEED)
    _accounts_ensure(passwords)


def _accounts_ensure(passwords: dict[str, str]) -> None:
    """One demo login per role."""
    User = get_user_model()
    for username, full_name, role, unit_code in DEMO_ACCOUNTS:
        if username not in passwords:
            continue
        is_admin = role == Role.ADMIN
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": full_name, "is_staff": is_admin, "is_superuser": is_admin},
        )
        user.set_password(passwords[username])
        user.save(update_fields=["password"])
        if created:
            unit = Unit.objects.get(code=unit_code) if unit_code else None
            Membership.objects.create(user=user, role=role, unit=unit)


def _groups_ensure() -> dict[str, RankingGroup]:
    groups = {
        name: RankingGroup.objects.get_or_create(
            name=name, defaults={"description": GROUP_DESCRIPTION}
        )[0]
        for name in (COMMUNE_GROUP, DISTRICT_GROUP)
    }
    ClassificationBand.objects.bulk_create(
        [
            ClassificationBand(group=group, label=label, min_index=Decimal(minimum))
            for group in groups.values()
            for label, minimum in BANDS
        ],
        ignore_conflicts=True,
    )
    return groups


def _framework_ensure(spec: FrameworkFile) -> None:
    if Framework.objects.filter(name=spec.name).exists():
        return
    _import(
        "import_framework",
        FIXTURES / spec.file,
        name=spec.name,
        level=spec.level,
        year_from=spec.year,
        year_to=spec.year,
        decision=spec.decision,
    )


def _real_units_ensure(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    if Unit.objects.filter(code__in=codes).count() < len(codes):
        _import("import_units", path)


def _scores_ensure(path: Path, unit_code: str, spec: FrameworkFile) -> None:
    assessments = Assessment.objects.filter(unit__code=unit_code, year=spec.year)
    if assessments.exists():
        return
    _import("import_scores", path, year=spec.year, framework=spec.name)
    assessments.update(status=AssessmentStatus.PUBLISHED)


def _import(command: str, path: Path, **options) -> None:
    # The importers print a success line; failures raise with their messages on stderr.
    call_command(command, str(path), stdout=io.StringIO(), **options)


def _missing(targets: list[Target]) -> list[Target]:
    done = set(
        Assessment.objects.filter(
            unit__in=[target.unit for target in targets],
            year__in={target.year for target in targets},
        ).values_list("unit_id", "year")
    )
    return [target for target in targets if (target.unit.pk, target.year) not in done]


def _commune_targets(group: RankingGroup) -> dict[FrameworkFile, list[Target]]:
    parent = Unit.objects.get(code=CAM_XUYEN)
    peers = _peers(
        [
            (f"{CAM_XUYEN}-GL{i:02d}", f"Xã mẫu {i:02d} (dữ liệu giả lập)")
            for i in range(1, COMMUNE_PEERS + 1)
        ],
        UnitLevel.COMMUNE,
        parent,
        group,
    )
    rng = seeded(SEED, "communes")
    ahead = set(rng.sample(range(len(peers)), 2))
    this_year = [
        Target(unit, 2023, draw(rng, *(COMMUNE_AHEAD if i in ahead else COMMUNE_BEHIND)))
        for i, unit in enumerate(peers)
    ]
    last_year = [Target(unit, 2022, draw(rng, *COMMUNE_2022_RANGE)) for unit in peers]
    cam_son = Unit.objects.get(code=CAM_SON)
    last_year.append(Target(cam_son, 2022, CAM_SON_2022, note=CAM_SON_2022_NOTE))
    return {COMMUNE_2023: this_year, COMMUNE_2022: last_year}


def _district_targets(group: RankingGroup) -> dict[FrameworkFile, list[Target]]:
    parent = Unit.objects.get(code=BINH_DINH)
    peers = _peers(
        [(TAY_SON, "Huyện Tây Sơn (dữ liệu giả lập)")]
        + [
            (f"{BINH_DINH}-GL{i:02d}", f"Huyện mẫu {i:02d} (dữ liệu giả lập)")
            for i in range(1, DISTRICT_PEERS + 1)
        ],
        UnitLevel.DISTRICT,
        parent,
        group,
    )
    rng = seeded(SEED, "districts")
    ahead = rng.sample(range(len(peers)), 2)
    this_year = [
        _district_2021(unit, rng, ahead=i in ahead, survey_ahead=i == ahead[0])
        for i, unit in enumerate(peers)
    ]
    last_year = [Target(unit, 2020, draw(rng, *DISTRICT_2020_RANGE)) for unit in peers]
    an_lao = Unit.objects.get(code=AN_LAO)
    last_year.append(Target(an_lao, 2020, AN_LAO_2020, note=AN_LAO_2020_NOTE))
    return {DISTRICT_2021: this_year, DISTRICT_2020: last_year}


def _district_2021(unit: Unit, rng: random.Random, *, ahead: bool, survey_ahead: bool) -> Target:
    field_1, field_8, rest = DISTRICT_AHEAD if ahead else DISTRICT_BEHIND
    points_1 = AN_LAO_FIELD_1 if unit.code == TAY_SON else draw(rng, *field_1)
    points_8 = draw(rng, *(SURVEY_AHEAD if survey_ahead else field_8))
    return Target(unit, 2021, draw(rng, *rest), fields={"1": points_1, "8": points_8})


def _peers(
    names: list[tuple[str, str]], level: str, parent: Unit, group: RankingGroup
) -> list[Unit]:
    made = units_ensure(
        [
            Unit(code=code, name=name, level=level, parent=parent, ranking_group=group)
            for code, name in names
        ]
    )
    return [made[code] for code, _ in names]
