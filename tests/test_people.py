from django.contrib.auth.models import AnonymousUser, User

from cchc.people import full_name


def test_the_full_name_puts_the_family_name_first():
    assert full_name(User(first_name="Thị Hoa", last_name="Nguyễn")) == "Nguyễn Thị Hoa"


def test_a_name_typed_whole_in_one_box_is_kept_and_spaces_are_tidied():
    assert full_name(User(first_name="  Trần   Văn Nam ")) == "Trần Văn Nam"
    assert full_name(User(last_name="Lê Thị Thu")) == "Lê Thị Thu"


def test_an_account_without_a_name_has_none():
    assert full_name(User(username="noivu.thu")) == ""
    assert full_name(AnonymousUser()) == ""
