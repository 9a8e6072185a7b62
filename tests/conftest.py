"""Fixtures shared by the whole suite."""

import os
import socket

import pytest

from portal.celery import app as celery_app


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
