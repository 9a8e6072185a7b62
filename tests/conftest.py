"""Fixtures shared by the whole suite."""

import os
import socket
from pathlib import Path

import pytest
from django.db import connection

from portal.celery import app as celery_app
from tests.notifications.storage import follow_private_storage


def require_server(name, host, port, install_hint):
    """Skip (or, under CI, fail) a test whose server does not answer."""
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        message = f"{name} is not reachable at {host}:{port}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI needs it.")
        pytest.skip(f"{message}: install and start {install_hint} to run this test.")


@pytest.fixture(autouse=True, scope="session")
def _celery_runs_in_process():
    """Unit tests run tasks in the test process; integration tests start a real worker."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True, scope="session")
def _static_files_collected(tmp_path_factory):
    """The static files as a deployment has them: collected once a session into a folder of
    the session's own, under their hashed names, with the strict manifest of production, so
    a template naming a file that does not exist fails its test. Only the compression is
    left out (a quarter of a minute of brotli per process); tests/portal/test_static_files.py
    compresses the portal's own files and checks what a browser is sent."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    storages = {**settings.STORAGES}
    storages["staticfiles"] = {
        **storages["staticfiles"],
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    }
    collected = override_settings(STATIC_ROOT=tmp_path_factory.mktemp("static"), STORAGES=storages)
    collected.enable()
    call_command("collectstatic", interactive=False, verbosity=0)
    yield
    collected.disable()


@pytest.fixture(autouse=True)
def _private_storage_in_tmp(settings, tmp_path):
    """Uploaded and generated files go to a folder of the test's own."""
    location = str(tmp_path / "media")
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": location, "base_url": None},
    }
    settings.STORAGES = {**settings.STORAGES, "default": storage, "private": storage}
    settings.MEDIA_ROOT = location


@pytest.fixture
def files_in_the_tests_storage(_private_storage_in_tmp, monkeypatch):
    """Model file fields follow the swapped storage too (tests that read stored files back)."""
    follow_private_storage(monkeypatch)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashers cost about a second a user; tests check behaviour, not hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    """A page rendered in French must not leave French active for the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


TEST_TEMPLATES = Path(__file__).parent / "notifications" / "templates"


@pytest.fixture
def test_templates(settings):
    """Email templates of a stand-in domain app ("testapp"), beside the portal's own."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [TEST_TEMPLATES, *engine["DIRS"]]}, *settings.TEMPLATES[1:]]


@pytest.fixture(autouse=True)
def _reference_sequences_go_with_the_data(request, django_db_blocker):
    """A test that commits (and has its tables emptied after it) leaves no reference
    sequence behind either: the next one numbers from 1 again, as on a fresh database."""
    yield
    marker = request.node.get_closest_marker("django_db")
    committed = "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction"))
    if not committed:
        return
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relkind = 'S' AND relname LIKE 'intake_reference_%%'"
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP SEQUENCE IF EXISTS "{name}"')


def pytest_terminal_summary(terminalreporter):
    """The fault tests' tallies (``tests/integration/faults.py``), one line each, after the run."""
    lines = [
        value
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        if report.when == "call"
        for name, value in report.user_properties
        if name == "delivery"
    ]
    if lines:
        terminalreporter.section("email delivery under faults")
        for line in sorted(lines):
            terminalreporter.write_line(line)
