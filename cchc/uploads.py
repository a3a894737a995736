"""Uploads that stop being kept once they pass their limit (settings.FILE_UPLOAD_HANDLERS).

Django keeps a whole upload (in memory when small, else in a temporary file)
before any form can look at its size. This handler stops writing a file as soon
as it passes the limit, and stops every file of a request whose declared length
(CONTENT_LENGTH) is already over the total, then hands the form a `TooLargeUpload`
in its place: a name and a size, no content, which the forms refuse with their
usual size message (`scoring.evidence.check_sizes`, the admin's import form).
"""

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest

MB = 1024 * 1024


class TooLargeUpload(UploadedFile):
    """A file refused for its size while it arrived: what it was called and the size it
    reached. Its content was not kept, so reading it is an error rather than an empty file."""

    def __init__(self, name: str, size: int, content_type: str, charset: str | None) -> None:
        super().__init__(None, name, content_type, size, charset)

    def open(self, mode: str | None = None):
        raise ValueError(f"«{self.name}» was over the upload limit and was not kept.")

    def chunks(self, chunk_size: int | None = None):
        self.open()

    def read(self, *args):
        self.open()


def upload_limits(request: HttpRequest) -> tuple[int, int]:
    """Bytes one file, and all the files of one request, may reach.

    The admin is where import files arrive (IMPORT_MAX_MB); everywhere else the
    uploads are evidence files (EVIDENCE_MAX_MB each, EVIDENCE_MAX_TOTAL_MB together).
    """
    match = getattr(request, "resolver_match", None)
    if match is not None and "admin" in match.namespaces:
        return settings.IMPORT_MAX_MB * MB, settings.IMPORT_MAX_MB * MB
    return settings.EVIDENCE_MAX_MB * MB, settings.EVIDENCE_MAX_TOTAL_MB * MB


class LimitedUploadHandler(TemporaryFileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None) -> None:
        self.file_limit, self.total_limit = upload_limits(self.request)
        # A request declared over the total keeps none of its files, not even their start.
        self.total = content_length if content_length > self.total_limit else 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.kept = True

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        self.total += len(raw_data)
        if self.received > self.file_limit or self.total > self.total_limit:
            if self.kept:
                self.file.close()  # deletes the temporary file
                self.kept = False
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile:
        if not self.kept:
            return TooLargeUpload(self.file_name, self.received, self.content_type, self.charset)
        return super().file_complete(file_size)
