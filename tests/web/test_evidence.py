from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc.people import full_name
from scoring.models import AssessmentStatus, Evidence
from tests import sample_files
from tests.web.sheet_setup import close_response, leaf_ids, logged_in, make_world

pytestmark = pytest.mark.django_db

NAME = "Biên bản kiểm tra CCHC quý IV.pdf"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, assessment, file: SimpleUploadedFile):
    leaf = leaf_ids(assessment)["1.1"]
    return client.post(
        f"/danh-gia/{assessment.pk}/tieu-chi/{leaf}/tai-lieu/tai-len/", {"file": file}
    )


def pdf(name: str = NAME, body: bytes = b"%PDF-1.4 noi dung") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_unit_uploads_evidence_stored_under_a_random_name(settings):
    world = make_world()
    client = logged_in(world.unit_user)

    response = upload(client, world.mine, pdf())

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == NAME
    assert evidence.file.name == f"evidence/{evidence.uid.hex}"
    stored = settings.MEDIA_ROOT / evidence.file.name
    assert stored.read_bytes() == b"%PDF-1.4 noi dung"
    assert "static" not in str(stored)
    page = client.get(f"/danh-gia/{world.mine.pk}/").content.decode()
    assert "1 tệp" in page


@pytest.mark.parametrize(
    ("name", "body", "content_type"),
    [
        ("a.pdf", sample_files.PDF, "application/pdf"),
        ("a.docx", sample_files.docx(), WORD),
        ("b.xlsx", sample_files.xlsx(), EXCEL),
        ("c.jpg", sample_files.image("jpeg"), "image/jpeg"),
        ("d.PNG", sample_files.image("png"), "image/png"),
        ("e.doc", sample_files.OLE, "application/msword"),
        ("f.xls", sample_files.OLE, "application/vnd.ms-excel"),
    ],
)
def test_each_accepted_kind_is_stored_whatever_the_browser_called_it(name, body, content_type):
    world = make_world()
    # Browsers send what the sender's system guesses; only the content counts.
    sent = SimpleUploadedFile(name, body, content_type="application/octet-stream")

    assert upload(logged_in(world.unit_user), world.mine, sent).status_code == 302

    evidence = Evidence.objects.get()
    assert (evidence.original_name, evidence.content_type) == (name, content_type)
    with evidence.file.open("rb") as stored:
        assert stored.read() == body


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("virus.exe", sample_files.EXECUTABLE, "Không nhận tệp «virus.exe»: chỉ nhận PDF"),
        ("trang.html", b"<html></html>", "Không nhận tệp «trang.html»: chỉ nhận PDF"),
        ("virus.pdf", sample_files.EXECUTABLE, "Tệp «virus.pdf» là một chương trình máy tính"),
        ("anh.pdf", sample_files.image("png"), "Tệp «anh.pdf» không phải tệp PDF: nội dung"),
        ("gia.pdf", b"<html></html>", "Tệp «gia.pdf» không phải tệp PDF: nội dung"),
        ("bang.docx", sample_files.xlsx(), "Tệp «bang.docx» không phải tệp Word: nội dung"),
        ("nen.xlsx", b"PK\x03\x04 not a zip", "Tệp «nen.xlsx» không phải tệp Excel: nội dung"),
        ("cu.doc", sample_files.PDF, "Tệp «cu.doc» không phải tệp Word: nội dung"),
        ("anh.jpg", sample_files.image("png"), "Tệp «anh.jpg» không phải tệp ảnh JPEG: nội"),
    ],
)
def test_files_whose_content_is_not_what_their_name_says_are_refused(settings, name, body, message):
    world = make_world()
    sent = SimpleUploadedFile(name, body, content_type="application/pdf")

    response = upload(logged_in(world.unit_user), world.mine, sent)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored_files(settings) == []


def stored_files(settings) -> list:
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_files_over_the_size_limit_are_refused(settings):
    settings.EVIDENCE_MAX_MB = 1
    world = make_world()

    response = upload(logged_in(world.unit_user), world.mine, pdf(body=b"0" * (1024 * 1024 + 1)))

    assert response.status_code == 400
    assert "Tệp lớn hơn 1 MB" in response.content.decode()
    assert not Evidence.objects.exists()


