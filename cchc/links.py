"""Links that leave the site: in e-mails, a path is made absolute with SITE_URL."""

from django.conf import settings
from django.http import HttpRequest

# Where the development server runs (`make run`), for e-mails sent without SITE_URL.
DEVELOPMENT_URL = "http://127.0.0.1:8000"


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """ "/danh-gia/12/" → "https://cchc.example.vn/danh-gia/12/".

    SITE_URL when it is set (production: the address users know, whichever server
    sends); else the address of the request being answered; else the development
    server's."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    return DEVELOPMENT_URL + path
