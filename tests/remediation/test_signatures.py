"""Reading the ký số of an uploaded PDF: who signed, when, and whether it changed since."""

import re
from datetime import datetime

from remediation.signatures import pdf_signatures
from tests.remediation.signing import (
    add_content_after_signing,
    flip_signed_byte,
    pdf_with_field,
    sign,
)


def test_a_pdf_signed_into_its_empty_field_names_the_signer_and_is_intact():
    (signature,) = pdf_signatures(sign(pdf_with_field()))
    assert signature["field"] == "ChuKy"
    assert signature["signer"] == "Nguyễn Văn An"
    assert signature["intact"] is True
    assert signature["changed_after_signing"] is False
    assert (
        abs(datetime.fromisoformat(signature["signed_at"]).timestamp() - datetime.now().timestamp())
        < 600
    )


def test_a_pdf_without_a_field_is_signed_into_a_new_one_and_read_the_same():
    (signature,) = pdf_signatures(sign(pdf_with_field("Khac")))
    assert (signature["field"], signature["signer"]) == ("ChuKy2", "Nguyễn Văn An")
    assert not signature["changed_after_signing"]


def test_a_second_signature_in_its_own_field_leaves_the_first_unchanged():
    first = sign(pdf_with_field(), "Trần Thị Bình")
    second = sign(first, "Lê Văn Cường")
    signatures = pdf_signatures(second)
    assert [s["signer"] for s in signatures] == ["Trần Thị Bình", "Lê Văn Cường"]
    assert [s["changed_after_signing"] for s in signatures] == [False, False]


def test_content_added_after_signing_is_reported_as_a_change():
    (signature,) = pdf_signatures(add_content_after_signing(sign(pdf_with_field())))
    assert signature["signer"] == "Nguyễn Văn An"
    assert signature["intact"] is True  # the signed revision itself is untouched
    assert signature["changed_after_signing"] is True


def test_a_byte_changed_inside_the_signed_range_breaks_the_signature():
    (signature,) = pdf_signatures(flip_signed_byte(sign(pdf_with_field())))
    assert signature["intact"] is False
    assert signature["changed_after_signing"] is True


def test_an_unsigned_pdf_and_a_file_that_is_no_pdf_have_no_signatures():
    assert pdf_signatures(pdf_with_field()) == []
    assert pdf_signatures(b"\x89PNG\r\n\x1a\nnot a pdf") == []


def test_a_signature_whose_data_is_damaged_is_listed_as_not_intact():
    signed = sign(pdf_with_field())
    contents = re.search(rb"/Contents\s*<([0-9a-fA-F]+)>", signed).start(1) + 800
    damaged = signed[:contents] + b"0" * 40 + signed[contents + 40 :]
    (signature,) = pdf_signatures(damaged)
    assert (signature["field"], signature["intact"], signature["changed_after_signing"]) == (
        "ChuKy",
        False,
        True,
    )
