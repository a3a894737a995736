"""Accounts from a file: all or nothing, every problem listed by its spreadsheet row."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring.models import Membership, Role
from tests.factories import user_with_role
from tests.web.sheet_setup import logged_in, make_world

pytestmark = pytest.mark.django_db

User = get_user_model()
IMPORT = "/tai-khoan/nhap-tep/"
HEADER = ["Mã đơn vị", "Họ và tên", "E-mail", "Vai trò"]


def xlsx(rows: list[list], name: str = "tai-khoan.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def csv_file(text: str, name: str = "tai-khoan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"))


def counts() -> tuple[int, int]:
    return User.objects.count(), Membership.objects.count()


def errors(response) -> list[str]:
    text = response.content.decode()
    block = text.split('<div class="card import-errors" role="alert">')[1].split("</div>")[0]
    return [item.split("</li>")[0] for item in block.split("<li>")[1:]]


@pytest.fixture
def world():
    return make_world()


def test_one_bad_row_creates_nothing_and_is_listed(world):
    mine, other = world.mine.unit.code, world.other.unit.code
    before = counts()
    upload = xlsx(
        [
            HEADER,
            [mine, "Nguyễn Văn An", "an@example.vn", "Đơn vị"],
            ["KHONG-CO", "Trần Thị Bình", "binh@example.vn", "Đơn vị"],
            [other, "Lê Văn Cường", "cuong@example.vn", ""],
        ]
    )

    response = logged_in(world.home_affairs).post(IMPORT, {"file": upload})

    assert response.status_code == 400
    assert errors(response) == ["Dòng 3, cột Mã đơn vị: Không có đơn vị mã «KHONG-CO»."]
    assert "Chưa tạo tài khoản nào." in response.content.decode()
    assert counts() == before
    assert mail.outbox == []


def test_every_problem_is_listed_by_row(world):
    outside = world.outside.unit.code
    mine = world.mine.unit.code
    world.unit_user.email = "da-co@example.vn"
    world.unit_user.save()
    before = counts()
    upload = xlsx(
        [
            [*HEADER, "Tên đăng nhập"],
            [outside, "Người Huyện Khác", "ngoai@example.vn", "Đơn vị", ""],
            [mine, "Nguyễn Văn An", "an@@example", "Đơn vị", ""],
            [mine, "Trần Thị Bình", "binh@example.vn", "", ""],
            [mine, "Trần Thị Bình 2", "BINH@example.vn", "", ""],
            [mine, "Lê Văn Cường", "da-co@example.vn", "", ""],
            [mine, "Phạm Văn Dũng", "", "Đơn vị", "xa.cuatoi"],
            [mine, "Hoàng Nội Vụ", "noivu@example.vn", "Cán bộ Nội vụ", ""],
            [mine, "", "", "Giám đốc", ""],
        ]
    )

    response = logged_in(world.home_affairs).post(IMPORT, {"file": upload})

    assert errors(response) == [
        f"Dòng 2, cột Mã đơn vị: Đơn vị mã «{outside}» không thuộc địa bàn bạn quản lý.",
        "Dòng 3, cột E-mail: «an@@example» không phải địa chỉ e-mail hợp lệ.",
        "Dòng 5, cột E-mail: E-mail «binh@example.vn» trùng với dòng 4.",
        "Dòng 6, cột E-mail: Đã có tài khoản dùng e-mail «da-co@example.vn».",
        "Dòng 7, cột Tên đăng nhập: Tên đăng nhập «xa.cuatoi» đã có người dùng.",
        "Dòng 8, cột Vai trò: Chỉ quản trị viên được tạo tài khoản Cán bộ Nội vụ.",
        "Dòng 9, cột Vai trò: «Giám đốc» không phải là vai trò; dùng admin, home_affairs, "
        "unit hoặc «Quản trị», «Cán bộ Nội vụ», «Đơn vị».",
        "Dòng 9, cột Họ và tên: Chưa có họ và tên.",
        "Dòng 9, cột Tên đăng nhập: Cần e-mail hoặc tên đăng nhập (không có e-mail).",
    ]
    assert counts() == before


def test_a_clean_file_creates_every_account_with_its_one_time_password(world, settings):
    settings.SITE_URL = "https://cchc.example.vn"
    upload = csv_file(
        "Mã đơn vị;Họ và tên;E-mail;Vai trò;Tên đăng nhập\n"
        f"{world.mine.unit.code};Nguyễn Văn An;An@Example.vn;Đơn vị;\n"
        "\n"
        f"{world.other.unit.code};Trần Thị Bình;;;binh.tt\n"
    )

    response = logged_in(world.home_affairs).post(IMPORT, {"file": upload})

    text = response.content.decode()
    assert response.status_code == 200 and "Đã tạo 2 tài khoản" in text
    an = Membership.objects.get(user__username="an@example.vn")
    binh = Membership.objects.get(user__username="binh.tt")
    assert (an.unit, an.role, an.must_set_password) == (world.mine.unit, Role.UNIT, True)
    assert (binh.unit, binh.user.last_name, binh.user.first_name) == (
        world.other.unit,
        "Trần",
        "Thị Bình",
    )
    assert text.count("<code>") == 2
    assert "1 người có e-mail đã được gửi đường dẫn" in text
    [message] = mail.outbox
    assert message.to == ["an@example.vn"]
    assert "https://cchc.example.vn/dat-lai-mat-khau/" in message.body


def test_an_administrator_imports_home_affairs_accounts(world):
    upload = xlsx([HEADER, [world.district.code, "Trần Văn Nội", "noi@example.vn", "Nội vụ"]])

    logged_in(world.admin).post(IMPORT, {"file": upload})

    membership = Membership.objects.get(user__username="noi@example.vn")
    assert (membership.role, membership.unit) == (Role.HOME_AFFAIRS, world.district)


def test_the_sample_file_downloads_and_imports_as_it_is(world):
    client = logged_in(world.home_affairs)
    sample = client.get("/tai-khoan/tep-mau.xlsx")

    response = client.post(IMPORT, {"file": SimpleUploadedFile("mau.xlsx", sample.content)})

    sheet = openpyxl.load_workbook(io.BytesIO(sample.content)).active
    assert [cell.value for cell in sheet[1]] == [*HEADER, "Tên đăng nhập"]
    assert sample["Content-Disposition"] == 'attachment; filename="tai-khoan-mau.xlsx"'
    assert "Đã tạo 2 tài khoản" in response.content.decode()
    units = set(Membership.objects.filter(must_set_password=True).values_list("unit", flat=True))
    assert units <= {world.district.pk, world.mine.unit.pk, world.other.unit.pk}


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            xlsx([["Mã đơn vị", "Họ tên", "Vai tro"], ["X", "Y", "Z"]]),
            "Tệp có cột không dùng được: «Vai tro». Các cột dùng được: Mã đơn vị, Họ và tên, "
            "E-mail, Vai trò, Tên đăng nhập.",
        ),
        (xlsx([HEADER]), "Tệp không có dòng dữ liệu nào."),
        (
            SimpleUploadedFile("tai-khoan.xls", b"\xd0\xcf\x11\xe0"),
            "Chỉ nhận tệp .xlsx hoặc .csv, không nhận «tai-khoan.xls».",
        ),
        (
            SimpleUploadedFile("hong.xlsx", b"PK\x03\x04 not really"),
            "Không đọc được tệp Excel «hong.xlsx»",
        ),
    ],
)
def test_a_file_that_cannot_be_read_says_why(world, upload, message):
    before = counts()

    response = logged_in(world.home_affairs).post(IMPORT, {"file": upload})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


def test_a_missing_column_is_named(world):
    response = logged_in(world.home_affairs).post(
        IMPORT, {"file": xlsx([["Mã đơn vị", "Họ và tên"], ["X", "Y"]])}
    )

    assert errors(response) == ["Tệp thiếu cột: E-mail."]


def _import_queries(world, accounts: int, django_assert_max_num_queries) -> int:
    code = world.mine.unit.code
    rows = [[code, f"Người Số {n}", f"nguoi{accounts}.{n}@example.vn"] for n in range(accounts)]
    client = logged_in(world.home_affairs)
    with django_assert_max_num_queries(20):
        client.post(IMPORT, {"file": xlsx([HEADER[:3], *rows])})
    return Membership.objects.filter(user__email__startswith=f"nguoi{accounts}.").count()


def test_an_import_runs_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    assert _import_queries(world, 3, django_assert_max_num_queries) == 3
    assert _import_queries(world, 80, django_assert_max_num_queries) == 80


def test_unit_users_cannot_import(world):
    before = counts()
    upload = xlsx([HEADER, [world.mine.unit.code, "Nguyễn Văn An", "an@example.vn", ""]])

    response = logged_in(world.unit_user).post(IMPORT, {"file": upload})

    assert response.status_code == 403
    assert counts() == before


def test_another_jurisdictions_home_affairs_cannot_import_into_this_one(world):
    user_with_role(Role.UNIT, world.outside.unit, username="xa.ngoai")
    before = counts()
    upload = xlsx([HEADER, [world.mine.unit.code, "Nguyễn Văn An", "an@example.vn", ""]])

    response = logged_in(world.other_district_home_affairs).post(IMPORT, {"file": upload})

    assert errors(response) == [
        f"Dòng 2, cột Mã đơn vị: Đơn vị mã «{world.mine.unit.code}» không thuộc địa bàn "
        "bạn quản lý."
    ]
    assert counts() == before
