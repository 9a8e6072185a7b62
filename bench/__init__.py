"""Benchmarks: ``make bench`` (``python -m bench``) prints a table and writes docs/benchmarks.md.

Each database runs in a process of its own (``python -m bench.worker``) so Django reads
that database's settings from the environment, exactly as the portal does.

A benchmark module of another app (``bench/reviews_bench.py``, ``bench/letters_bench.py``)
joins in by exposing::

    def run(*, database: str, sizes: list[int], repeat: int) -> list[dict]

called in a process of its own on a new, migrated, empty database; it builds the data
it needs (``bench.data`` helps: the demo call, bulk applications) and returns rows made
by ``bench.measure.row(...)`` (keys: scenario, database, rows, median_ms, p90_ms,
queries, target_ms), one per scenario and size.
"""
