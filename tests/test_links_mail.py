import smtplib

from django.core import mail
from django.test import RequestFactory, override_settings

from cchc.links import absolute_url
from cchc.mail import mail_send


@override_settings(SITE_URL="https://cchc.example.vn")
def test_links_in_e_mails_use_the_public_address():
    request = RequestFactory().get("/", HTTP_HOST="10.0.0.5")
    assert absolute_url("/danh-gia/12/", request) == "https://cchc.example.vn/danh-gia/12/"


@override_settings(SITE_URL="", ALLOWED_HOSTS=["10.0.0.5"])
def test_without_a_public_address_links_use_the_request_or_the_development_server():
    request = RequestFactory().get("/", HTTP_HOST="10.0.0.5")
    assert absolute_url("/thong-bao/", request) == "http://10.0.0.5/thong-bao/"
    assert absolute_url("/thong-bao/") == "http://127.0.0.1:8000/thong-bao/"


def test_an_e_mail_is_sent_to_the_addresses_given():
    assert mail_send(to=["a@example.vn", ""], subject="Chủ đề", body="Nội dung")
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["a@example.vn"], "Chủ đề", "Nội dung")
    ]
    assert not mail_send(to=[""], subject="Không ai nhận", body="")
    assert len(mail.outbox) == 1


def test_a_mail_server_that_refuses_does_not_break_the_caller(monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("cchc.mail.send_mail", refuse)
    assert mail_send(to=["a@example.vn"], subject="Chủ đề", body="") is False
    assert "could not be sent" in caplog.text
