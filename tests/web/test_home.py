import pytest

from scoring.models import Role
from tests.factories import AssessmentFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_the_vietnamese_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/")
    assert "Đăng nhập" in client.get(response["Location"]).content.decode()


def test_wrong_password_keeps_the_username_and_says_so(client):
    user_with_role(Role.UNIT, UnitFactory(), username="xa.thu")

    response = client.post("/dang-nhap/", {"username": "xa.thu", "password": "sai"})

    page = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page
    assert 'value="xa.thu"' in page


def test_unit_user_home_lists_only_its_own_assessments(client):
    mine = AssessmentFactory(unit__name="Xã Của Tôi")
    AssessmentFactory(unit__name="Xã Bên Cạnh")
    client.force_login(user_with_role(Role.UNIT, mine.unit))

    page = client.get("/").content.decode()

    assert "Xã Của Tôi" in page
    assert "Xã Bên Cạnh" not in page


def test_home_refuses_post(client):
    client.force_login(user_with_role(Role.ADMIN))

    assert client.post("/").status_code == 405
