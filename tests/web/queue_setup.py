"""Six communes of one district in the work queue, for the queue and sheet tests."""

import re

from scoring.models import Assessment, AssessmentStatus, RankingGroup, Score, Unit
from tests.factories import update_scores
from tests.web.dashboard_data import build_group

Status = AssessmentStatus
NAMES = ["Xã Cẩm Sơn", "Phường Đống Đa", "Thị trấn Ẩm Thượng", "Xã Cẩm Hà", "Xã An Lạc", "Xã Yên"]


def queue_rows(html: str) -> list[dict[str, str]]:
    """The queue table's rows, each cell by its data-col, tags stripped."""
    table = html.split('id="queue"')[1].split("</table>")[0]
    rows = []
    for row in re.findall(r"<tr data-unit=.*?</tr>", table, re.S):
        cells = re.findall(r'data-col="(\w+)">(.*?)</td>', row, re.S)
        rows.append({col: " ".join(re.sub(r"<[^>]+>", " ", text).split()) for col, text in cells})
    return rows


def codes(html: str) -> list[str]:
    return [row["code"] for row in queue_rows(html)] if 'id="queue"' in html else []


def queue_district() -> dict:
    """Six communes of 2023 (max 10 each) with Vietnamese names, in two groups.

    D-0000 Cẩm Sơn, draft, self 8,5 · D-0001 Đống Đa, submitted, self 9,5
    D-0002 Ẩm Thượng, submitted, self 9, appraised 1.1 only (8,5) · D-0003 Cẩm Hà,
    appraised 7,5 · D-0004 An Lạc, published 10 · D-0005 Yên, draft, nothing scored
    (group "Khối phường" for Đống Đa and Ẩm Thượng, "Khối xã huyện D" for the rest).
    """
    data = build_group(6, years=(2022, 2023))
    units = data["units"]
    for unit, name in zip(units, NAMES, strict=True):
        Unit.objects.filter(pk=unit.pk).update(name=name)
    sheets = {a.unit.code: a for a in Assessment.objects.filter(year=2023).select_related("unit")}
    wards = RankingGroup.objects.create(name="Khối phường")
    plan = {
        "D-0000": Status.DRAFT,
        "D-0001": Status.SUBMITTED,
        "D-0002": Status.SUBMITTED,
        "D-0003": Status.APPRAISED,
        "D-0004": Status.PUBLISHED,
        "D-0005": Status.DRAFT,
    }
    for code, status in plan.items():
        Assessment.objects.filter(pk=sheets[code].pk).update(status=status)
    Assessment.objects.filter(pk__in=[sheets["D-0001"].pk, sheets["D-0002"].pk]).update(
        ranking_group=wards
    )
    scores = Score.objects.filter(assessment__year=2023)
    # Self scores as built (1.1 = 4, 3,5, 3, 2,5, 4, 3,5); appraisal only where stated.
    update_scores(
        scores.exclude(assessment__status__in=[Status.APPRAISED, Status.PUBLISHED]),
        appraised_score=None,
    )
    update_scores(
        scores.filter(assessment=sheets["D-0002"], criterion__code="1.1"), appraised_score="2.5"
    )
    update_scores(
        Score.objects.filter(assessment=sheets["D-0000"], criterion__code="1.2"), self_score=0.5
    )
    scores.filter(assessment=sheets["D-0005"]).delete()
    data |= {"sheets": sheets, "wards": wards}
    return data
