import pytest

from scoring.importing import import_units
from scoring.models import RankingGroup, Unit
from tests.factories import RankingGroupFactory, UnitFactory, row_counts, write_csv
from tests.scoring.import_helpers import failing_command, run_command

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "level", "parent_code", "group"]
# Communes before their district; levels by key, full label and short name.
ROWS = [
    ["X01", "Xã Cẩm Sơn", "Xã, phường, thị trấn", "H01", "Khối xã"],
    ["X02", "Phường Cẩm Thịnh", "xã", "H01", "Khối phường"],
    ["H01", "Huyện Cẩm Xuyên", "district", "T01", "Khối huyện"],
    ["T01", "Tỉnh Hà Tĩnh", "Tỉnh, thành phố", "", ""],
]


def test_creates_units_with_parents_levels_and_groups(tmp_path):
    RankingGroupFactory(name="Khối xã")
    path = write_csv(tmp_path / "don-vi.csv", [HEADER, *ROWS])

    output = run_command("import_units", str(path))

    units = {unit.code: unit for unit in Unit.objects.select_related("parent", "ranking_group")}
    assert {code: unit.level for code, unit in units.items()} == {
        "X01": "commune",
        "X02": "commune",
        "H01": "district",
        "T01": "province",
    }
    assert units["X01"].name == "Xã Cẩm Sơn"
    assert units["X01"].parent == units["H01"]
    assert units["H01"].parent == units["T01"]
    assert units["T01"].parent is None
    assert units["X01"].ranking_group.name == "Khối xã"
    assert units["X02"].ranking_group.name == "Khối phường"
    assert units["T01"].ranking_group is None
    assert sorted(RankingGroup.objects.values_list("name", flat=True)) == [
        "Khối huyện",
        "Khối phường",
        "Khối xã",
    ]
    assert "Đã nhập đơn vị: 4 tạo mới, 0 cập nhật." in output


def test_updates_existing_units_by_code(tmp_path):
    district = UnitFactory(code="H01", level="district")
    old_parent = UnitFactory(code="H02", level="district")
    UnitFactory(code="X01", name="Xã cũ", parent=old_parent)
    path = write_csv(tmp_path / "don-vi.csv", [HEADER, ["X01", "Xã mới", "xã", "H01", "Khối A"]])

    summary = import_units(path)

    unit = Unit.objects.get(code="X01")
    assert (summary.created, summary.updated) == (0, 1)
    assert unit.name == "Xã mới"
    assert unit.parent == district
    assert unit.ranking_group.name == "Khối A"


def test_keeps_parents_and_groups_when_the_file_has_no_such_columns(tmp_path):
    parent = UnitFactory(code="H01", level="district")
    unit = UnitFactory(code="X01", parent=parent)
    path = write_csv(tmp_path / "don-vi.csv", [HEADER[:3], ["X01", "Xã đổi tên", "commune"]])

    import_units(path)

    unit.refresh_from_db()
    assert unit.name == "Xã đổi tên"
    assert unit.parent == parent
    assert unit.ranking_group is not None


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        (
            ["X02", "Phường Cẩm Thịnh", "xã", "H09", ""],
            "Dòng 3, cột parent_code: Không có đơn vị mã «H09».",
        ),
        (
            ["X02", "Phường Cẩm Thịnh", "thôn", "H01", ""],
            "Dòng 3, cột level: «thôn» không phải là cấp đơn vị; dùng province, department, "
            "district, commune hoặc «Tỉnh, thành phố», «Sở, ban, ngành», "
            "«Huyện, thị xã, thành phố», «Xã, phường, thị trấn».",
        ),
        (["X02", "", "xã", "H01", ""], "Dòng 3, cột name: Không được để trống."),
        (["X02", "Phường", "", "H01", ""], "Dòng 3, cột level: Không được để trống."),
        (
            ["X01", "Phường Cẩm Thịnh", "xã", "H01", ""],
            "Dòng 3, cột code: Mã đơn vị «X01» trùng với dòng 2.",
        ),
        (
            ["X02", "Phường", "xã", "H01", "K" * 201],
            "Dòng 3, cột group: Dài 201 ký tự, tối đa 200.",
        ),
    ],
)
def test_refuses_a_bad_row_naming_its_row_and_column(tmp_path, bad_row, message):
    UnitFactory(code="X02", name="Phường cũ")
    rows = [*ROWS]
    rows[1] = bad_row
    path = write_csv(tmp_path / "sai.csv", [HEADER, *rows])
    before = row_counts()

    errors = failing_command("import_units", str(path))

    assert errors == [message]
    assert row_counts() == before
    assert Unit.objects.get(code="X02").name == "Phường cũ"


