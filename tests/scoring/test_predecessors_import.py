"""A unit's predecessors and formed_in from a units file and from the admin, with the
same checks, all or nothing; the label of a merged, a split and a re-formed unit."""

import pytest
from django.urls import reverse

from scoring.importing import import_units
from scoring.models import Unit
from scoring.units.lineage import lineage_labels, unit_lineage_label
from tests.factories import AssessmentFactory, UnitFactory, row_counts, write_csv
from tests.scoring.import_helpers import failing_command, run_command

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "level", "predecessor_codes", "formed_in"]


def predecessors_of(code: str) -> list[str]:
    unit = Unit.objects.get(code=code)
    return sorted(unit.predecessors.values_list("code", flat=True))


@pytest.fixture
def communes():
    """Three communes with results up to 2024, and one more without any."""
    for code, name in (("A", "Xã An"), ("B", "Xã Bình"), ("C", "Xã Châu")):
        AssessmentFactory(unit=UnitFactory(code=code, name=name), year=2024)
    UnitFactory(code="D", name="Xã Đông")


def test_a_merged_unit_takes_its_predecessors_even_one_defined_later(tmp_path, communes):
    rows = [
        ["HN", "Xã Hợp Nhất", "xã", "A; B,C ; E", "2025"],
        ["E", "Xã Mới Lập", "xã", "", ""],
    ]

    output = run_command("import_units", str(write_csv(tmp_path / "u.csv", [HEADER, *rows])))

    assert "2 tạo mới" in output
    merged = Unit.objects.get(code="HN")
    assert merged.formed_in == 2025
    assert predecessors_of("HN") == ["A", "B", "C", "E"]
    assert predecessors_of("E") == []
    assert unit_lineage_label(merged, 2025) == (
        "đơn vị mới hợp nhất từ Xã An, Xã Bình, Xã Châu, Xã Mới Lập (từ năm 2025)"
    )
    assert unit_lineage_label(merged, 2026) == ""


def test_a_file_replaces_the_stored_predecessors_and_keeps_them_without_the_column(
    tmp_path, communes
):
    import_units(
        write_csv(tmp_path / "1.csv", [HEADER, ["HN", "Xã Hợp Nhất", "xã", "A;B", "2025"]])
    )
    import_units(write_csv(tmp_path / "2.csv", [HEADER, ["HN", "Xã Hợp Nhất", "xã", "C", "2026"]]))
    assert predecessors_of("HN") == ["C"]
    assert Unit.objects.get(code="HN").formed_in == 2026

    import_units(write_csv(tmp_path / "3.csv", [HEADER[:3], ["HN", "Xã Hợp Nhất 2", "xã"]]))

    assert predecessors_of("HN") == ["C"]
    assert Unit.objects.get(code="HN").formed_in == 2026


def test_split_merged_and_re_formed_units_are_labelled_in_one_query(
    tmp_path, communes, django_assert_num_queries
):
    rows = [
        ["S1", "Xã Tách Một", "xã", "A", "2025"],
        ["S2", "Xã Tách Hai", "xã", "A", "2025"],
        ["R", "Xã Đổi Tên", "xã", "B", "2025"],
        ["HN", "Xã Hợp Nhất", "xã", "C;D", "2025"],
        ["OLD", "Xã Cũ", "xã", "", ""],
    ]
    import_units(write_csv(tmp_path / "u.csv", [HEADER, *rows]))

    with django_assert_num_queries(1):
        labels = lineage_labels(Unit.objects.all(), 2025)

    assert labels == {
        "S1": "đơn vị mới chia tách từ Xã An (từ năm 2025)",
        "S2": "đơn vị mới chia tách từ Xã An (từ năm 2025)",
        "R": "đơn vị mới thành lập từ Xã Bình (từ năm 2025)",
        "HN": "đơn vị mới hợp nhất từ Xã Châu, Xã Đông (từ năm 2025)",
    }
    assert lineage_labels(Unit.objects.all(), 2024) == {}


def test_two_predecessors_of_one_name_are_both_named(tmp_path, communes):
    UnitFactory(code="A2", name="Xã An")
    import_units(
        write_csv(tmp_path / "u.csv", [HEADER, ["HN", "Xã Hợp Nhất", "xã", "A;A2;B", "2025"]])
    )

    assert lineage_labels(Unit.objects.all(), 2025) == {
        "HN": "đơn vị mới hợp nhất từ Xã An (A), Xã An (A2), Xã Bình (từ năm 2025)"
    }