def test_download_keeps_the_vietnamese_file_name():
    world = make_world()
    upload(logged_in(world.unit_user), world.mine, pdf())
    evidence = Evidence.objects.get()

    response = logged_in(world.home_affairs).get(f"/tai-lieu/{evidence.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"filename*=utf-8''{quote(NAME)}" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4 noi dung"
    close_response(response)


def test_outsiders_cannot_download():
    world = make_world()
    upload(logged_in(world.unit_user), world.mine, pdf())
    evidence = Evidence.objects.get()

    outsider = logged_in(world.other_district_home_affairs)
    assert outsider.get(f"/tai-lieu/{evidence.pk}/").status_code == 403
    neighbour = make_world(tag="-b")
    assert logged_in(neighbour.unit_user).get(f"/tai-lieu/{evidence.pk}/").status_code == 403


def test_evidence_is_deleted_while_the_sheet_is_open(settings, django_capture_on_commit_callbacks):
    world = make_world()
    client = logged_in(world.unit_user)
    upload(client, world.mine, pdf())
    evidence = Evidence.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/tai-lieu/{evidence.pk}/xoa/")

    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not (settings.MEDIA_ROOT / evidence.file.name).exists()


def test_evidence_cannot_change_once_the_sheet_is_locked():
    world = make_world()
    client = logged_in(world.unit_user)
    upload(client, world.mine, pdf())
    world.mine.status = AssessmentStatus.PUBLISHED
    world.mine.save()
    evidence = Evidence.objects.get()

    assert client.post(f"/tai-lieu/{evidence.pk}/xoa/").status_code == 403
    assert upload(client, world.mine, pdf("khac.pdf")).status_code == 403
    assert Evidence.objects.count() == 1
    page = client.get(f"/danh-gia/{world.mine.pk}/tieu-chi/{evidence.criterion_id}/tai-lieu/")
    assert "Phiếu chấm không mở để bạn sửa lúc này" in page.content.decode()


def test_evidence_actions_refuse_the_wrong_method():
    world = make_world()
    client = logged_in(world.unit_user)
    upload(client, world.mine, pdf())
    evidence = Evidence.objects.get()
    leaf = evidence.criterion_id

    assert client.get(f"/tai-lieu/{evidence.pk}/xoa/").status_code == 405
    assert client.post(f"/tai-lieu/{evidence.pk}/").status_code == 405
    assert (
        client.get(f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf}/tai-lieu/tai-len/").status_code
        == 405
    )


def _evidence_page_queries(world, files: int) -> int:
    client = logged_in(world.unit_user)
    for n in range(files):
        assert upload(client, world.mine, pdf(f"Tài liệu số {n}.pdf")).status_code == 302
    url = f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf_ids(world.mine)['1.1']}/tai-lieu/"
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert page.count(f" · {full_name(world.unit_user)} · ") == files  # who uploaded each
    return len(queries)


def test_the_evidence_list_runs_the_same_queries_whatever_the_number_of_files():
    assert _evidence_page_queries(make_world(), 1) == _evidence_page_queries(
        make_world(tag="-b"), 6
    )


def test_several_files_chosen_at_once_are_all_stored():
    world = make_world()
    client = logged_in(world.unit_user)
    leaf = leaf_ids(world.mine)["1.1"]

    response = client.post(
        f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf}/tai-lieu/tai-len/",
        {"file": [pdf("Kế hoạch CCHC năm 2024.pdf"), pdf("Báo cáo quý I.pdf")]},
    )

    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "Báo cáo quý I.pdf",
        "Kế hoạch CCHC năm 2024.pdf",
    ]
    assert "Đã tải lên 2 tệp." in client.get(response["Location"]).content.decode()


def test_one_bad_file_among_several_stores_none_and_names_it(settings):
    world = make_world()
    leaf = leaf_ids(world.mine)["1.1"]

    response = logged_in(world.unit_user).post(
        f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf}/tai-lieu/tai-len/",
        {
            "file": [
                pdf("Tốt.pdf"),
                SimpleUploadedFile("chạy.exe", sample_files.EXECUTABLE, "application/x-msdownload"),
            ]
        },
    )

    assert response.status_code == 400
    assert "Không nhận tệp «chạy.exe»" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not list((settings.MEDIA_ROOT / "evidence").glob("*"))