def test_refuses_a_cycle_within_the_file(tmp_path):
    rows = [["A", "A", "district", "B", ""], ["B", "B", "district", "A", ""]]
    path = write_csv(tmp_path / "vong.csv", [HEADER, *rows])

    errors = failing_command("import_units", str(path))

    assert errors == [
        "Dòng 2, cột parent_code: Đơn vị «A» nằm trong một vòng lặp đơn vị cấp trên.",
        "Dòng 3, cột parent_code: Đơn vị «B» nằm trong một vòng lặp đơn vị cấp trên.",
    ]
    assert not Unit.objects.exists()


def test_refuses_a_cycle_through_stored_units(tmp_path):
    province = UnitFactory(code="T01", level="province")
    UnitFactory(code="H01", level="district", parent=province)
    path = write_csv(tmp_path / "vong.csv", [HEADER, ["T01", "Tỉnh", "province", "H01", ""]])
    before = row_counts()

    errors = failing_command("import_units", str(path))

    assert errors == [
        "Dòng 2, cột parent_code: Đơn vị «T01» nằm trong một vòng lặp đơn vị cấp trên."
    ]
    assert row_counts() == before
    assert Unit.objects.get(code="T01").parent is None


def test_refuses_a_unit_that_is_its_own_parent(tmp_path):
    path = write_csv(tmp_path / "vong.csv", [HEADER, ["A", "A", "district", "A", ""]])

    errors = failing_command("import_units", str(path))

    assert errors == ["Dòng 2, cột parent_code: Đơn vị «A» nằm trong một vòng lặp đơn vị cấp trên."]


def test_refuses_a_unit_under_one_of_its_own_level_or_lower(tmp_path):
    UnitFactory(code="X01", level="commune")
    rows = [
        ["T02", "Tỉnh mẫu", "tỉnh", "X01", ""],
        ["X02", "Xã mẫu", "xã", "X01", ""],
        ["H02", "Huyện mẫu", "huyện", "S01", ""],
        ["S01", "Sở Nội vụ", "sở", "T01", ""],
        ["T01", "Tỉnh Hà Tĩnh", "tỉnh", "", ""],
        ["X03", "Xã dưới tỉnh", "xã", "T01", ""],
    ]
    path = write_csv(tmp_path / "don-vi.csv", [HEADER, *rows])
    before = row_counts()

    errors = failing_command("import_units", str(path))

    assert errors == [
        "Dòng 2, cột parent_code: Đơn vị «T02» cấp «Tỉnh, thành phố» không thể trực thuộc "
        "đơn vị «X01» cấp «Xã, phường, thị trấn».",
        "Dòng 3, cột parent_code: Đơn vị «X02» cấp «Xã, phường, thị trấn» không thể trực thuộc "
        "đơn vị «X01» cấp «Xã, phường, thị trấn».",
        "Dòng 4, cột parent_code: Đơn vị «H02» cấp «Huyện, thị xã, thành phố» không thể trực "
        "thuộc đơn vị «S01» cấp «Sở, ban, ngành».",
    ]
    assert row_counts() == before
