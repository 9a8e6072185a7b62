"""What a first visit costs the visitor: ``make bench ARGS="--only weight"``.

gunicorn serves the portal as ``make run`` does (the static files collected, compressed and
hashed, served by WhiteNoise), with the demo call. Chromium (``/usr/bin/chromium``, through
Playwright) opens the public call page in a new browser context, so with an empty cache,
and waits until the network is idle. The DevTools protocol's network events count every
request the page made and the bytes that came over the wire for each (headers and
compressed bodies). Target: under 100 KB in all. Three cold visits; the row gives the
median time to the load event (for information: on loopback it measures the machine, not
the network). Runs on the SQLite pass only: the bytes do not depend on the database.

``PORTAL_STATICFILES_BACKEND=django.contrib.staticfiles.storage.StaticFilesStorage`` in the
environment measures the page as it was before the files were compressed and hashed.
"""

import os
import statistics
import sys
from pathlib import Path

from . import data
from .load import Process, free_port
from .measure import row

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
TARGET_BYTES = 100 * 1024
VISITS = 3


def start_gunicorn(port):
    env = {
        **os.environ,
        "PORTAL_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_DEBUG": "false",
        "PYTHONUNBUFFERED": "1",
    }
    server = Process(
        "gunicorn",
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "portal.wsgi",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            "--log-level=info",
        ],
        env,
        ready="Booting worker",
    )
    server.wait_ready()
    return server


def cold_visit(browser, url):
    """One visit with an empty cache: (requests, bytes over the wire, ms to load, per resource)."""
    context = browser.new_context()
    page = context.new_page()
    network = context.new_cdp_session(page)
    resources = {}

    def received(event):
        response = event["response"]
        if response["url"].startswith("data:"):
            return  # inside the stylesheet: nothing is fetched
        resources[event["requestId"]] = {
            "url": response["url"],
            "status": response["status"],
            "encoding": {k.lower(): v for k, v in response["headers"].items()}.get("content-encoding", ""),
            "bytes": 0,
        }

    def finished(event):
        if event["requestId"] in resources:
            resources[event["requestId"]]["bytes"] = event["encodedDataLength"]

    network.on("Network.responseReceived", received)
    network.on("Network.loadingFinished", finished)
    network.send("Network.enable")
    page.goto(url, wait_until="networkidle")
    load_ms = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    context.close()
    listed = sorted(resources.values(), key=lambda r: -r["bytes"])
    bad = [r for r in listed if r["status"] >= 400]
    if bad:
        raise RuntimeError(f"the call page loaded with errors: {bad}")
    return len(listed), sum(r["bytes"] for r in listed), load_ms, listed


def run(*, database, sizes=(), repeat=0):
    if database != "SQLite":
        return []
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"the weight benchmark needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright  # startup: only this benchmark drives a browser

    call = data.the_call()
    port = free_port()
    server = start_gunicorn(port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            url = f"http://127.0.0.1:{port}/calls/{call.slug}/"
            visits = [cold_visit(browser, url) for _ in range(VISITS)]
            browser.close()
    finally:
        server.stop()
    requests, transferred, _load_ms, resources = visits[-1]
    print(f"   call page, cold cache: {requests} requests, {transferred:,} bytes over the wire")
    for resource in resources:
        name = resource["url"].split(str(port), 1)[-1]
        print(f"   {resource['bytes']:>9,}  {resource['encoding'] or 'identity':<8}  {name}")
    load_times = [visit[2] for visit in visits]
    result = row(
        f"call page, cold cache in Chromium ({requests} requests, {transferred / 1024:.1f} KB transferred)",
        database=database,
        rows=1,
        median_ms=statistics.median(load_times),
        p90_ms=max(load_times),
        queries=None,
        target_ms=None,
    )
    result |= {"bytes": transferred, "target_bytes": TARGET_BYTES}
    return [result]
