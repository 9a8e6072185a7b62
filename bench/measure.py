"""Timing and query counting of requests made through Django's test client."""

import statistics
import time

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext

TARGET_MS = 50


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timed(action, *, repeat, warmup=2, prepare=None, check=None):
    """Run ``action()`` ``repeat`` times; return (median ms, p90 ms, queries of the last run).

    ``prepare(i)`` runs untimed before each run and returns the arguments of ``action``;
    ``check(response)`` raises if a response is not the one the scenario expects.
    """
    durations = []
    queries = 0
    for i in range(warmup + repeat):
        args = prepare(i) if prepare else ()
        # The query log keeps 9,000 entries: a long run would fill it and count nothing.
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = action(*args)
            elapsed = (time.perf_counter() - start) * 1000
        if check:
            check(response)
        if i >= warmup:
            durations.append(elapsed)
            queries = len(captured.captured_queries)
    return statistics.median(durations), percentile(durations, 0.9), queries


def row(scenario, *, database, rows, median_ms, p90_ms, queries, target_ms=TARGET_MS):
    return {
        "scenario": scenario,
        "database": database,
        "rows": rows,
        "median_ms": round(median_ms, 1),
        "p90_ms": round(p90_ms, 1),
        "queries": queries,
        "target_ms": target_ms,
    }


def expect_status(*codes):
    def check(response):
        if response.status_code not in codes:
            raise AssertionError(
                f"unexpected HTTP {response.status_code} for {response.request['PATH_INFO']}"
            )

    return check


def bench_project():
    """The project the benchmark calls belong to."""
    from intake.models import Project  # deferred: Django is set up only once a benchmark runs

    return Project.objects.get_or_create(
        slug="bench", defaults={"acronym": "BENCH", "title_en": "Benchmark"}
    )[0]


def staff_client(user):
    """A test client logged in as ``user``, whose account has the authenticator app staff
    must have before any staff page answers."""
    from allauth.mfa.models import Authenticator  # startup: the bench sets Django up first
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # startup
    from django.test import Client  # startup

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    client = Client()
    client.force_login(user)
    return client
