import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def tam():
    return get_user_model()(
        username="tam.le", first_name="Văn Tám", last_name="Lê", email="tam@camson.vn"
    )


@pytest.mark.parametrize("password", ["levantam2025", "LeVanTam-1", "Lê Văn Tám 2025"])
def test_the_persons_name_without_tone_marks_is_refused(tam, password):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, tam)
    assert refused.value.error_list[0].code == "password_too_similar"


def test_a_password_unlike_the_name_is_accepted(tam):
    validate_password("mua-thu-Ha-Tinh-2024", tam)
