"""The account pages: Nội vụ lists, creates, disables and re-enables the unit accounts of
its jurisdiction and no other; only an administrator creates a Nội vụ account."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from scoring.models import Membership, Role
from tests.factories import user_with_role
from tests.web.sheet_setup import logged_in, make_world

pytestmark = pytest.mark.django_db

User = get_user_model()
LIST, CREATE = "/tai-khoan/", "/tai-khoan/them/"


def active_url(account) -> str:
    return f"/tai-khoan/{account.pk}/trang-thai/"


def names_listed(page: str) -> list[str]:
    """The user names in the list's second column, in order."""
    return re.findall(r"<tr>\s*<td>[^<]*</td>\s*<td>([^<]+)</td>", page)


def log_in(client, username: str, password: str = "secret-pass-123"):
    return client.post("/dang-nhap/", {"username": username, "password": password})


@pytest.fixture
def world():
    return make_world()


def test_home_affairs_lists_only_the_unit_accounts_of_its_jurisdiction(world):
    user_with_role(Role.UNIT, world.other.unit, username="xa.bencanh", full_name="")
    world.unit_user.last_name, world.unit_user.first_name = "Lê", "Văn Tám"
    world.unit_user.email = "tam@example.vn"
    world.unit_user.save()

    page = logged_in(world.home_affairs).get(LIST).content.decode()

    # Not the commune of the other district, nor any Nội vụ account (its own included),
    # nor the administrator.
    assert names_listed(page) == ["xa.cuatoi", "xa.bencanh"]
    assert "<td>Lê Văn Tám</td>" in page and "tam@example.vn" in page
    assert "Xã Của Tôi" in page and "Chưa đăng nhập" in page
    for hidden in ("noivu.thu", "noivu.xa", "quantri.thu", "Xã Huyện Khác"):
        assert hidden not in page.split("<table")[1]


def test_an_administrator_lists_every_account(world):
    page = logged_in(world.admin).get(LIST).content.decode()

    assert sorted(names_listed(page)) == sorted(
        ["xa.cuatoi", "noivu.thu", "quantri.thu", "noivu.xa"]
    )
    assert "Cán bộ Nội vụ" in page and "Quản trị" in page


def test_search_and_unit_filter_give_the_right_rows(world):
    user_with_role(Role.UNIT, world.other.unit, username="xa.bencanh", full_name="Phạm Thị Hoa")
    client = logged_in(world.home_affairs)

    by_name = client.get(LIST, {"q": "thị hoa"}).content.decode()
    by_unit = client.get(LIST, {"don_vi": world.mine.unit.pk}).content.decode()
    nothing = client.get(LIST, {"q": "không-có-ai"}).content.decode()

    assert names_listed(by_name) == ["xa.bencanh"]
    assert names_listed(by_unit) == ["xa.cuatoi"]
    assert names_listed(nothing) == []
    assert "Không có tài khoản nào khớp với điều kiện lọc." in nothing


def _second_page(accounts: int, django_assert_max_num_queries) -> list[str]:
    """The user names on page 2 of the list once `accounts` more are in the district."""
    world = make_world(tag=f"-{accounts}")
    for n in range(accounts):
        user_with_role(Role.UNIT, world.other.unit, username=f"xa.{accounts}.{n:03d}")
    client = logged_in(world.home_affairs)
    with django_assert_max_num_queries(12):
        page = client.get(LIST, {"trang": 2}).content.decode()
    return names_listed(page)


def test_the_list_is_paged_with_a_bounded_number_of_queries(django_assert_max_num_queries):
    # 6 accounts: one page, so page 2 shows the last one; 61: the 11 after the first 50.
    assert len(_second_page(5, django_assert_max_num_queries)) == 6
    assert _second_page(60, django_assert_max_num_queries) == [
        f"xa.60.{n:03d}" for n in range(49, 60)
    ]


