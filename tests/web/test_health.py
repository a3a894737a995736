import pytest
from django.db import OperationalError

from scoring.models import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_the_health_endpoint_answers_while_the_database_does(client):
    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert answer.content == b"ok\n"


def test_the_health_endpoint_says_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    # Unreachable for this request only: the database is still read after the test.
    with monkeypatch.context() as patch:
        patch.setattr("cchc.views.connection.cursor", unreachable)
        answer = client.get("/healthz")

    assert answer.status_code == 503
    assert answer.content == b"database unreachable\n"


def test_the_health_endpoint_only_reads(client):
    assert client.post("/healthz").status_code == 405


def test_request_errors_are_logged_with_their_traceback(client, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("hỏng")

    monkeypatch.setattr("scoring.views.queue.queue_years", broken)
    client.raise_request_exception = False

    client.force_login(user_with_role(Role.ADMIN, username="quantri.loi"))
    answer = client.get("/")

    assert answer.status_code == 500
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.levelname == "ERROR"
    assert record.exc_info[1].args == ("hỏng",)
