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
        chromium.csp_violations = []  # filled by the pages `log_in` opens
        yield chromium
        chromium.close()
        # The test body's ORM calls ran beside Playwright's event loop on a connection
        # of their own; left open, PostgreSQL refuses to drop the test database at the
        # end of the run ("being accessed by other users") and the run fails.
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    # Every page a browser test saw satisfied the Content-Security-Policy.
    assert chromium.csp_violations == []


def watch_csp(page) -> None:
    """Record what Chromium refused under the page's Content-Security-Policy."""
    violations = page.context.browser.csp_violations
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )


def log_in(browser, live_server, username: str, password: str, *, width: int = 1366):
    """A new page at `width`x768, logged in through the login form."""
    page = browser.new_page(viewport={"width": width, "height": 768}, locale="vi-VN")
    watch_csp(page)
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page
