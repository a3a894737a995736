"""cchc.text: which characters are refused, the message, and the form mixin."""

import pytest
from django import forms

from cchc.text import RefuseControlCharacters, control_character_problem

NUL_MESSAGE = (
    "Có ký tự điều khiển không hợp lệ (mã 0x00) ở ký tự thứ 4; hãy xóa ký tự đó rồi nhập lại."
)


def test_a_nul_is_named_with_its_place():
    assert control_character_problem("abc\x00def") == NUL_MESSAGE


@pytest.mark.parametrize("char", ["\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f"])
def test_every_other_c0_control_is_refused(char):
    assert f"(mã {ord(char):#04x})" in control_character_problem(f"a{char}")


@pytest.mark.parametrize("text", ["", "Thiếu báo cáo\tquý IV", "dòng 1\r\ndòng 2\n", "x\x7f"])
def test_tab_line_breaks_and_ordinary_text_pass(text):
    assert control_character_problem(text) is None


class NoteForm(RefuseControlCharacters, forms.Form):
    note = forms.CharField()
    count = forms.IntegerField(required=False)


def test_the_form_mixin_gives_one_message_for_a_nul_and_refuses_other_controls():
    form = NoteForm({"note": "abc\x00def"})
    assert form.errors == {"note": [NUL_MESSAGE]}
    assert not NoteForm({"note": "a\x1b"}).is_valid()
    assert NoteForm({"note": "dòng 1\r\ndòng 2"}).is_valid()
