"""A real Celery worker on a real Redis, sharing the test's PostgreSQL database.

Each test that asks for a worker gets a ``celery -A portal worker`` subprocess pointed at
the test database (which pytest-django created), a Redis database of its own and a local
SMTP server in a thread. Tests use ``transactional_db`` so the worker sees committed rows.
SQLite's in-memory test database cannot be shared with another process: there the tests
are skipped and the PostgreSQL run of the suite covers them.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from portal.celery import app as celery_app
from tests.conftest import require_server
from tests.notifications.smtp_server import FakeSMTPServer
from tests.notifications.storage import follow_private_storage

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS_DB = 5


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.integration)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout=30, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {message}")


def database_url():
    db = connection.settings_dict
    credentials = quote(db.get("USER") or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def postgres_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip(
            "A worker cannot share SQLite's in-memory test database; run with DATABASE_URL=postgres://..."
        )
    require_server("Redis", "127.0.0.1", 6379, "redis-server")


@contextlib.contextmanager
def live_broker(url, queue):
    """The test process publishes to ``queue`` on ``url`` for real instead of running tasks in place.

    A queue of the test's own keeps parallel test runs on one Redis database apart.
    """
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_transport_options, conf.task_default_queue)
    conf.task_always_eager = False
    conf.broker_url = url
    conf.broker_transport_options = {"visibility_timeout": 7200, "max_retries": 1}
    conf.task_default_queue = queue
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app.amqp.__dict__.pop("queues", None)
    celery_app.amqp.__dict__.pop("router", None)
    try:
        yield
    finally:
        conf.task_always_eager, conf.broker_url, conf.broker_transport_options, conf.task_default_queue = (
            saved
        )
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app.amqp.__dict__.pop("queues", None)
        celery_app.amqp.__dict__.pop("router", None)


def own_queue_name():
    return f"test-{uuid.uuid4().hex[:12]}"


class Worker:
    """``celery -A portal worker`` as a subprocess, its output kept for failure reports."""

    def __init__(self, broker_url, queue, *, media_root, var_dir, smtp_port, concurrency=2, extra_env=None):
        self.output = []
        env = {
            **os.environ,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "PORTAL_VAR_DIR": str(var_dir),
            # The static files the test session collected: letters name them by their hashed names.
            "DJANGO_STATIC_ROOT": str(django_settings.STATIC_ROOT),
            "PORTAL_MEDIA_ROOT": str(media_root),
            "PORTAL_STORAGE": "local",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "PORTAL_EMAIL_RETRY_BASE_SECONDS": "1",
            "PORTAL_EMAIL_RETRY_MAX_SECONDS": "2",
            "DEFAULT_FROM_EMAIL": django_settings.DEFAULT_FROM_EMAIL,
            "PORTAL_SITE_URL": django_settings.SITE_URL,
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "celery"),
                "-A",
                "portal",
                "worker",
                "--loglevel=INFO",
                f"--concurrency={concurrency}",
                f"--queues={queue}",
                f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            # A group of its own, so that ``kill`` takes the pool processes with it.
            start_new_session=True,
        )
        self._ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(60):
            self.stop()
            raise AssertionError("The Celery worker did not start:\n" + self.log())

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self._ready.set()

    def log(self):
        return "".join(self.output[-200:])

    def kill(self):
        """SIGKILL to the worker and its pool processes at once, as a machine that dies."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class PrivateRedis:
    """A redis-server of the test's own on a free port, which the test can stop and start."""

    def __init__(self, tmp_path):
        self.executable = shutil.which("redis-server")
        if not self.executable:
            pytest.skip("redis-server is not installed")
        self.port = free_port()
        self.dir = tmp_path
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, message="the private redis-server")

    def _answers(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
        except OSError:
            return False
        return True

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        wait_for(lambda: not self._answers(), timeout=10, message="the private redis-server to stop")


@pytest.fixture
def shared_media(settings, tmp_path, monkeypatch):
    """One media folder for the test process and the worker."""
    media = tmp_path / "shared-media"
    media.mkdir()
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(media), "base_url": None},
    }
    settings.STORAGES = {**settings.STORAGES, "default": storage, "private": storage}
    settings.MEDIA_ROOT = str(media)
    follow_private_storage(monkeypatch)
    return media


@pytest.fixture
def smtp_server():
    with FakeSMTPServer() as server:
        yield server


def _forget_queue(url, queue):
    import redis

    redis.Redis.from_url(url).delete(queue)


@pytest.fixture
def worker(postgres_and_redis, transactional_db, shared_media, smtp_server, tmp_path):
    """A real worker on the shared Redis (database 5), and the test publishing to it."""
    url = f"redis://127.0.0.1:6379/{REDIS_DB}"
    queue = own_queue_name()
    with live_broker(url, queue):
        running = Worker(
            url, queue, media_root=shared_media, var_dir=tmp_path / "var", smtp_port=smtp_server.port
        )
        try:
            yield running
        finally:
            running.stop()
            _forget_queue(url, queue)


@pytest.fixture
def private_redis(postgres_and_redis, tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process and server.process.poll() is None:
            server.process.terminate()
            server.process.wait(10)
