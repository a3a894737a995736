"""A two-round year: the calendar, and the steps of the sheet as people take them."""

from datetime import timedelta

from django.utils import timezone

from scoring.models import Assessment, ScoringCalendar
from tests.factories import calendar_everywhere
from tests.web.sheet_setup import leaf_ids, token


def two_round_year(year: int, rounds: int = 2) -> ScoringCalendar:
    today = timezone.localdate()
    return calendar_everywhere(
        year,
        self_assessment_closes=today + timedelta(days=10),
        appraisal_closes=today + timedelta(days=30),
        appraisal_rounds=rounds,
    )


def step(client, assessment: Assessment, action: str, reason: str = ""):
    return client.post(f"/danh-gia/{assessment.pk}/buoc/{action}/", {"reason": reason})


def post_cells(client, assessment: Assessment, cells: dict[str, str]):
    """Post the sheet with cells named "<column>-<code>": {"appraised-1.1": "0,5"}."""
    ids = leaf_ids(assessment)
    data = {"token": token(assessment)}
    for name, value in cells.items():
        column, code = name.rsplit("-", 1)
        data[f"{column}-{ids[code]}"] = value
    return client.post(f"/danh-gia/{assessment.pk}/luu/", data)
