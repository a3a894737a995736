"""A framework pair mapped from a file, and the comparison that then follows it."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from scoring.analysis import compare_years
from scoring.models import Assessment, CriterionCounterpart, EditionMapping, Role
from tests.factories import user_with_role, write_csv
from tests.scoring.editions.builders import MAPPING_ROWS, mapping_file, scored_unit, two_editions
from tests.web.test_analysis import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions():
    return two_editions()


@pytest.fixture
def mapper():
    return user_with_role(Role.HOME_AFFAIRS, username="noivu.thu")


def _import(path, old, new, user="noivu.thu"):
    call_command(
        "import_criterion_mapping",
        str(path),
        framework=new.name,
        previous=old.name,
        user=user,
    )


def _stored(new, old) -> list[tuple[str, str]]:
    rows = CriterionCounterpart.objects.filter(mapping__framework=new, mapping__previous=old)
    return list(rows.values_list("criterion__code", "previous__code"))


def test_a_pair_mapped_by_file_stores_merges_splits_renames_and_gaps(
    editions, mapper, tmp_path, capsys
):
    old, new = editions
    _import(mapping_file(tmp_path), old, new)

    assert sorted(_stored(new, old)) == [
        ("1", "1"), ("1.1", "1.1"), ("1.1", "1.2"), ("1.2", "1.3"),
        ("2", "2"), ("2.1", "2.1"), ("2.2", "2.1"),
    ]  # fmt: skip
    mapping = EditionMapping.objects.get(framework=new, previous=old)
    assert mapping.mapped_by == mapper
    assert "7 cặp tiêu chí tương ứng" in capsys.readouterr().out


def test_the_comparison_across_a_mapped_pair_follows_the_mapping(
    editions, mapper, tmp_path, client
):
    old, new = editions
    unit = scored_unit(old, new)
    _import(mapping_file(tmp_path), old, new)
    client.force_login(user_with_role(Role.UNIT, unit))

    html = client.get(reverse("scoring:comparison", args=[unit.pk])).content.decode()

    assert "đối chiếu của Nội vụ" in html and "Cán bộ noivu.thu" in html
    criteria = table_rows(html, "criterion-comparison")
    assert set(criteria) == {"1.1", "1.2", "2.1 + 2.2"}
    # 1.1 continues the old 1.1 and 1.2 (1 + 2 of 4): compared with their sum.
    assert criteria["1.1"][2:] == ["3/4", "3,5/4", "+0,5"]
    assert "gộp từ 2 tiêu chí" in criteria["1.1"][1]
    # 1.2 is the old 1.3 renumbered.
    assert criteria["1.2"][2:] == ["0,5/2", "1/2", "+0,5"]
    assert "Năm 2022: 1.3. Tiêu chí 1.3" in criteria["1.2"][1]
    # The old 2.1 (3 of 4) was split into 2.1 and 2.2 (2 + 0,5 of 2 + 2).
    assert criteria["2.1 + 2.2"][2:] == ["3/4", "2,5/4", "−0,5"]
    assert "tách thành 2 tiêu chí" in criteria["2.1 + 2.2"][1]
    fields = table_rows(html, "field-comparison")
    assert fields["1"][1:] == ["6", "3,5", "58,33%", "6", "4,5", "75%", "+1", "+16,67%"]
    assert fields["4"][1:] == ["—", "—", "—", "2", "1", "50%", "—", "—"]
    assert "không có lĩnh vực tương ứng năm 2022" in fields["4"][0]
    assert fields["3"][1:] == ["2", "2", "100%", "—", "—", "—", "—", "—"]
    unmatched = html.split('id="unmatched"')[1]
    assert "Năm 2023: không có tiêu chí tương ứng năm 2022" in unmatched
    assert "4.1. Tiêu chí 4.1" in unmatched and "3.1. Tiêu chí 3.1" in unmatched


def test_the_same_pair_unmapped_is_compared_by_code_and_says_so(editions, client):
    old, new = editions
    unit = scored_unit(old, new)
    client.force_login(user_with_role(Role.UNIT, unit))

    html = client.get(reverse("scoring:comparison", args=[unit.pk])).content.decode()

    assert "ghép theo mã" in html
    criteria = table_rows(html, "criterion-comparison")
    # By code the new 1.1 meets the old 1.1 only (1 of 2), which is not what continues.
    assert criteria["1.1"][2:] == ["1/2", "3,5/4", "+2,5"]
    assert set(criteria) == {"1.1", "1.2", "2.1"}


def test_the_comparison_read_backwards_uses_the_mapping_too(editions, mapper, tmp_path):
    old, new = editions
    unit = scored_unit(old, new)
    _import(mapping_file(tmp_path), old, new)
    a2022, a2023 = Assessment.objects.filter(unit=unit).order_by("year")

    cmp = compare_years(a2022, a2023)

    rows = {row.code: (row.other_code, row.change) for row in cmp.criteria}
    # 2022 against 2023: the old 1.1 and 1.2 (3) against the new 1.1 (3,5).
    assert rows == {
        "1.1 + 1.2": ("1.1", Decimal("-0.5")),
        "1.3": ("1.2", Decimal("-0.5")),
        "2.1": ("2.1 + 2.2", Decimal("0.5")),
    }
    assert [n.code for n in cmp.unmatched_current] == ["3.1"]


def test_an_xlsx_with_english_headers_is_read_alike(editions, mapper, tmp_path):
    old, new = editions
    book = Workbook()
    sheet = book.active
    sheet.append(["new_code", "old_code"])
    for new_code, old_code, _ in MAPPING_ROWS[1:]:
        sheet.append([new_code, old_code or None])
    book.save(tmp_path / "mapping.xlsx")

    _import(tmp_path / "mapping.xlsx", old, new)

    assert len(_stored(new, old)) == 7


def test_a_bad_file_lists_every_error_with_its_row_and_writes_nothing(
    editions, mapper, tmp_path, capsys
):
    old, new = editions
    _import(mapping_file(tmp_path), old, new)
    before = sorted(_stored(new, old))
    rows = [
        ["Mã mới", "Mã cũ"],
        ["1.1", "1.1"],
        ["9.9", "1.2"],  # unknown in the new edition
        ["1.2", "8.8"],  # unknown in the previous one
        ["1.1", "1.1"],  # the same row again
        ["2.1", ""],  # says no counterpart...
        ["2.1", "2.1"],  # ...and then gives one
        ["", "3.1"],  # an old code for no new one
    ]

    with pytest.raises(CommandError, match=r"5 lỗi\. Chưa ghi gì vào cơ sở dữ liệu\."):
        _import(write_csv(tmp_path / "sai.csv", rows), old, new)

    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "Dòng 3, cột mã mới: không có tiêu chí mã «9.9» trong bộ chỉ số «Bộ chỉ số xã 2023».",
        "Dòng 4, cột mã cũ: không có tiêu chí mã «8.8» trong bộ chỉ số «Bộ chỉ số xã 2022».",
        "Dòng 5: trùng với dòng 2.",
        "Dòng 8, cột mã mới: thiếu mã mới cho mã cũ «3.1».",
        "Dòng 6: tiêu chí 2.1 ghi «không có tiêu chí tương ứng» nhưng dòng 7 lại ghi mã cũ cho nó.",
    ]
    assert sorted(_stored(new, old)) == before


def test_a_file_for_a_pair_that_is_not_two_editions_is_refused(editions, mapper, tmp_path, capsys):
    old, new = editions

    with pytest.raises(CommandError):
        _import(mapping_file(tmp_path), new, old)  # backwards: the "previous" is newer

    assert "Bộ chỉ số trước phải áp dụng từ một năm trước bộ chỉ số mới." in capsys.readouterr().err
    assert not EditionMapping.objects.exists()


def test_a_file_without_the_code_columns_names_them(editions, mapper, tmp_path, capsys):
    old, new = editions
    path = write_csv(tmp_path / "cot.csv", [["mã", "mã cũ"], ["1.1", "1.1"]])

    with pytest.raises(CommandError):
        _import(path, old, new)

    assert "Tệp thiếu cột: mã mới." in capsys.readouterr().err


def test_an_excel_code_stored_as_a_number_is_refused(editions, mapper, tmp_path, capsys):
    old, new = editions
    book = Workbook()
    book.active.append(["mã mới", "mã cũ"])
    book.active.append([2.1, "2.1"])
    book.save(tmp_path / "so.xlsx")

    with pytest.raises(CommandError):
        _import(tmp_path / "so.xlsx", old, new)

    assert "Dòng 2, cột mã mới: Excel lưu mã «2.1» dưới dạng số" in capsys.readouterr().err
    assert not EditionMapping.objects.exists()


def test_an_unknown_user_or_framework_is_told(editions, mapper, tmp_path):
    old, new = editions
    with pytest.raises(CommandError, match=r"Không có tài khoản «ai\.do»"):
        _import(mapping_file(tmp_path), old, new, user="ai.do")
    with pytest.raises(CommandError, match="Không có bộ chỉ số tên «Không có»"):
        call_command(
            "import_criterion_mapping", "x.csv", framework="Không có", previous=old.name, user="x"
        )


def test_a_file_made_for_another_pair_is_refused_row_by_row(editions, mapper, tmp_path, capsys):
    old, new = editions
    rows = [
        ["Bộ chỉ số mới", "Bộ chỉ số trước", "Mã mới", "Mã cũ"],
        ["bộ chỉ số xã 2023", "BỘ CHỈ SỐ XÃ 2022", "1.1", "1.1"],  # the pair, typed loosely
        ["Bộ chỉ số xã 2023", "Bộ chỉ số xã 2021", "1.2", "1.3"],
    ]

    with pytest.raises(CommandError):
        _import(write_csv(tmp_path / "cap-khac.csv", rows), old, new)

    assert capsys.readouterr().err.splitlines()[0] == (
        "Dòng 3, cột bộ chỉ số trước: tệp ghi «Bộ chỉ số xã 2021», không phải "
        "«Bộ chỉ số xã 2022» đang đối chiếu."
    )
    assert not EditionMapping.objects.exists()
