"""A NUL or another control character typed into the sheet, a reason box or the login
form: refused with a Vietnamese message, nothing written, never a server error."""

import pytest
from django.contrib.auth import get_user_model

from scoring.models import AssessmentEvent, AssessmentStatus, RankingGroup, Score
from tests.factories import RankingGroupFactory
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token

pytestmark = pytest.mark.django_db
NOTE = "Thiếu báo cáo\x00 quý IV"
NUL_AT_14 = (
    "Có ký tự điều khiển không hợp lệ (mã 0x00) ở ký tự thứ 14; hãy xóa ký tự đó rồi nhập lại."
)


@pytest.mark.parametrize(
    ("status", "who", "column", "points"),
    [
        (AssessmentStatus.DRAFT, "unit_user", "note", "self"),
        (AssessmentStatus.SUBMITTED, "home_affairs", "comment", "appraised"),
    ],
)
def test_a_nul_in_a_sheet_text_is_refused_and_the_typed_text_kept(status, who, column, points):
    world = make_world(status=status)
    ids = leaf_ids(world.mine)
    data = {
        f"{column}-{ids['1.1']}": NOTE,
        f"{points}-{ids['1.1']}": "0,5",
        f"{points}-{ids['1.2']}": "2",
        "token": token(world.mine),
    }

    response = logged_in(getattr(world, who)).post(f"/danh-gia/{world.mine.pk}/luu/", data)

    page = response.content.decode()
    assert response.status_code == 400
    assert NUL_AT_14 in page
    assert f">{NOTE}</textarea>" in page
    assert 'value="0,5"' in page and 'value="2"' in page
    assert not Score.objects.filter(assessment=world.mine).exists()
    world.mine.refresh_from_db()
    assert world.mine.version == 0


def test_a_control_character_in_a_return_reason_is_refused():
    world = make_world(status=AssessmentStatus.SUBMITTED)
    client = logged_in(world.home_affairs)

    response = client.post(f"/danh-gia/{world.mine.pk}/buoc/return/", {"reason": "Giải\x1btrình"})

    page = client.get(response["Location"]).content.decode()
    assert "Có ký tự điều khiển không hợp lệ (mã 0x1b) ở ký tự thứ 5" in page
    world.mine.refresh_from_db()
    assert world.mine.status == AssessmentStatus.SUBMITTED
    assert not AssessmentEvent.objects.exists()


def test_a_nul_in_the_login_form_is_told_in_vietnamese(client):
    get_user_model().objects.create_user(username="xa.camson", password="secret-pass-123")

    response = client.post(
        "/dang-nhap/", {"username": "xa.cam\x00son", "password": "secret-pass-123"}
    )

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(("char", "code"), [("\x00", "0x00"), ("\x01", "0x01")])
def test_a_control_character_in_an_admin_form_is_refused(admin_client, char, code):
    response = admin_client.post(
        "/admin/scoring/rankinggroup/add/",
        {"name": f"Khối{char} xã", "description": "", "bands-TOTAL_FORMS": "0",
         "bands-INITIAL_FORMS": "0"},
    )  # fmt: skip

    assert response.status_code == 200
    assert f"Có ký tự điều khiển không hợp lệ (mã {code}) ở ký tự thứ 5" in (
        response.content.decode()
    )
    assert not RankingGroup.objects.exists()


def test_a_nul_in_djangos_own_admin_forms_is_told_in_vietnamese(admin_client):
    response = admin_client.post(
        "/admin/auth/user/add/",
        {"username": "xa\x00son", "password1": "", "password2": "", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert "Không được có ký tự NUL (mã 0x00); hãy xóa ký tự đó rồi nhập lại." in (
        response.content.decode()
    )
    assert not get_user_model().objects.filter(username__startswith="xa").exists()


def test_a_nul_in_an_admin_search_is_told_in_vietnamese(admin_client):
    RankingGroupFactory(name="Khối xã")

    response = admin_client.get("/admin/scoring/rankinggroup/", {"q": "Kh\x00"})

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<li class="error">Không được có ký tự NUL (mã 0x00); hãy xóa ký tự đó rồi nhập lại.</li>'
        in page
    )
