"""A real Celery worker for the benchmarks that time work done in the background.

The worker uses Redis (database 5 of BENCH_REDIS_URL, default 127.0.0.1:6379) when it
answers, else the embedded filesystem broker; it shares the benchmark's database (the
DATABASE_URL of the process). Its processes' peak memory is watched while it runs.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


def peak_rss_mb(pid="self"):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid):
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def redis_answers(url=REDIS_URL):
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _use_broker(url):
    from portal.celery import app

    app.conf.broker_url = url
    app.conf.broker_transport_options = {"visibility_timeout": 7200}
    app._pool = None
    app.amqp._producer_pool = None


@dataclass
class Worker:
    process: subprocess.Popen
    transport: str
    log: list = field(default_factory=list)
    peaks: dict = field(default_factory=dict)

    def watch(self):
        """Note the peak memory of each worker process so far."""
        for child in _children(self.process.pid):
            self.peaks[child] = max(self.peaks.get(child, 0.0), peak_rss_mb(child))

    @property
    def peak_mb(self):
        return max(self.peaks.values(), default=0.0)

    def tail(self, lines=50):
        return "".join(self.log[-lines:])


@contextlib.contextmanager
def running_worker(name, *, concurrency=2):
    """A worker with ``concurrency`` processes, ready to take tasks; stopped on the way out.

    Tasks this process publishes go to the same broker."""
    redis = redis_answers()
    broker = REDIS_URL if redis else settings.CELERY_BROKER_URL
    if redis:
        import redis as redis_client

        redis_client.Redis.from_url(REDIS_URL).flushdb()
        _use_broker(REDIS_URL)
    env = {**os.environ, "CELERY_BROKER_URL": broker, "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "portal",
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency}",
            f"--hostname={name}-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = Worker(process, "Redis" if redis else "filesystem broker")
    ready = threading.Event()

    def read():
        for line in process.stdout:
            worker.log.append(line)
            if " ready." in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(60):
            raise RuntimeError("the benchmark's Celery worker did not start:\n" + worker.tail())
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
