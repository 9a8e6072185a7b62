"""The daily sweep of files nobody references.

A file is stored before the row that names it commits (``intake``'s uploads, issued
documents, attachments): a process killed in between leaves a file, possibly half
written, that no row will ever name. This sweep finds every model ``FileField`` that
stores in the private storage through ``django.apps`` (so it knows no domain app), and
removes the stored files none of them references once they are older than a day — far
longer than any transaction, so a file whose row is about to commit is never touched. It
also removes the temporary upload files (``FILE_UPLOAD_TEMP_DIR``) a killed web process
left behind. It uses only ``listdir``, ``get_modified_time``, ``size`` and ``delete``, so it
works on the file system and on S3 alike. Each run is recorded as a ``FileSweep`` row.
"""

import datetime as dt
import logging
import os
import posixpath
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db.models import FileField
from django.utils import timezone

from portal.storage import private_storage

from .models import FileSweep

logger = logging.getLogger(__name__)

GRACE = dt.timedelta(days=1)


def private_file_fields():
    """``(model, field name)`` of every model file field kept in the private storage."""
    storage = private_storage()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField) and _is_private(field, storage):
                yield model, field.name


def _is_private(field, storage):
    return getattr(field, "_storage_callable", None) is private_storage or field.storage is storage


def referenced_names():
    names = set()
    for model, name in private_file_fields():
        names.update(model._base_manager.exclude(**{name: ""}).values_list(name, flat=True).iterator())
    return names


def stored_names(storage, folder=""):
    """Every file under ``folder``, as names the storage knows (``a/b/c``)."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        if folder:
            raise
        return  # a local storage whose folder nothing was ever written to
    for name in files:
        yield posixpath.join(folder, name) if folder else name
    for directory in directories:
        yield from stored_names(storage, posixpath.join(folder, directory) if folder else directory)


def sweep(*, now=None):
    """Remove what nobody references and is older than a day; return the ``FileSweep`` row."""
    now = now or timezone.now()
    cutoff = now - GRACE
    storage = private_storage()
    run = FileSweep(started_at=now)
    errors = []
    # Listed before the references are read: a file written meanwhile is too young anyway.
    candidates = list(stored_names(storage))
    referenced = referenced_names()
    run.files_checked = len(candidates)
    for name in candidates:
        if name in referenced:
            continue
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
            size = storage.size(name)
            storage.delete(name)
        except Exception as error:  # noqa: BLE001 - one file's trouble must not stop the sweep
            errors.append(f"{name}: {error}")
            continue
        run.files_removed += 1
        run.bytes_removed += size
    for path in _stale_temporary_uploads(cutoff):
        try:
            size = path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            continue  # its request finished meanwhile
        except OSError as error:
            errors.append(f"{path}: {error}")
            continue
        run.temporary_files_removed += 1
        run.temporary_bytes_removed += size
    run.errors = "\n".join(errors)[:10000]
    run.finished_at = timezone.now()
    run.save()
    logger.info(
        "File sweep: %d of %d stored files removed (%d bytes), "
        "%d temporary upload files removed (%d bytes)%s",
        run.files_removed,
        run.files_checked,
        run.bytes_removed,
        run.temporary_files_removed,
        run.temporary_bytes_removed,
        f", {len(errors)} errors" if errors else "",
    )
    return run


def _stale_temporary_uploads(cutoff):
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR or "")
    if not settings.FILE_UPLOAD_TEMP_DIR or not folder.is_dir():
        return
    oldest = cutoff.timestamp()
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < oldest:
                    yield Path(entry.path)
            except FileNotFoundError:
                continue
