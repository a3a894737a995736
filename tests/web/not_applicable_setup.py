"""A sheet under appraisal and the appraiser's "không áp dụng" post, for the web and PDF tests."""

from scoring.models import Assessment, AssessmentStatus
from tests.factories import score_assessment
from tests.web.sheet_setup import leaf_ids, make_world, token

REASON = "Xã không có chợ nên không tổ chức thu phí"


def appraised_world():
    """Mine 1.1=1, 1.2=0, 2.1=2 (3/5, 60%); the neighbour 4/5 (80%), in the same group."""
    world = make_world(status=AssessmentStatus.SUBMITTED)
    Assessment.objects.filter(pk=world.other.pk).update(ranking_group=world.mine.ranking_group)
    score_assessment(world.mine, {"1.1": "1", "1.2": "0", "2.1": "2"})
    score_assessment(world.other, {"1.1": "1", "1.2": "1", "2.1": "2"})
    return world


def post_mark(client, assessment, marks: dict[str, str | None], **extra):
    """Post the appraiser's sheet: {code: reason} ticks a leaf, None leaves it unticked."""
    ids = leaf_ids(assessment)
    data = {"token": token(assessment), **extra}
    for code, reason in marks.items():
        if reason is not None:
            data[f"na-{ids[code]}"] = "có"
            data[f"na_reason-{ids[code]}"] = reason
    return client.post(f"/danh-gia/{assessment.pk}/luu/", data)
