"""One test world with every status: four khối of 2023, one per status, where only the
published one is public, and in it one unit whose result is still only appraised."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext

from scoring.models import (
    AssessmentStatus,
    PublicationDecision,
    RankingGroup,
    Role,
    Unit,
    UnitLevel,
)
from tests.factories import (
    AssessmentFactory,
    add_bands,
    build_framework,
    score_assessment,
    user_with_role,
)

Status = AssessmentStatus
# Two fields of two leaves: max 100.
TREE = [
    ("1", None, "40"),
    ("1.1", "1", "15"),
    ("1.2", "1", "25"),
    ("2", None, "60"),
    ("2.1", "2", "30"),
    ("2.2", "2", "30"),
]
# Texts that must never leave the system through the public pages or the API.
SECRETS = {
    "note": "GHI-CHU-BI-MAT",
    "appraisal_comment": "NHAN-XET-BI-MAT",
    "first_round_comment": "VONG-MOT-BI-MAT",
    "explanation": "GIAI-TRINH-BI-MAT",
    "declared_tier": "MUC-KE-KHAI-BI-MAT",
}
HIDDEN_NAMES = ["Xã Chưa Công Bố", "Xã Nháp", "Xã Đã Gửi", "Xã Đã Thẩm Định"]
HIDDEN_GROUPS = ["Khối nháp", "Khối đã gửi", "Khối đã thẩm định"]
DECISION_NUMBER = "9471/QĐ-UBND"
HIDDEN_DECISION = "1234/QĐ-UBND"


@dataclass
class World:
    published: RankingGroup  # 2023: A, B, C published, D only appraised
    draft: RankingGroup
    submitted: RankingGroup
    appraised: RankingGroup
    home_affairs: object
    unit_user: object


def points(p11: str, p12: str, p21: str, p22: str) -> dict[str, str]:
    return {"1.1": p11, "1.2": p12, "2.1": p21, "2.2": p22}


def build_world() -> World:
    framework = build_framework(TREE)
    district = Unit.objects.create(code="H", name="Huyện Thử", level=UnitLevel.DISTRICT)
    published = RankingGroup.objects.create(name="Khối xã công bố")
    add_bands(published)

    def sheet(group, code, name, year, status, scores):
        unit = Unit.objects.filter(code=code).first() or Unit.objects.create(
            code=code, name=name, level=UnitLevel.COMMUNE, parent=district, ranking_group=group
        )
        assessment = AssessmentFactory(
            unit=unit, year=year, framework=framework, ranking_group=group, status=status
        )
        score_assessment(assessment, scores, **SECRETS)
        return assessment

    # 2023: A 85,08 (1st), B and C 70,5 (2nd, tied); D 95 appraised, not published.
    sheet(published, "A", "Xã An", 2023, Status.PUBLISHED, points("15", "20.08", "30", "20"))
    sheet(published, "B", "Xã Bình", 2023, Status.PUBLISHED, points("10", "20.5", "20", "20"))
    sheet(published, "C", "Xã Cát", 2023, Status.PUBLISHED, points("15", "15.5", "20", "20"))
    sheet(published, "D", HIDDEN_NAMES[0], 2023, Status.APPRAISED, points("15", "25", "30", "25"))
    # 2022: B 80 and A 70 published; C 75 only appraised. Published ranks: B 1, A 2;
    # with the appraised result too (Nội vụ's provisional view): B 1, C 2, A 3.
    sheet(published, "B", "", 2022, Status.PUBLISHED, points("15", "15", "25", "25"))
    sheet(published, "A", "", 2022, Status.PUBLISHED, points("10", "15", "25", "20"))
    sheet(published, "C", "", 2022, Status.APPRAISED, points("15", "15", "25", "20"))
    others = {}
    for status, name, group_name in zip(
        (Status.DRAFT, Status.SUBMITTED, Status.APPRAISED),
        HIDDEN_NAMES[1:],
        HIDDEN_GROUPS,
        strict=True,
    ):
        group = RankingGroup.objects.create(name=group_name)
        add_bands(group)
        sheet(group, f"X-{status}", name, 2023, status, points("15", "25", "30", "30"))
        others[status] = group
    home_affairs = user_with_role(Role.HOME_AFFAIRS, district, username="noivu.thu")
    PublicationDecision.objects.create(
        group=published,
        year=2023,
        number=DECISION_NUMBER,
        signed_on=datetime.date(2023, 12, 26),
        issuer="UBND huyện Thử",
        signer_name="Người Ký Bí Mật",
        subject="Phê duyệt Chỉ số CCHC năm 2023",
        recorded_by=home_affairs,
    )
    # A decision recorded for a khối that has no published result: never shown.
    PublicationDecision.objects.create(
        group=others[Status.APPRAISED],
        year=2023,
        number=HIDDEN_DECISION,
        signed_on=datetime.date(2023, 12, 27),
        issuer="UBND huyện Thử",
        recorded_by=home_affairs,
    )
    return World(
        published=published,
        draft=others[Status.DRAFT],
        submitted=others[Status.SUBMITTED],
        appraised=others[Status.APPRAISED],
        home_affairs=home_affairs,
        unit_user=user_with_role(Role.UNIT, Unit.objects.get(code="A"), username="xa.an"),
    )


def hidden_texts(world: World) -> list[str]:
    """Every text of the world that must not reach a public response."""
    people = [world.home_affairs.get_full_name(), world.unit_user.get_full_name()]
    return [
        *SECRETS.values(),
        *HIDDEN_NAMES,
        *HIDDEN_GROUPS,
        HIDDEN_DECISION,
        "Người Ký Bí Mật",
        *people,
    ]


def queries_of(client, url: str) -> int:
    """Queries of one GET of `url` by `client`, once what a process caches is warm."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)
