"""The benchmark table, for the terminal and for docs/benchmarks.md."""

import datetime as dt
import os
import platform
import sys

COLUMNS = [
    ("scenario", "scenario"),
    ("database", "database"),
    ("rows", "rows"),
    ("median ms", "median_ms"),
    ("p90 ms", "p90_ms"),
    ("queries", "queries"),
    ("target", "target"),
    ("ok?", "ok_text"),
]


def judge(rows):
    """Mark each row ok when its median meets the target and its query count is the same at every size.

    A row without a target (``target_ms`` None) or without a query count (``queries`` None,
    e.g. a computation rather than a request) is judged on what it has.
    """
    counts = {}
    for r in rows:
        if r.get("queries") is not None:
            counts.setdefault((r["scenario"], r["database"]), set()).add(r["queries"])
    for r in rows:
        constant = len(counts.get((r["scenario"], r["database"]), ())) <= 1
        target_ms = r.get("target_ms")
        # A row measured under load is judged on its 95th percentile, the others on their median.
        judged = "p95" if "p95_ms" in r else "median"
        fast = target_ms is None or r.get("p95_ms", r["median_ms"]) < target_ms
        r["target"] = ("—" if target_ms is None else f"{judged} < {target_ms:,} ms") + (
            "" if r.get("queries") is None else ", queries constant"
        )
        # A row weighing a page is judged on the bytes it took instead.
        if r.get("target_bytes") is not None:
            fast = r["bytes"] < r["target_bytes"]
            r["target"] = f"< {r['target_bytes'] // 1024} KB transferred"
        failed = bool(r.get("errors") or r.get("failed"))
        r["ok"] = fast and constant and not failed
        reasons = [] if fast else ["heavy" if r.get("target_bytes") else "slow"]
        reasons += [] if constant else ["queries grow"]
        reasons += ["errors"] if failed else []
        r["ok_text"] = "yes" if r["ok"] else "NO (" + ", ".join(reasons) + ")"
    return rows


def _cell(r, key):
    value = r.get(key)
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _cells(r):
    return [_cell(r, key) for _title, key in COLUMNS]


def table(rows):
    lines = [[title for title, _key in COLUMNS], *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    out = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)) for line in lines]
    out.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(out)


def _machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    machine = f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}"
    if hasattr(os, "getloadavg"):
        machine += ", load average {:.1f} {:.1f} {:.1f} at the end".format(*os.getloadavg())
    return machine


def markdown(rows, args, failures, postgres_version):
    import django

    pg = (
        f"PostgreSQL {postgres_version // 10000}.{postgres_version % 10000}"
        if postgres_version
        else "not run"
    )
    header = "| " + " | ".join(title for title, _key in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    body = "\n".join("| " + " | ".join(_cells(r)) + " |" for r in rows)
    missed = [r for r in rows if not r["ok"]]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m bench`); the numbers below are from the latest run.",
        "",
        f"- Run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {_machine()}",
        f"- Python {sys.version.split()[0]}, Django {django.get_version()}, SQLite, {pg}",
        f"- Sizes (applications in the call): {args.sizes}; {args.repeat} timed runs per scenario "
        "after 2 warm-up runs",
        "",
        "Timings depend on the machine and on what else it runs (see the load average): compare "
        "runs on the same machine, and read the query counts, which do not depend on either.",
        "",
        "Each scenario is a request through Django's test client (the whole stack except the "
        "network and the WSGI server): middleware, sessions, permissions, templates. *queries* is "
        "the number of SQL queries of one request; it must be the same at every size. Each database "
        "is new and migrated; the applications are bulk-created (three in four submitted, with their "
        "answers and history).",
        "",
        "- **call page**: the public page of the call, anonymous.",
        "- **applicant dashboard**: the dashboard of an applicant (their applications and history).",
        "- **save a step**: posting step 2 of the form (six questions) with changed answers.",
        "- **submit**: submitting a complete draft (checks, reference, audit, confirmation email queued).",
        "",
        "The other scenarios (evaluation, selection, exports, letters, the coordinators' long lists "
        "at 250, 5,000 and 50,000 applications, the call builder, the partnership) are described at "
        "the top of `bench/reviews_bench.py`, `bench/letters_bench.py`, `bench/lists_bench.py`, "
        "`bench/builder_bench.py` and `bench/partners_bench.py`. The *load* rows are the deadline "
        "rush of `bench/load.py`: real HTTP from Locust to gunicorn, 50 applicants and 10 "
        "evaluators for two minutes, judged on the 95th percentile; its database check must "
        "find every acknowledged save and one confirmation per submission. The *call page, cold "
        "cache* row is `bench/weight.py`: gunicorn as `make run` starts it, Chromium opening the "
        "public call page with an empty cache, every byte that came over the wire counted; its "
        "times are to the load event.",
        "",
        header,
        rule,
        body,
        "",
        f"{len(rows) - len(missed)} of {len(rows)} measurements meet their target.",
    ]
    if failures:
        lines += ["", "Failed to run: " + ", ".join(failures) + "."]
    return "\n".join(lines) + "\n"
