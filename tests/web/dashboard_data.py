"""Data for the dashboard, ranking and analysis tests: the demo and synthetic groups."""

from decimal import Decimal

from scoring.engine import refresh_tallies
from scoring.models import (
    Assessment,
    AssessmentStatus,
    Framework,
    RankingGroup,
    Role,
    Score,
    Unit,
    UnitLevel,
)
from tests.factories import add_bands, build_framework, load_demo_data, user_with_role

CAM_XUYEN = "Khối xã, thị trấn huyện Cẩm Xuyên"
BINH_DINH = "Khối huyện, thị xã, thành phố tỉnh Bình Định"
# Two fields of two leaves each: max 10.
SMALL_FRAMEWORK = [
    ("1", None, "6"),
    ("1.1", "1", "4"),
    ("1.2", "1", "2"),
    ("2", None, "4"),
    ("2.1", "2", "3"),
    ("2.2", "2", "1"),
]


def load_demo() -> None:
    load_demo_data()


def build_group(
    units: int,
    *,
    years: tuple[int, ...] = (2022, 2023),
    status: str = AssessmentStatus.PUBLISHED,
    framework: Framework | None = None,
    prefix: str = "D",
) -> dict:
    """`units` communes under one district, all in one group, scored in each year.

    Unit i scores 1.1 = 4 − (i mod 4) · 0,5 and everything else in full, so
    several units share each total (ties) and criterion 1.1 loses the most.
    Bulk inserts keep 500 units fast.
    """
    district = Unit.objects.create(code=prefix, name=f"Huyện {prefix}", level=UnitLevel.DISTRICT)
    group = RankingGroup.objects.create(name=f"Khối xã huyện {prefix}")
    add_bands(group)
    framework = framework or build_framework(SMALL_FRAMEWORK)
    communes = Unit.objects.bulk_create(
        Unit(
            code=f"{prefix}-{i:04d}",
            name=f"Xã thử {i:04d}",
            level=UnitLevel.COMMUNE,
            parent=district,
            ranking_group=group,
        )
        for i in range(units)
    )
    leaves = {c.code: c for c in framework.criteria.filter(is_leaf=True)}
    assessments = Assessment.objects.bulk_create(
        Assessment(unit=u, year=y, framework=framework, ranking_group=group, status=status)
        for u in communes
        for y in years
    )
    scores = []
    for index, assessment in enumerate(assessments):
        unit_index = index // len(years)
        for code, leaf in leaves.items():
            value = leaf.max_points
            if code == "1.1":
                value -= Decimal("0.5") * (unit_index % 4)
            scores.append(
                Score(
                    assessment=assessment,
                    criterion=leaf,
                    self_score=value,
                    appraised_score=value,
                    note=f"Lý do của xã {unit_index}" if value < leaf.max_points else "",
                )
            )
    Score.objects.bulk_create(scores)
    refresh_tallies(assessment.pk for assessment in assessments)
    return {
        "prefix": prefix,
        "district": district,
        "group": group,
        "framework": framework,
        "units": communes,
        "home_affairs": user_with_role(Role.HOME_AFFAIRS, district, username=f"noivu.{prefix}"),
        "unit_user": user_with_role(Role.UNIT, communes[0], username=f"xa.{prefix}"),
    }


def query_counts(client, url_for, role: str, sizes: tuple[int, ...] = (5, 500)) -> list[int]:
    """Queries of one GET by `role` for groups of each size; `url_for(data)` gives the URL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in sizes:
        data = build_group(size, prefix=f"Q{size}")
        client.force_login(data[role])
        url = url_for(data)
        client.get(url)  # warm caches (content types, sessions) equally for both
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(captured))
    return counts
