"""What a browser walk through many pages keeps: a full-page screenshot and axe's findings
for each page, and the emails a real worker delivered on the way (kept beside them).

The screenshots are test artifacts under ``var/test-artifacts/<walk>/``, numbered in the
order of the walk, so a person (or CI) can look at every page the walk saw. axe's
violations are collected rather than raised at once: the walk goes to its end and its
report lists every page's findings together.
"""

import re
import shutil
import time
from pathlib import Path
from urllib.parse import urlsplit

from .axe import axe_violations

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


class Walk:
    """The pages of one walk: ``see(page, slug)`` photographs the page and runs axe on it.

    Every page the browser lands on (each main-frame navigation) must be seen before the
    next one, so no page of the walk goes unphotographed and unchecked.
    """

    def __init__(self, page, name):
        self.page = page
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.shots = []
        self.violations = {}
        self.unseen = []
        self._pending = None
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame):
        if frame.parent_frame is not None:
            return
        if self._pending is not None:
            self.unseen.append(self._pending)
        self._pending = urlsplit(frame.url).path

    def see(self, slug):
        """Photograph the page as it is now (full page) and keep what axe finds on it."""
        self.page.wait_for_load_state("load")
        name = f"{len(self.shots) + 1:02d}-{slug}"
        found = axe_violations(self.page)
        self._photograph(self.folder / f"{name}.png")
        self.shots.append(name)
        if found:
            self.violations[name] = (urlsplit(self.page.url).path, found)
        self._pending = None

    def keep(self, filename, content):
        """Keep a file the walk received (an email, a letter) beside the screenshots."""
        (self.folder / filename).write_bytes(content)

    def _photograph(self, path):
        """A full-page screenshot taken in a window as tall as the page, so that a bar kept at
        the bottom of the window (``sticky-bottom``) shows where a reader finds it, at the
        end, rather than over the middle of the page."""
        size = self.page.viewport_size
        height = self.page.evaluate("() => document.documentElement.scrollHeight")
        if height <= size["height"]:
            self.page.screenshot(path=path, full_page=True)
            return
        self.page.set_viewport_size({"width": size["width"], "height": height})
        try:
            self.page.screenshot(path=path, full_page=True)
        finally:
            self.page.set_viewport_size(size)

    def report(self):
        """Every page's axe violations, one block per page (empty when there are none)."""
        blocks = []
        for name, (path, found) in self.violations.items():
            blocks.append(
                f"{name} ({path}): {len(found)} violation(s)\n" + "\n".join(f"  {v}" for v in found)
            )
        return "\n".join(blocks)

    def finish(self):
        """Write the axe report beside the screenshots; fail listing every problem of the walk."""
        if self._pending is not None:
            self.unseen.append(self._pending)
            self._pending = None
        report = self.report()
        (self.folder / "axe-report.txt").write_text(report or "No axe violation on any page.\n")
        problems = []
        if self.unseen:
            problems.append("pages visited without a screenshot and axe: " + ", ".join(self.unseen))
        if report:
            count = sum(len(found) for _path, found in self.violations.values())
            problems.append(
                f"axe found {count} violation(s) on {len(self.violations)} of {len(self.shots)} pages "
                f"(report in {self.folder / 'axe-report.txt'}):\n{report}"
            )
        assert not problems, "\n".join(problems)


def delivered_email(smtp_server, to, *, subject=None, timeout=60, worker=None):
    """The latest email to ``to`` that the SMTP server accepted (the worker's delivery)."""
    deadline = time.monotonic() + timeout
    while True:
        for email in reversed(smtp_server.accepted):
            if to in email["To"] and (subject is None or re.search(subject, email["Subject"], re.I)):
                return email
        if time.monotonic() > deadline:
            seen = [(email["To"], email["Subject"]) for email in smtp_server.accepted]
            log = f"\nWorker log:\n{worker.log()}" if worker else ""
            raise AssertionError(f"no email to {to} (subject {subject!r}) within {timeout}s; got {seen}{log}")
        time.sleep(0.2)


def text_of(email):
    return email.get_body(("plain",)).get_content()


def link_path(email, containing):
    """The path (and query) of the email's first link that contains ``containing``: the
    browser follows it on the live server, whatever host the email names."""
    for link in re.findall(r"https?://[^\s<>\"')]+", text_of(email)):
        if containing in link:
            parts = urlsplit(link)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    raise AssertionError(f"no link with {containing!r} in:\n{text_of(email)}")
