"""The demo's pages are valid HTML: the W3C's Nu Html Checker (vnu.jar) finds no error.

The demo is seeded (``manage.py seed_demo``), then each role walks its pages as a person
clicking through would: from its start pages, every link to another page of the portal,
breadth first, up to a bound per role (downloads, exports, logging out and the admin are
not pages to check). Every page is written to a folder and the checker, one JVM, reads
them all at once. vnu.jar comes from npm (``vnu-jar``, pinned below), installed once under
``var/tools``; it needs Java. Without Java or npm the test is skipped and says why; under
CI, where Java is installed, a checker that cannot run fails it.
"""

import fcntl
import io
import json
import os
import re
import shutil
import subprocess
from collections import Counter, deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from demo.accounts import applicant_email, demo_password_hash
from demo.data.people import COORDINATOR_EMAIL, EVALUATOR_EMAILS
from intake.models import Membership
from partners.models import Partner
from portal.models import User

pytestmark = pytest.mark.django_db

VNU_VERSION = "26.9.27"
TOOLS = Path(settings.BASE_DIR) / "var" / "tools"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PAGES_PER_ROLE = 100
# Not pages: files, exports and actions a link may start, and Django's admin (not ours to fix).
SKIPPED = ("/admin/", "/accounts/logout/", "/static/", "/i18n/")
SKIPPED_WORDS = ("download", "export", ".csv", ".xlsx", ".pdf", ".ics", "letter/", "preview-pdf")


def _unavailable(message):
    if os.environ.get("CI") == "true" and shutil.which("java"):
        pytest.fail(f"{message}; CI has Java, so the HTML checker must run.")
    pytest.skip(message)


def _installed_version():
    package = VNU_JAR.parents[2] / "package.json"
    try:
        return json.loads(package.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


@pytest.fixture(scope="session")
def vnu_jar():
    if not shutil.which("java"):
        pytest.skip(
            "Java not found: install a Java runtime (apt-get install default-jre-headless) to validate HTML."
        )
    TOOLS.mkdir(parents=True, exist_ok=True)
    with open(TOOLS / ".install-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # test processes running side by side install it once
        if _installed_version() != VNU_VERSION:
            npm = shutil.which("npm")
            if not npm:
                _unavailable(f"npm not found: it installs the HTML checker (vnu-jar {VNU_VERSION})")
            # --ignore-scripts: the package's own script would fetch a Java runtime; ours is there.
            installed = subprocess.run(
                [
                    npm,
                    "install",
                    "--prefix",
                    str(TOOLS),
                    "--ignore-scripts",
                    "--no-audit",
                    "--no-fund",
                    f"vnu-jar@{VNU_VERSION}",
                ],
                capture_output=True,
                text=True,
                timeout=600,
            )
            if installed.returncode != 0 or not VNU_JAR.exists():
                _unavailable(f"npm could not install vnu-jar {VNU_VERSION}: {installed.stderr[-2000:]}")
    return VNU_JAR


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _page_links(html):
    parser = _Links()
    parser.feed(html)
    for href in parser.hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        path = parts.path
        if path.startswith(SKIPPED) or any(word in path.lower() for word in SKIPPED_WORDS):
            continue
        yield path + (f"?{parts.query}" if parts.query else "")


def shape(url):
    """A page's kind: its path with the ids left out (the 30 messages of the outbox are one)."""
    return re.sub(r"/\d+(?=/)", "/<id>", url.split("?", 1)[0])


def walk(client, start):
    """The pages a person reaches from ``start`` by following links, two of each kind: {url: html}."""
    pages, queued, seen, kinds = {}, deque(start), set(), Counter()
    while queued and len(pages) < PAGES_PER_ROLE:
        url = queued.popleft()
        path = url.split("?", 1)[0]
        if path in seen or kinds[shape(url)] >= 2:  # the filters of a list are the same markup
            continue
        seen.add(path)
        response = client.get(url)
        if response.status_code in (301, 302) and response["Location"].startswith("/"):
            queued.appendleft(response["Location"])  # /dashboard/ sends each role to its own
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        kinds[shape(url)] += 1
        html = response.content.decode()
        pages[url] = html
        queued.extend(_page_links(html))
    return pages


@pytest.fixture(scope="module")
def demo_pages(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every role's pages of the seeded demo, rendered by the test client."""
    location = str(tmp_path_factory.mktemp("demo-media"))
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": location}}
    storages = {**settings.STORAGES, "default": storage, "private": storage}
    demo_password_hash.cache_clear()
    with (
        django_db_blocker.unblock(),
        override_settings(
            STORAGES=storages, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
        ),
        transaction.atomic(),
    ):
        call_command("seed_demo", stdout=io.StringIO())
        partner_member = Membership.objects.filter(  # Bologna's, a city that took its place
            organisation__in=Partner.objects.values("organisation")
        ).values_list("user__email", flat=True)[0]
        project = Partner.objects.values_list("project__slug", flat=True)[0]
        visitors = {
            "visitor": (
                None,
                ["/", "/accounts/login/", "/accounts/signup/", "/privacy/", f"/projects/{project}/"],
            ),
            "applicant": (applicant_email("Genoa"), ["/dashboard/"]),  # a draft under way
            "evaluator": (EVALUATOR_EMAILS[0], ["/dashboard/"]),
            "coordinator": (COORDINATOR_EMAIL, [f"/coordination/projects/{project}/", "/dashboard/"]),
            "partner": (partner_member, ["/dashboard/"]),
        }
        pages = {}
        for role, (email, start) in visitors.items():
            client = Client()
            if email:
                client.force_login(User.objects.get(email=email))
            for url, html in walk(client, start).items():
                pages[f"{role} {url}"] = html
        yield pages
        transaction.set_rollback(True)


def validate(jar, pages, folder):
    """vnu's messages for each page: {page: [message, ...]}, errors only."""
    names = {}
    for index, (page, html) in enumerate(sorted(pages.items())):
        path = folder / f"page-{index:03d}.html"
        path.write_text(html, encoding="utf-8")
        names[str(path.resolve())] = page
    checked = subprocess.run(
        [
            shutil.which("java"),
            "-Xss4m",
            "-jar",
            str(jar),
            "--format",
            "json",
            "--stdout",
            "--exit-zero-always",
            *sorted(str(folder / name) for name in os.listdir(folder)),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    try:
        messages = json.loads(checked.stdout)["messages"]
    except (ValueError, KeyError):
        _unavailable(f"the HTML checker did not run: {checked.stderr[-2000:]}")
    errors = {}
    for message in messages:
        if message.get("type") == "error" or message.get("type") == "non-document-error":
            page = names.get(urlsplit(message.get("url", "")).path, message.get("url"))
            errors.setdefault(page, []).append(message)
    return errors


def test_the_checker_finds_no_error_on_any_page_of_the_demo(vnu_jar, demo_pages, tmp_path):
    assert {page.split()[0] for page in demo_pages} == {
        "visitor",
        "applicant",
        "evaluator",
        "coordinator",
        "partner",
    }
    assert len(demo_pages) >= 40, sorted(demo_pages)
    errors = validate(vnu_jar, demo_pages, tmp_path)
    report = "\n".join(
        f"{page}: line {m.get('lastLine')}: {m.get('message')} [{m.get('extract', '').strip()[:120]}]"
        for page, messages in sorted(errors.items())
        for m in messages
    )
    count = sum(len(messages) for messages in errors.values())
    assert not errors, f"{count} errors on {len(errors)} of {len(demo_pages)} pages:\n{report}"
