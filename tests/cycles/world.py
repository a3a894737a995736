"""A province with mixed levels below it, for the cycle-opening tests.

Tỉnh Thử has a department, two districts (each with communes, one commune without a
khối) and a commune straight under it; frameworks exist for communes (2023 on), for
departments (2025 only) and for districts (up to 2024). Tỉnh Khác is another
province, whose units must never be touched.
"""

from dataclasses import dataclass

from scoring.models import Role, Unit, UnitLevel
from tests.factories import FrameworkFactory, RankingGroupFactory, UnitFactory, user_with_role


@dataclass
class Province:
    province: Unit
    department: Unit
    district: Unit
    other_district: Unit
    communes: list[Unit]
    ungrouped: Unit
    direct_commune: Unit
    far_commune: Unit


def make_province(communes_per_district: int = 2) -> Province:
    FrameworkFactory(name="Bộ chỉ số xã 2023", level=UnitLevel.COMMUNE, year_from=2023)
    FrameworkFactory(
        name="Bộ chỉ số sở 2025", level=UnitLevel.DEPARTMENT, year_from=2025, year_to=2025
    )
    FrameworkFactory(
        name="Bộ chỉ số huyện 2020", level=UnitLevel.DISTRICT, year_from=2020, year_to=2024
    )
    group = RankingGroupFactory(name="Khối xã")
    province = UnitFactory(code="T", name="Tỉnh Thử", level=UnitLevel.PROVINCE)
    department = UnitFactory(
        code="T-SNV", name="Sở Nội vụ", level=UnitLevel.DEPARTMENT, parent=province
    )
    district = UnitFactory(code="T-H1", name="Huyện Một", level=UnitLevel.DISTRICT, parent=province)
    other = UnitFactory(code="T-H2", name="Huyện Hai", level=UnitLevel.DISTRICT, parent=province)

    def communes(parent: Unit, prefix: str) -> list[Unit]:
        return [
            UnitFactory(
                code=f"{parent.code}-{prefix}{n:03d}",
                name=f"Xã {prefix}{n}",
                parent=parent,
                ranking_group=group,
            )
            for n in range(communes_per_district)
        ]

    far_province = UnitFactory(code="K", name="Tỉnh Khác", level=UnitLevel.PROVINCE)
    far_district = UnitFactory(
        code="K-H", name="Huyện Xa", level=UnitLevel.DISTRICT, parent=far_province
    )
    return Province(
        province=province,
        department=department,
        district=district,
        other_district=other,
        communes=communes(district, "A") + communes(other, "B"),
        ungrouped=UnitFactory(
            code="T-H1-Z", name="Xã Chưa Có Khối", parent=district, ranking_group=None
        ),
        direct_commune=UnitFactory(
            code="T-X", name="Xã Thẳng Tỉnh", parent=province, ranking_group=group
        ),
        far_commune=UnitFactory(code="K-H-X", parent=far_district, ranking_group=group),
    )


def home_affairs_of(unit: Unit, username: str):
    return user_with_role(Role.HOME_AFFAIRS, unit, username=username)
