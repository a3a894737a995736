"""Two people save the same sheet at the same moment: one wins, the other is told."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from scoring.models import Score
from tests.web.sheet_setup import leaf_ids, logged_in, make_world, token

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite locks the whole database per write, so two saves cannot overlap; "
            "run with DATABASE_URL=postgres://... to test the row lock and the conflict"
        )


def test_two_simultaneous_saves_end_in_one_conflict_and_lose_nothing():
    world = make_world()
    ids = leaf_ids(world.mine)
    opened = token(world.mine)  # both opened the sheet before either saved
    typed = {"first": "0,25", "second": "0,75"}
    clients = {name: logged_in(world.unit_user) for name in typed}
    responses = {}
    start = threading.Barrier(len(typed))

    def save(name: str) -> None:
        try:
            start.wait()
            responses[name] = clients[name].post(
                f"/danh-gia/{world.mine.pk}/luu/",
                {f"self-{ids['1.1']}": typed[name], f"note-{ids['1.1']}": name, "token": opened},
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in typed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    codes = sorted(response.status_code for response in responses.values())
    assert codes == [302, 409]
    winner = next(name for name, r in responses.items() if r.status_code == 302)
    loser = next(name for name, r in responses.items() if r.status_code == 409)
    score = Score.objects.get()
    assert (score.self_score, score.note) == (Decimal(typed[winner].replace(",", ".")), winner)
    page = responses[loser].content.decode()
    assert "Có người khác đã lưu phiếu chấm này" in page
    assert f'value="{typed[loser]}"' in page
    assert f">{loser}</textarea>" in page
    assert Score.history.count() == 1
