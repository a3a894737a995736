"""Writing through the app as people do, for the tally tests."""

from tests.web.not_applicable_setup import REASON
from tests.web.sheet_setup import leaf_ids, token


def post_sheet(client, assessment, column: str, values: dict[str, str], not_applicable=()):
    """The sheet as its form posts it: every leaf's cell of `column` ("self",
    "appraised"), blank unless given; the appraiser's form also carries the
    "không áp dụng" ticks of the leaves in `not_applicable`."""
    ids = leaf_ids(assessment)
    data = {f"{column}-{pk}": values.get(code, "") for code, pk in ids.items()}
    for code in not_applicable:
        data[f"na-{ids[code]}"] = "có"
        data[f"na_reason-{ids[code]}"] = REASON
    data["token"] = token(assessment)
    return client.post(f"/danh-gia/{assessment.pk}/luu/", data)


def step(client, assessment, action: str, reason: str = ""):
    """A workflow step as its button posts it."""
    return client.post(f"/danh-gia/{assessment.pk}/buoc/{action}/", {"reason": reason})
