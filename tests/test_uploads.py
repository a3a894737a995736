"""The upload handler stops keeping a file once it passes its limit (cchc.uploads)."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from cchc.uploads import MB, LimitedUploadHandler, TooLargeUpload
from scoring.models import Evidence
from tests import sample_files
from tests.web.sheet_setup import leaf_ids, logged_in, make_world


def handler(settings, content_length: int) -> LimitedUploadHandler:
    settings.EVIDENCE_MAX_MB, settings.EVIDENCE_MAX_TOTAL_MB = 1, 2
    limited = LimitedUploadHandler(RequestFactory().post("/"))
    limited.handle_raw_input(None, {}, content_length, b"boundary")
    limited.new_file("file", "lon.pdf", "application/pdf", None)
    return limited


def test_a_file_stops_being_written_as_soon_as_it_passes_the_limit(settings):
    limited = handler(settings, content_length=2 * MB)
    temporary = limited.file.temporary_file_path()

    limited.receive_data_chunk(b"0" * MB, 0)
    assert limited.file.tell() == MB and os.path.exists(temporary)
    limited.receive_data_chunk(b"0", MB)
    assert not os.path.exists(temporary)  # deleted, not left to grow
    limited.receive_data_chunk(b"0" * MB, MB + 1)

    upload = limited.file_complete(2 * MB + 1)
    assert isinstance(upload, TooLargeUpload)
    assert (upload.name, upload.size, upload.file) == ("lon.pdf", 2 * MB + 1, None)
    with pytest.raises(ValueError, match="not kept"):
        upload.read()


def test_a_request_declared_over_the_total_keeps_nothing_of_any_file(settings):
    limited = handler(settings, content_length=2 * MB + 1)

    limited.receive_data_chunk(b"%PDF-", 0)

    upload = limited.file_complete(5)
    assert isinstance(upload, TooLargeUpload) and upload.size == 5


def test_a_file_within_the_limits_is_kept_whole(settings):
    limited = handler(settings, content_length=MB)

    limited.receive_data_chunk(b"%PDF-", 0)

    upload = limited.file_complete(5)
    assert not isinstance(upload, TooLargeUpload)
    assert upload.read() == b"%PDF-"


@pytest.fixture
def sheet_upload(settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload through the limited handler
    settings.EVIDENCE_MAX_MB, settings.EVIDENCE_MAX_TOTAL_MB = 1, 2
    world = make_world()
    url = f"/danh-gia/{world.mine.pk}/tieu-chi/{leaf_ids(world.mine)['1.1']}/tai-lieu/tai-len/"
    client = logged_in(world.unit_user)
    return lambda *files: client.post(url, {"file": list(files)})


def pdf(name: str, size: int) -> SimpleUploadedFile:
    body = sample_files.PDF + b"0" * (size - len(sample_files.PDF))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


@pytest.mark.django_db
def test_the_sheet_says_which_file_is_too_large_and_stores_none(settings, sheet_upload):
    response = sheet_upload(pdf("nho.pdf", 1000), pdf("lon.pdf", MB + 1))

    assert response.status_code == 400
    assert "Tệp lớn hơn 1 MB, không nhận được: «lon.pdf»." in response.content.decode()
    assert not Evidence.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_the_sheet_refuses_files_together_over_the_total(sheet_upload):
    files = [pdf(f"{n}.pdf", MB - 1000) for n in range(3)]

    response = sheet_upload(*files)

    assert response.status_code == 400
    assert (
        "Các tệp gửi cùng một lần lớn hơn 2 MB, không nhận được: hãy gửi ít tệp hơn mỗi lần."
        in response.content.decode()
    )
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_the_sheet_takes_files_within_the_limits(sheet_upload):
    assert sheet_upload(pdf("a.pdf", MB - 1000), pdf("b.pdf", 1000)).status_code == 302

    assert Evidence.objects.count() == 2
