"""Checking uploaded files: how long the content checks take and how much memory they hold.

No database is involved, so the rows are measured once (on the SQLite pass). Targets on
the 2-core reference machine: a 10 MB scanned PDF under 500 ms; the largest honest office
file (45 MB of parts) under 1,000 ms; a gibibyte zip bomb refused under 50 ms and under
5 MB of memory, whether its index tells the truth or lies.
"""

import random
import statistics
import time
import tracemalloc

from django.core.files.uploadedfile import SimpleUploadedFile

from intake import uploads
from tests.intake import hostile_files

from .measure import percentile, row


def scanned_pdf():
    """A 10 MB PDF whose page is one image of random (incompressible, binary) samples."""
    return hostile_files.pdf_with_image_holding(random.Random(7).randbytes(9_900_000))


def large_honest_docx():
    """A DOCX with 45 MB of prose-like parts (compressing about 10 to 1, as a long text does)."""
    words = ["city", "square", "market", "police", "event", "crowd", "safety", "barrier"]
    words += ["plan", "officer", "street", "festival"]
    pick = random.Random(7).choice
    paragraph_count = 45 * 1024 * 1024 // 600
    paragraphs = (
        "<w:p><w:r><w:t>" + " ".join(pick(words) for _ in range(70)) + "</w:t></w:r></w:p>"
        for _ in range(paragraph_count)
    )
    return hostile_files.zip_of({**hostile_files.docx_parts(), "word/document.xml": "".join(paragraphs)})


SCENARIOS = [
    ("check a 10 MB scanned PDF", scanned_pdf, True, 500),
    ("check a DOCX with 45 MB of parts", large_honest_docx, True, 1000),
    ("refuse a 1 GiB zip bomb (honest index)", lambda: hostile_files.docx_bomb(1024), False, 50),
    (
        "refuse a 1 GiB zip bomb (lying index)",
        lambda: hostile_files.docx_bomb(1024, declared=1000),
        False,
        50,
    ),
]


def check(content, *, accepted):
    try:
        uploads.check_upload(SimpleUploadedFile("file.bin", content))
    except uploads.UploadRefused:
        if accepted:
            raise
    else:
        if not accepted:
            raise AssertionError("a hostile file was accepted")


def run(*, database, sizes, repeat):
    if database != "SQLite":
        return []  # nothing here touches the database
    rows = []
    for name, build, accepted, target in SCENARIOS:
        content = build()
        durations = []
        for i in range(repeat + 2):
            start = time.perf_counter()
            check(content, accepted=accepted)
            if i >= 2:
                durations.append((time.perf_counter() - start) * 1000)
        tracemalloc.start()
        check(content, accepted=accepted)
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        size = len(content) / 1024 / 1024
        rows.append(
            row(
                f"{name} ({size:.1f} MB sent, peak {peak:.1f} MB held)",
                database="—",
                rows=1,
                median_ms=statistics.median(durations),
                p90_ms=percentile(durations, 0.9),
                queries=None,
                target_ms=target,
            )
        )
    return rows
