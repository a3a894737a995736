"""Two editions of a commune framework, 2022 and 2023, and a unit scored on each.

2023 merges the old 1.1 and 1.2 into 1.1, renumbers the old 1.3 as 1.2, splits the old
2.1 into 2.1 and 2.2, drops field 3 and adds field 4. `MAPPING_ROWS` says so as Nội vụ
would in a file; the by-code match would get most of it wrong.
"""

from scoring.models import Assessment, Framework, RankingGroup, Unit
from tests.factories import build_framework, score_assessment, write_csv

OLD = [("1", None, "6"), ("1.1", "1", "2"), ("1.2", "1", "2"), ("1.3", "1", "2"),
       ("2", None, "4"), ("2.1", "2", "4"), ("3", None, "2"), ("3.1", "3", "2")]  # fmt: skip
NEW = [("1", None, "6"), ("1.1", "1", "4"), ("1.2", "1", "2"), ("2", None, "4"),
       ("2.1", "2", "2"), ("2.2", "2", "2"), ("4", None, "2"), ("4.1", "4", "2")]  # fmt: skip
MAPPING_ROWS = [
    ["mã mới", "mã cũ", "ghi chú"],
    ["1", "1", ""],
    ["1.1", "1.1", "gộp"],
    ["1.1", "1.2", "gộp"],
    ["1.2", "1.3", "đổi mã"],
    ["2", "2", ""],
    ["2.1", "2.1", "tách"],
    ["2.2", "2.1", "tách"],
    ["4.1", "", "tiêu chí mới"],
]
SCORES_2022 = {"1.1": "1", "1.2": "2", "1.3": "0,5", "2.1": "3", "3.1": "2"}
SCORES_2023 = {"1.1": "3,5", "1.2": "1", "2.1": "2", "2.2": "0,5", "4.1": "1"}


def two_editions() -> tuple[Framework, Framework]:
    old = build_framework(OLD, name="Bộ chỉ số xã 2022", year_from=2022, year_to=2022)
    new = build_framework(NEW, name="Bộ chỉ số xã 2023", year_from=2023)
    return old, new


def scored_unit(
    old: Framework,
    new: Framework,
    group: RankingGroup | None = None,
    parent: Unit | None = None,
    code: str = "XA-DC",
) -> Unit:
    """A commune scored 8,5/12 in 2022 on `old` and 8/12 in 2023 on `new`, published."""
    group = group or RankingGroup.objects.create(name="Khối xã thử")
    unit = Unit.objects.create(
        code=code, name=f"Xã Đối Chiếu {code}", level="commune", ranking_group=group, parent=parent
    )
    for year, framework, scores in ((2022, old, SCORES_2022), (2023, new, SCORES_2023)):
        assessment = Assessment.objects.create(
            unit=unit, year=year, framework=framework, ranking_group=group, status="published"
        )
        score_assessment(assessment, scores)
    return unit


def mapping_file(path, rows=MAPPING_ROWS, name="doi-chieu.csv"):
    return write_csv(path / name, rows)


def sized_editions(fields: int) -> tuple[Framework, Framework]:
    """Two editions alike of `fields` fields with 3 criteria each, for query bounds."""
    rows = [row for f in range(1, fields + 1) for row in
            [(f"{f}", None, "3"), *[(f"{f}.{c}", f"{f}", "1") for c in (1, 2, 3)]]]  # fmt: skip
    old = build_framework(rows, name=f"Cũ {fields}", year_from=2022)
    new = build_framework(rows, name=f"Mới {fields}", year_from=2023)
    return old, new
