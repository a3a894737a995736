"""The sheet the browser tests drive: six criteria with real titles, and a unit user and
a Nội vụ user the live server can log in (it does not know the fast test hasher)."""

import re
from pathlib import Path

from scoring.models import Criterion
from tests.web.sheet_setup import World, make_world

PASSWORD = "secret-pass-123"
SHOTS = Path("/tmp/shots")
FRAMEWORK = [
    ("1", None, "3"),
    ("1.1", "1", "1"),
    ("1.2", "1", "2"),
    ("2", None, "2.5"),
    ("2.1", "2", "1.5"),
    ("2.2", "2", "1"),
]
TITLES = {
    "1": "Công tác chỉ đạo, điều hành cải cách hành chính",
    "1.1": "Ban hành kế hoạch cải cách hành chính năm kịp thời",
    "1.2": "Mức độ hoàn thành kế hoạch cải cách hành chính",
    "2": "Cải cách thủ tục hành chính",
    "2.1": "Tỷ lệ hồ sơ giải quyết đúng hạn",
    "2.2": "Công khai thủ tục hành chính đầy đủ, đúng quy định",
}


def sheet_world(status: str) -> World:
    world = make_world(status=status, rows=FRAMEWORK)
    for code, title in TITLES.items():
        Criterion.objects.filter(code=code).update(title=title)
    for user in (world.home_affairs, world.unit_user):
        user.set_password(PASSWORD)
        user.save()
    return world


def shoot(page, name: str, shots: Path = SHOTS) -> None:
    """A full-page screenshot for a person to look at."""
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def saved_at(live_server, assessment) -> re.Pattern:
    """The sheet's address after a save: back at the row that was being edited."""
    return re.compile(rf"{re.escape(live_server.url)}/danh-gia/{assessment.pk}/#leaf-\d+$")
