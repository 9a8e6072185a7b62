"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

The browser is the system's ``/usr/bin/chromium`` (``apt-get install chromium``); Playwright
never downloads one. Without it the tests are skipped with a message, except under CI
where they fail. Every page a test opens is watched: a console error, an uncaught
exception or a Content-Security-Policy violation fails the test, so a page that needs
inline script or inline style cannot pass.
"""

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
TIMEOUT_MS = 15_000

# Runs in every page before its own scripts; reports each CSP violation to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__portalCspViolation({
    directive: event.violatedDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
    page: document.location.href,
  });
});
"""


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _chromium_or_skip():
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI needs it.")
    pytest.skip(f"{message} to run the browser tests.")


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, its static files served as in production: by WhiteNoise
    from the files the session collected, under their hashed names (Django's own static
    handler would look the hashed names up in the source folders, and miss).

    Uploads are private, so the portal has no MEDIA_URL; Django's live server thread
    insists on one, so it gets a path no page links to while the server starts.
    """
    from django.conf import settings
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    media_url = settings.MEDIA_URL
    settings.MEDIA_URL = "/__live-server-media-unused__/"
    try:
        server = LiveServer(address, start=False)
        server.thread.static_handler = lambda application: application
        server.start()
    finally:
        settings.MEDIA_URL = media_url
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls a test makes
    # (reading the outbox, checking rows) are still synchronous, so Django may allow them.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
            yield browser
            browser.close()


@dataclass
class BrowserProblems:
    """What went wrong in the pages of one test; a test expecting a problem may ``clear()`` it."""

    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    csp_violations: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.console_errors or self.page_errors or self.csp_violations)

    def clear(self):
        self.console_errors.clear()
        self.page_errors.clear()
        self.csp_violations.clear()

    def report(self):
        lines = []
        lines += [f"console error: {text}" for text in self.console_errors]
        lines += [f"uncaught exception: {text}" for text in self.page_errors]
        lines += [f"CSP violation: {violation}" for violation in self.csp_violations]
        return "\n".join(lines)


@pytest.fixture
def browser_problems():
    return BrowserProblems()


@pytest.fixture
def page(browser, live_server, browser_problems):
    """A fresh browser context on the live server; fails the test if a page misbehaved."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/Brussels")
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_binding(
        "__portalCspViolation", lambda _source, violation: browser_problems.csp_violations.append(violation)
    )
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()

    def on_console(message):
        # The browser asks for /favicon.ico by itself; that request is not the page's doing.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            browser_problems.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_problems.page_errors.append(str(error)))
    yield page
    context.close()
    if browser_problems:
        pytest.fail("The browser reported problems:\n" + browser_problems.report(), pytrace=False)


def wait_for_email(to, *, subject=None, timeout=10.0):
    """The latest email sent to ``to`` (live server and test share the process and its outbox)."""
    from django.core import mail

    deadline = time.monotonic() + timeout
    while True:
        for message in reversed(mail.outbox):
            if to in message.to and (subject is None or re.search(subject, message.subject, re.I)):
                return message
        if time.monotonic() > deadline:
            sent = [(m.to, m.subject) for m in mail.outbox]
            raise AssertionError(f"no email to {to} (subject {subject!r}) within {timeout}s; outbox: {sent}")
        time.sleep(0.1)


def links_in(message):
    """Every http(s) link in an email's text body."""
    return re.findall(r"https?://[^\s<>\"')]+", message.body)


# Codes each account has used: a code logs in once, so the next login of the same account
# within its 30 s takes the next period's code, which the portal accepts already.
_used_codes = set()


def authenticator_code(email, secret=None):
    """The code the person's authenticator app shows, computed here as their phone would."""
    from tests.utils import totp_code

    for ahead in (0, 30, 60):
        code = totp_code(secret, at=time.time() + ahead)
        if (email, code) not in _used_codes:
            _used_codes.add((email, code))
            return code
    raise AssertionError(f"every code of the coming minute was already used for {email}")


def log_in(page, email, password=None, *, totp_secret=None):
    """Log in through the login page; staff then give the code of their authenticator app
    (made from ``totp_secret``, the factories' staff secret by default)."""
    from tests.factories import DEFAULT_PASSWORD

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password or DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/accounts/2fa/authenticate/" in page.url:
        page.locator("input[name=code]").fill(authenticator_code(email, totp_secret))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/accounts/2fa/authenticate/" not in url)


def set_up_authenticator(page, email, password=None):
    """On the set-up page staff without an authenticator are sent to: give the password again
    when asked, read the key the page shows (as the phone scans it), enter the code it makes.
    Returns the key."""
    from playwright.sync_api import expect

    from tests.factories import DEFAULT_PASSWORD

    if "/accounts/reauthenticate/" in page.url:
        page.locator("input[name=password]").fill(password or DEFAULT_PASSWORD)
        page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(authenticator_code(email, secret))
    page.get_by_role("button", name="Activate").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    return secret