@pytest.mark.parametrize(
    ("rows", "errors"),
    [
        (
            [["HN", "Xã Hợp Nhất", "xã", "A;Z9", "2025"]],
            ["Dòng 2, cột predecessor_codes: Không có đơn vị mã «Z9»."],
        ),
        (
            [["HN", "Xã Hợp Nhất", "xã", "A;HN", "2025"]],
            ["Dòng 2, cột predecessor_codes: Một đơn vị không thể được hình thành từ chính nó."],
        ),
        (
            [["HN", "Xã Hợp Nhất", "xã", "A", "2025"], ["A", "Xã An", "xã", "HN", "2025"]],
            [
                "Dòng 2, cột predecessor_codes: Đơn vị «A» lại được hình thành từ «HN»: "
                "không thể hình thành hai đơn vị từ nhau (vòng lặp).",
                "Dòng 3, cột predecessor_codes: Đơn vị «HN» lại được hình thành từ «A»: "
                "không thể hình thành hai đơn vị từ nhau (vòng lặp).",
            ],
        ),
        (
            [["HN", "Xã Hợp Nhất", "xã", "A;B", ""]],
            [
                "Dòng 2, cột formed_in: Cần nhập năm đơn vị có kết quả riêng khi có đơn vị "
                "hợp nhất, chia tách."
            ],
        ),
        (
            [["HN", "Xã Hợp Nhất", "xã", "A;D", "2024"]],
            [
                "Dòng 2, cột formed_in: Đơn vị «A» còn có kết quả riêng năm 2024: năm đơn vị "
                "mới có kết quả riêng phải sau năm 2024, nếu không kết quả đó bị che mất."
            ],
        ),
        (
            [["HN", "Xã Hợp Nhất", "xã", "A", "năm 25"]],
            ["Dòng 2, cột formed_in: «năm 25» không phải là một năm (như 2025)."],
        ),
    ],
)
def test_refuses_bad_predecessors_naming_row_and_column(tmp_path, communes, rows, errors):
    before = row_counts()

    found = failing_command("import_units", str(write_csv(tmp_path / "u.csv", [HEADER, *rows])))

    assert found == errors
    assert row_counts() == before
    assert not Unit.objects.filter(predecessors__isnull=False).exists()


def test_predecessors_without_formed_in_column_need_the_stored_year(tmp_path, communes):
    path = write_csv(tmp_path / "u.csv", [HEADER[:4], ["HN", "Xã Hợp Nhất", "xã", "A"]])

    errors = failing_command("import_units", str(path))

    assert errors == [
        "Dòng 2, cột formed_in: Cần nhập năm đơn vị có kết quả riêng khi có đơn vị hợp nhất, "
        "chia tách."
    ]


def unit_form(unit: Unit, **changes) -> dict:
    data = {
        "code": unit.code,
        "name": unit.name,
        "level": unit.level,
        "parent": "",
        "ranking_group": unit.ranking_group_id or "",
        "formed_in": "",
        "predecessors": [],
    }
    return data | changes


def test_the_admin_shows_and_edits_predecessors_and_formed_in(admin_client, communes):
    merged = UnitFactory(code="HN", name="Xã Hợp Nhất")
    url = reverse("admin:scoring_unit_change", args=[merged.pk])
    ids = dict(Unit.objects.values_list("code", "id"))

    response = admin_client.post(
        url, unit_form(merged, formed_in="2025", predecessors=[ids["A"], ids["B"]])
    )

    assert response.status_code == 302
    merged.refresh_from_db()
    assert merged.formed_in == 2025
    assert predecessors_of("HN") == ["A", "B"]
    page = admin_client.get(url).content.decode()
    assert "Có kết quả riêng từ năm" in page
    assert "Hợp nhất, chia tách từ các đơn vị" in page
    assert 'value="2025"' in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"formed_in": "", "predecessors": ["A"]}, "Cần nhập năm đơn vị có kết quả riêng"),
        ({"formed_in": "2024", "predecessors": ["A"]}, "Đơn vị «A» còn có kết quả riêng năm 2024"),
        ({"formed_in": "2025", "predecessors": ["HN"]}, "không thể được hình thành từ chính nó"),
    ],
)
def test_the_admin_refuses_what_a_file_would_be_refused_for(
    admin_client, communes, changes, message
):
    merged = UnitFactory(code="HN", name="Xã Hợp Nhất")
    ids = dict(Unit.objects.values_list("code", "id"))
    changes = changes | {"predecessors": [ids[code] for code in changes["predecessors"]]}

    response = admin_client.post(
        reverse("admin:scoring_unit_change", args=[merged.pk]), unit_form(merged, **changes)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    merged.refresh_from_db()
    assert merged.formed_in is None
    assert predecessors_of("HN") == []


def test_an_export_gives_the_predecessors_as_an_import_reads_them(
    tmp_path, communes, django_assert_max_num_queries
):
    from scoring.resources import UnitResource

    import_units(
        write_csv(tmp_path / "u.csv", [HEADER, ["HN", "Xã Hợp Nhất", "xã", "C;A", "2025"]])
    )

    # Counted, read, and their predecessors: not one query a unit.
    with django_assert_max_num_queries(3):
        dataset = UnitResource().export()

    rows = {row["code"]: row for row in dataset.dict}
    assert (rows["HN"]["predecessor_codes"], rows["HN"]["formed_in"]) == ("A; C", "2025")
    assert rows["A"]["predecessor_codes"] == ""
