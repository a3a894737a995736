"""The permission matrix: every role × every sheet page and action, on another unit's ids."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from scoring.evidence import evidence_add
from scoring.models import Assessment, AssessmentEvent, AssessmentStatus, Evidence, Score
from tests.web.sheet_setup import close_response, leaf_ids, logged_in, make_world, token

pytestmark = pytest.mark.django_db


def pdf(name: str = "bien-ban.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def admin_evidence(world, assessment: Assessment) -> Evidence:
    """A file on criterion 1.1, uploaded by the administrator."""
    criterion = assessment.framework.criteria.get(code="1.1")
    return evidence_add(assessment=assessment, criterion=criterion, user=world.admin, upload=pdf())


def routes(assessment: Assessment, evidence: Evidence) -> list[tuple[str, str, dict]]:
    leaf = leaf_ids(assessment)["1.1"]
    base = f"/danh-gia/{assessment.pk}"
    return [
        ("get", f"{base}/", {}),
        ("post", f"{base}/luu/", {f"self-{leaf}": "1", "token": token(assessment)}),
        ("post", f"{base}/buoc/submit/", {}),
        ("post", f"{base}/buoc/appraise/", {}),
        ("post", f"{base}/buoc/return/", {"reason": "x"}),
        ("post", f"{base}/buoc/reopen/", {"reason": "x"}),
        ("get", f"{base}/tieu-chi/{leaf}/lich-su/", {}),
        ("get", f"{base}/tieu-chi/{leaf}/tai-lieu/", {}),
        ("post", f"{base}/tieu-chi/{leaf}/tai-lieu/tai-len/", {"file": pdf()}),
        ("get", f"/tai-lieu/{evidence.pk}/", {}),
        ("post", f"/tai-lieu/{evidence.pk}/xoa/", {}),
    ]


# (user attribute, which assessment belongs to someone else for that user)
OUTSIDERS = [
    ("unit_user", "other"),  # a neighbouring commune under the same district
    ("unit_user", "outside"),
    ("home_affairs", "outside"),  # a commune of another district
    ("other_district_home_affairs", "mine"),
]


@pytest.mark.parametrize(("who", "target"), OUTSIDERS)
def test_every_page_and_action_refuses_another_units_ids(who, target):
    world = make_world()
    assessment = getattr(world, target)
    evidence = admin_evidence(world, assessment)
    client = logged_in(getattr(world, who))

    for method, url, data in routes(assessment, evidence):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)

    assert not Score.objects.exists()
    assert not AssessmentEvent.objects.exists()
    assert Evidence.objects.count() == 1
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.DRAFT


@pytest.mark.parametrize("who", ["unit_user", "home_affairs", "admin"])
def test_users_in_scope_open_every_page(who):
    world = make_world()
    evidence = admin_evidence(world, world.mine)
    client = logged_in(getattr(world, who))

    for method, url, _ in routes(world.mine, evidence):
        if method == "get":
            response = client.get(url)
            assert response.status_code == 200, url
            close_response(response)


def test_anonymous_users_are_sent_to_log_in(client):
    world = make_world()
    base = f"/danh-gia/{world.mine.pk}"

    for response in (client.get(f"{base}/"), client.post(f"{base}/luu/")):
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")


def test_a_refusal_says_why_in_vietnamese_and_shows_nothing_of_the_unit():
    world = make_world()

    response = logged_in(world.unit_user).get(f"/danh-gia/{world.other.pk}/")

    page = response.content.decode()
    assert response.status_code == 403
    assert "Bạn không có quyền xem kết quả đánh giá của đơn vị này." in page
    assert "Xã Bên Cạnh" not in page
    assert "Forbidden" not in page


def test_an_unknown_id_is_a_vietnamese_not_found_page():
    world = make_world()

    response = logged_in(world.unit_user).get(f"/danh-gia/{world.other.pk + 1000}/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


# Who may change their own scope's sheet (scores, notes, evidence) in each status.
MAY_EDIT = [
    (AssessmentStatus.DRAFT, "unit_user", True),
    (AssessmentStatus.DRAFT, "home_affairs", False),
    (AssessmentStatus.DRAFT, "admin", True),
    (AssessmentStatus.SUBMITTED, "unit_user", False),
    (AssessmentStatus.SUBMITTED, "home_affairs", True),
    (AssessmentStatus.SUBMITTED, "admin", True),
    (AssessmentStatus.APPRAISED, "unit_user", False),
    (AssessmentStatus.APPRAISED, "home_affairs", True),
    (AssessmentStatus.PUBLISHED, "unit_user", False),
    (AssessmentStatus.PUBLISHED, "home_affairs", False),
    (AssessmentStatus.PUBLISHED, "admin", False),
]


@pytest.mark.parametrize(("status", "who", "may_edit"), MAY_EDIT)
def test_every_role_changes_its_own_sheet_only_while_its_stage_is_open(status, who, may_edit):
    world = make_world()
    evidence = admin_evidence(world, world.mine)
    Assessment.objects.filter(pk=world.mine.pk).update(status=status)
    client = logged_in(getattr(world, who))
    leaf = leaf_ids(world.mine)["1.1"]
    base = f"/danh-gia/{world.mine.pk}"
    expected = 302 if may_edit else 403

    saved = client.post(
        f"{base}/luu/", {f"self-{leaf}": "1", f"appraised-{leaf}": "1", "token": token(world.mine)}
    )
    uploaded = client.post(f"{base}/tieu-chi/{leaf}/tai-lieu/tai-len/", {"file": pdf("them.pdf")})

    assert (saved.status_code, uploaded.status_code) == (expected, expected)
    scores = list(Score.objects.values_list("self_score", "appraised_score"))
    column = (1, None) if status == AssessmentStatus.DRAFT else (None, 1)  # self or appraisal
    assert scores == ([column] if may_edit else [])
    assert Evidence.objects.filter(original_name="them.pdf").exists() == may_edit
    assert client.post(f"/tai-lieu/{evidence.pk}/xoa/").status_code == expected
    assert Evidence.objects.filter(pk=evidence.pk).exists() != may_edit


def test_a_form_from_before_logging_in_again_is_refused_in_vietnamese():
    world = make_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.unit_user)
    client.get(f"/danh-gia/{world.mine.pk}/")
    client.cookies["csrftoken"] = "x" * 32  # the cookie rotated by a login in another tab

    response = client.post(
        f"/danh-gia/{world.mine.pk}/luu/",
        {"token": token(world.mine), "csrfmiddlewaretoken": "y" * 32},
    )

    assert response.status_code == 403
    assert "Phiên làm việc đã đổi" in response.content.decode()
    assert not Score.objects.exists()
