"""Headless Chromium (Debian's package) driven by Playwright against the live server.

Where /usr/bin/chromium is missing the tests are skipped, and pytest's summary
says so; CI installs it, so there they always run.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(live_server) -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: browser tests skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own
    # ORM calls (fixtures, assertions) are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
        # The test's ORM calls, made while Playwright's sync API runs, leave a connection
        # open that pytest-django does not close; PostgreSQL then refuses to drop the
        # test database at the end of the session (every browser test ERRORed there).
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def log_in(browser, live_server, username: str, password: str, *, width: int = 1366):
    """A new page at `width`x768, logged in through the login form."""
    page = browser.new_page(viewport={"width": width, "height": 768}, locale="vi-VN")
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page
