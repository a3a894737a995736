"""The admin's import (preview, then confirm) and export buttons."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.formatting import parse_points
from scoring.models import Assessment, Criterion, Score, Unit
from tests.factories import (
    AssessmentFactory,
    FrameworkFactory,
    RankingGroupFactory,
    UnitFactory,
    build_framework,
)

pytestmark = pytest.mark.django_db

CSV_FORMAT = "0"
CRITERIA = (
    "code,parent_code,title,max_points\n"
    "1,,Chỉ đạo điều hành,10\n"
    '1.1,1,Kế hoạch CCHC,"4,5"\n'
    "1.2,1,Báo cáo CCHC,5.5\n"
)


def preview(client, model: str, text: str, **settings):
    upload = SimpleUploadedFile("tep.csv", text.encode("utf-8"), content_type="text/csv")
    data = {"import_file": upload, "format": CSV_FORMAT, "resource": "0", **settings}
    return client.post(reverse(f"admin:scoring_{model}_import"), data)


def confirm(client, model: str, preview_response):
    initial = preview_response.context["confirm_form"].initial
    data = {name: "" if value is None else value for name, value in initial.items()}
    return client.post(reverse(f"admin:scoring_{model}_process_import"), data, follow=True)


def test_changelists_offer_import_and_export_in_vietnamese(admin_client):
    for model in ("unit", "criterion", "score"):
        text = admin_client.get(reverse(f"admin:scoring_{model}_changelist")).content.decode()

        assert ">Nhập từ tệp</a>" in text and ">Xuất ra tệp</a>" in text


def test_criteria_import_offers_only_frameworks_not_in_use(admin_client):
    used = AssessmentFactory().framework
    FrameworkFactory(name="Bộ chỉ số mới")

    text = admin_client.get(reverse("admin:scoring_criterion_import")).content.decode()

    assert ">Bộ chỉ số mới</option>" in text
    assert f">{used.name}</option>" not in text
    assert "Các cột được nhập: " in text and "parent_code" in text


def test_criteria_import_previews_then_writes_the_tree(admin_client):
    framework = FrameworkFactory(name="Bộ chỉ số mới")

    shown = preview(admin_client, "criterion", CRITERIA, framework=framework.pk)

    assert "Xác nhận nhập" in shown.content.decode()
    assert not framework.criteria.exists()  # the preview is a dry run
    done = confirm(admin_client, "criterion", shown)
    assert "Đã nhập xong: 3 mới, 0 cập nhật, 0 xóa, 0 bỏ qua (tiêu chí)." in done.content.decode()
    rows = framework.criteria.order_by("sort_key").values_list("code", "depth", "max_points")
    assert list(rows) == [
        ("1", 0, Decimal(10)),
        ("1.1", 1, Decimal("4.5")),
        ("1.2", 1, Decimal("5.5")),
    ]


def test_criteria_that_do_not_add_up_are_shown_and_nothing_is_offered_to_confirm(admin_client):
    framework = FrameworkFactory(name="Bộ chỉ số mới")

    shown = preview(admin_client, "criterion", CRITERIA.replace("5.5", "5"), framework=framework.pk)

    text = shown.content.decode()
    assert "Dòng 2, cột max_points: Điểm tối đa của «1» là 10 nhưng tổng điểm" in text
    assert "Một số dòng không hợp lệ" in text
    assert shown.context.get("confirm_form") is None
    assert not framework.criteria.exists()


def test_units_import_through_the_admin(admin_client):
    shown = preview(
        admin_client,
        "unit",
        "code,name,level,parent_code,group\n"
        "H01,Huyện Cẩm Xuyên,huyện,,\n"
        "X01,Xã Cẩm Sơn,xã,H01,Khối xã\n",
    )

    confirm(admin_client, "unit", shown)

    commune = Unit.objects.get(code="X01")
    assert (commune.parent.code, commune.ranking_group.name, commune.level) == (
        "H01",
        "Khối xã",
        "commune",
    )


def test_scores_import_for_the_chosen_year(admin_client):
    framework = build_framework([("1", None, "6"), ("2", None, "4")], year_from=2020)
    UnitFactory(code="X01", ranking_group=RankingGroupFactory(name="Khối xã"))
    text = (
        'unit_code,criterion_code,self_score,appraised_score,note\nX01,1,"5,5",5,Thiếu\nX01,2,4,,\n'
    )

    shown = preview(admin_client, "score", text, year="2024", framework="")
    confirm(admin_client, "score", shown)

    assessment = Assessment.objects.get(unit__code="X01", year=2024)
    assert assessment.framework == framework
    assert sorted(
        assessment.scores.values_list("criterion__code", "self_score", "appraised_score")
    ) == [
        ("1", Decimal("5.5"), Decimal("5")),
        ("2", Decimal("4"), None),
    ]
    imported = Score.history.values_list("history_type", "history_user__username")
    assert list(imported) == [("+", "admin")] * 2


def test_scores_import_needs_a_year(admin_client):
    response = preview(admin_client, "score", "unit_code\n", year="")

    assert response.context["form"].errors["year"]
    assert not Score.objects.exists()


def test_criteria_export_follows_the_changelist_filter(admin_client):
    framework = build_framework([("1", None, "1.5"), ("1.1", "1", "1.5")])
    build_framework([("9", None, "3")])
    url = reverse("admin:scoring_criterion_export") + f"?framework__id__exact={framework.pk}"

    response = admin_client.post(url, {"format": CSV_FORMAT, "resource": "0"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["code"], r["parent_code"]) for r in rows] == [("1", ""), ("1.1", "1")]
    assert [parse_points(r["max_points"]) for r in rows] == [Decimal("1.5"), Decimal("1.5")]
    assert Criterion.objects.count() == 3


def test_preview_rows_are_numbered_as_the_spreadsheet_and_the_messages_number_them(admin_client):
    framework = FrameworkFactory(name="Bộ chỉ số mới")

    shown = preview(
        admin_client, "criterion", CRITERIA.replace("5.5", "5.5555"), framework=framework.pk
    )

    [row] = shown.context["result"].invalid_rows
    assert row.number == 4
    assert row.error_dict["max_points"] == [
        "Dòng 4, cột max_points: «5.5555» có quá 3 chữ số thập phân."
    ]
    assert "<td>4 </td>" in shown.content.decode()


def test_a_file_problem_is_told_in_vietnamese_without_a_traceback(admin_client):
    shown = preview(admin_client, "unit", "code,name\nX01,Xã Cẩm Sơn\n")

    text = shown.content.decode()
    assert "<li>\n          Tệp thiếu cột: level.\n" in text
    assert "Traceback" not in text and "['" not in text
    assert not Unit.objects.exists()


def test_the_admin_reads_files_as_the_import_commands_do(admin_client):
    # Excel in Vietnamese saves CSV with semicolons; rows wider than the header are
    # told with their rows rather than as a parser's exception.
    semicolons = preview(admin_client, "unit", "code;name;level\nX01;Xã Cẩm Sơn;xã\n")
    wide = preview(admin_client, "unit", "code,name,level\nX01,Xã,xã\nX02,Xã,xã,thừa\n")
    upload = SimpleUploadedFile("tep.csv", "code,name\nX01,Xã".encode("utf-16"))
    utf16 = admin_client.post(
        reverse("admin:scoring_unit_import"),
        {"import_file": upload, "format": CSV_FORMAT, "resource": "0"},
    )

    assert [row.import_type for row in semicolons.context["result"].rows] == ["new"]
    assert [error.error for error in wide.context["result"].base_errors] == [
        "Cột thứ 4 không có tên ở dòng 1 nhưng có dữ liệu (dòng 3)."
    ]
    assert utf16.context["form"].errors["import_file"] == [
        "Tệp không phải văn bản UTF-8; hãy lưu lại dạng «CSV UTF-8»."
    ]
    assert (
        "Các cột được nhập: <code>code, name, level, parent_code, group, predecessor_codes, "
        "formed_in</code>"
    ) in (" ".join(utf16.content.decode().split()))
    assert not Unit.objects.exists()
