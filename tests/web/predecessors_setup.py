"""Three communes of 2024 merged into one in 2025 (the 2025 reorganisation), a commune
split in two, and peers ranked in both years, for the predecessor tests.

Framework SMALL_FRAMEWORK (max 10). 2024, "Khối xã 2024", all published:
P1 10 (1), Xã An 9 (2), P2 8,5 (3), Xã Bình 8 (4), P3 7,5 (5), Xã Châu 6 (6).
2025, "Khối xã 2025", published: P3 10 (1), Xã Hợp Nhất 9,5 (2), P1 9 (3), P2 8 (4).
"""

from pathlib import Path

from scoring.importing import import_units
from scoring.models import Assessment, AssessmentStatus, RankingGroup, Role, Unit, UnitLevel
from tests.factories import add_bands, build_framework, score_assessment, user_with_role, write_csv
from tests.web.dashboard_data import SMALL_FRAMEWORK

UNITS_HEADER = ["code", "name", "level", "parent_code", "group", "predecessor_codes", "formed_in"]
MERGED_ROW = ["HN", "Xã Hợp Nhất", "xã", "T", "Khối xã 2025", "A; B, C", "2025"]
# The 1.1 points (max 4) that give each total; every other leaf is scored in full.
TOTALS_2024 = {"P1": "10", "A": "9", "P2": "8,5", "B": "8", "P3": "7,5", "C": "6"}
TOTALS_2025 = {"P3": "10", "HN": "9,5", "P1": "9", "P2": "8"}
NAMES = {"A": "Xã An", "B": "Xã Bình", "C": "Xã Châu", "P1": "Xã Phú", "P2": "Xã Quý"}
NAMES |= {"P3": "Xã Sơn"}


def points_for(total: str) -> dict[str, str]:
    """Leaf points adding up to `total` (4 to 10): 1.1 and 1.2 carry the loss."""
    lost = 10 - float(total.replace(",", "."))
    first = min(lost, 4)
    return {
        "1.1": f"{4 - first:g}",
        "1.2": f"{2 - (lost - first):g}",
        "2.1": "3",
        "2.2": "1",
    }


def score(unit: Unit, year: int, group: RankingGroup, framework, total: str, **fields):
    assessment = Assessment.objects.create(
        unit=unit,
        year=year,
        framework=framework,
        ranking_group=group,
        status=fields.pop("status", AssessmentStatus.PUBLISHED),
    )
    score_assessment(assessment, points_for(total))
    return assessment


def build_merger(tmp_path: Path, *, predecessors: tuple[str, ...] = ("A", "B", "C")) -> dict:
    """The province, both years' groups and results, and the merged commune HN imported
    through import_units with `predecessors` (A, B, C by default)."""
    province = Unit.objects.create(code="T", name="Tỉnh Thử", level=UnitLevel.PROVINCE)
    framework = build_framework(SMALL_FRAMEWORK)
    old, new = (RankingGroup.objects.create(name=f"Khối xã {y}") for y in (2024, 2025))
    add_bands(old)
    add_bands(new)
    units = {
        code: Unit.objects.create(
            code=code, name=name, level=UnitLevel.COMMUNE, parent=province, ranking_group=old
        )
        for code, name in NAMES.items()
    }
    for code, total in TOTALS_2024.items():
        score(units[code], 2024, old, framework, total)
    row = [*MERGED_ROW[:5], "; ".join(predecessors), "2025"]
    import_units(write_csv(tmp_path / "don-vi.csv", [UNITS_HEADER, row]))
    units["HN"] = Unit.objects.get(code="HN")
    Unit.objects.filter(code__in=["P1", "P2", "P3"]).update(ranking_group=new)
    assessments = {
        code: score(units[code], 2025, new, framework, total) for code, total in TOTALS_2025.items()
    }
    return {
        "province": province,
        "framework": framework,
        "old": old,
        "new": new,
        "units": units,
        "merged": units["HN"],
        "assessments": assessments,
        "home_affairs": user_with_role(Role.HOME_AFFAIRS, province, username="noivu.tinh"),
        "unit_user": user_with_role(Role.UNIT, units["HN"], username="xa.hopnhat"),
    }


def clear_world() -> None:
    """Everything `build_merger` wrote, so that it can build again in the same test."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.all().delete()
    Assessment.objects.all().delete()
    Unit.objects.filter(level=UnitLevel.COMMUNE).delete()  # before the province above them
    Unit.objects.all().delete()
    RankingGroup.objects.all().delete()