def test_unit_users_cannot_open_the_account_pages(world):
    client = logged_in(world.unit_user)

    for url in (LIST, CREATE, "/tai-khoan/nhap-tep/", "/tai-khoan/tep-mau.xlsx"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Chỉ cán bộ Nội vụ và quản trị viên quản lý tài khoản." in response.content.decode()


def test_the_nav_links_to_accounts_for_home_affairs_only(world):
    link = '<a href="/tai-khoan/">Tài khoản</a>'

    assert link in logged_in(world.home_affairs).get("/ke-hoach/").content.decode()
    assert link not in logged_in(world.unit_user).get("/ke-hoach/").content.decode()


def test_home_affairs_creates_a_unit_account_with_a_one_time_password(world, settings):
    settings.SITE_URL = "https://cchc.example.vn"
    client = logged_in(world.home_affairs)
    form = client.get(CREATE).content.decode()

    page = client.post(
        CREATE,
        {
            "unit": world.other.unit.pk,
            "full_name": " Nguyễn  Thị Hoa ",
            "email": "Hoa.NT@Example.vn",
            "username": "",
            "role": Role.UNIT,
        },
    ).content.decode()

    assert '<input type="hidden" name="role" value="unit"' in form
    assert '<select name="role"' not in form
    account = User.objects.get(username="hoa.nt@example.vn")
    assert (account.last_name, account.first_name, account.email) == (
        "Nguyễn",
        "Thị Hoa",
        "hoa.nt@example.vn",
    )
    membership = account.membership
    assert (membership.role, membership.unit, membership.must_set_password) == (
        Role.UNIT,
        world.other.unit,
        True,
    )
    password = re.search(r"<code>([^<]+)</code>", page).group(1)
    assert re.fullmatch(r"([a-zA-Z2-9]{4}-){3}[a-zA-Z2-9]{4}", password)
    assert password not in account.password and account.check_password(password)
    assert "Nguyễn Thị Hoa" in page and "hoa.nt@example.vn · đã gửi đường dẫn" in page
    assert "chỉ hiện trên trang này, một lần duy nhất" in page
    [message] = mail.outbox
    assert message.to == ["hoa.nt@example.vn"]
    assert "Tên đăng nhập: hoa.nt@example.vn" in message.body
    assert "https://cchc.example.vn/dat-lai-mat-khau/" in message.body
    assert password not in message.body


def test_the_answer_with_a_password_is_not_cached(world):
    response = logged_in(world.home_affairs).post(
        CREATE, {"unit": world.mine.unit.pk, "full_name": "Lê Văn Bảy", "username": "bay.lv"}
    )

    assert "no-store" in response["Cache-Control"]
    assert User.objects.get(username="bay.lv").email == ""
    assert "<td>—</td>" in response.content.decode()  # no e-mail: no link sent
    assert mail.outbox == []


def test_home_affairs_cannot_create_an_account_outside_its_jurisdiction(world):
    before = User.objects.count()
    response = logged_in(world.home_affairs).post(
        CREATE,
        {"unit": world.outside.unit.pk, "full_name": "Người Ngoài", "email": "ngoai@example.vn"},
    )

    assert response.status_code == 400
    text = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in text  # the unit is not among the choices
    assert 'value="Người Ngoài"' in text  # what was typed is kept
    assert User.objects.count() == before
    assert world.outside.unit.name not in text  # not even offered


def test_home_affairs_cannot_create_a_home_affairs_account(world):
    before = (User.objects.count(), Membership.objects.count())
    response = logged_in(world.home_affairs).post(
        CREATE,
        {
            "unit": world.mine.unit.pk,
            "full_name": "Trần Văn Nội",
            "email": "noi@example.vn",
            "role": Role.HOME_AFFAIRS,
        },
    )

    assert response.status_code == 400
    assert "Chỉ quản trị viên được tạo tài khoản Cán bộ Nội vụ." in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == before


def test_an_administrator_creates_a_home_affairs_account(world):
    client = logged_in(world.admin)
    form = client.get(CREATE).content.decode()

    client.post(
        CREATE,
        {
            "unit": world.district.pk,
            "full_name": "Trần Văn Nội",
            "username": "noivu.moi",
            "role": Role.HOME_AFFAIRS,
        },
    )

    assert '<select name="role"' in form
    membership = Membership.objects.get(user__username="noivu.moi")
    assert (membership.role, membership.unit) == (Role.HOME_AFFAIRS, world.district)


def test_a_taken_user_name_or_e_mail_is_refused_with_the_input_kept(world):
    world.unit_user.email = "tam@example.vn"
    world.unit_user.save()
    client = logged_in(world.home_affairs)

    by_email = client.post(
        CREATE, {"unit": world.mine.unit.pk, "full_name": "Lê Tám", "email": "TAM@example.vn"}
    )
    by_name = client.post(
        CREATE, {"unit": world.mine.unit.pk, "full_name": "Lê Tám", "username": "XA.CUATOI"}
    )
    no_login = client.post(CREATE, {"unit": world.mine.unit.pk, "full_name": "Lê Tám"})

    assert "Đã có tài khoản dùng e-mail «tam@example.vn»." in by_email.content.decode()
    assert "Tên đăng nhập «xa.cuatoi» đã có người dùng." in by_name.content.decode()
    assert "Cần e-mail hoặc tên đăng nhập (không có e-mail)." in no_login.content.decode()
    assert 'value="Lê Tám"' in no_login.content.decode()
    assert not User.objects.filter(last_name="Lê").exists()


def test_a_disabled_account_cannot_log_in_until_re_enabled(world, client):
    manager = logged_in(world.home_affairs)

    disabled = manager.post(active_url(world.unit_user), {"active": "0", "next": "/tai-khoan/"})
    refused = log_in(client, "xa.cuatoi")
    listed = manager.get(LIST).content.decode()
    manager.post(active_url(world.unit_user), {"active": "1"})
    allowed = log_in(client, "xa.cuatoi")

    assert disabled.status_code == 302 and disabled["Location"] == "/tai-khoan/"
    assert "Tài khoản này đã bị khóa. Hãy liên hệ cán bộ Nội vụ" in refused.content.decode()
    assert "Đã khóa tài khoản «xa.cuatoi»." in listed and "Đã khóa</strong>" in listed
    assert 'data-confirm="Mở lại tài khoản «xa.cuatoi»?"' in listed
    assert allowed.status_code == 302 and client.session["_auth_user_id"] == str(world.unit_user.pk)


def test_a_locked_account_is_named_locked_only_to_someone_with_its_password(world, client):
    logged_in(world.home_affairs).post(active_url(world.unit_user), {"active": "0"})

    wrong = client.post("/dang-nhap/", {"username": "xa.cuatoi", "password": "doan-bua-123"})
    unknown = client.post("/dang-nhap/", {"username": "khong.co", "password": "doan-bua-123"})

    for response in (wrong, unknown):
        page = response.content.decode()
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in page and "đã bị khóa" not in page
    assert "_auth_user_id" not in client.session


def test_disabling_ends_the_sessions_already_open(world):
    unit_client = logged_in(world.unit_user)
    logged_in(world.home_affairs).post(active_url(world.unit_user), {"active": "0"})

    response = unit_client.get("/")

    assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


@pytest.mark.parametrize("active", ["0", "1"])
def test_home_affairs_cannot_disable_or_re_enable_accounts_it_does_not_manage(world, active):
    outside = user_with_role(Role.UNIT, world.outside.unit, username="xa.ngoai")
    targets = [outside, world.other_district_home_affairs, world.admin]
    User.objects.filter(pk__in=[t.pk for t in targets]).update(is_active=active == "0")
    client = logged_in(world.home_affairs)

    answers = [client.post(active_url(target), {"active": active}) for target in targets]

    assert [a.status_code for a in answers] == [403, 403, 403]
    assert "Bạn không có quyền quản lý tài khoản này." in answers[0].content.decode()
    assert set(
        User.objects.filter(pk__in=[t.pk for t in targets]).values_list("is_active", flat=True)
    ) == {active == "0"}


def test_disabling_takes_a_post_and_never_oneself(world):
    admin = logged_in(world.admin)

    assert admin.get(active_url(world.unit_user)).status_code == 405
    refused = admin.post(active_url(world.admin), {"active": "0"})

    assert refused.status_code == 403
    assert "Bạn không thể tự khóa tài khoản của mình." in refused.content.decode()
    assert User.objects.get(pk=world.admin.pk).is_active
