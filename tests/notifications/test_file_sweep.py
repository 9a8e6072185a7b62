"""The daily sweep of unreferenced files: what a killed process left in storage goes, what a
row names or what is still young stays, and each run says what it removed."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from notifications import file_sweep
from notifications.models import FileSweep
from portal.storage import private_storage
from tests.factories import ApplicationFactory, UserFactory
from tests.factories.applications import applicant, call_with_questions, fill_in

pytestmark = pytest.mark.django_db


def age(path, days):
    """Make a file on disk look ``days`` old."""
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def stored(name, content, days_old):
    storage = private_storage()
    name = storage.save(name, ContentFile(content))
    age(storage.path(name), days_old)
    return name


def test_an_unreferenced_file_older_than_a_day_is_removed_and_the_run_recorded(files_in_the_tests_storage):
    orphan = stored("applications/1/0f3a9c", b"%PDF-1.7 half a letter", days_old=2)

    run = file_sweep.sweep()

    assert not private_storage().exists(orphan)
    assert (run.files_removed, run.bytes_removed) == (1, len(b"%PDF-1.7 half a letter"))
    assert FileSweep.objects.get() == run


def test_a_file_younger_than_a_day_is_kept_though_nothing_references_it_yet(files_in_the_tests_storage):
    uploading = stored("applications/1/5b2e77", b"%PDF-1.7 being committed", days_old=0.5)

    run = file_sweep.sweep()

    assert private_storage().exists(uploading)
    assert run.files_removed == 0


def test_a_referenced_file_is_kept_however_old(files_in_the_tests_storage):
    user = applicant()
    application = fill_in(
        ApplicationFactory(call=call_with_questions(), organisation=user.organisations.get()), user
    )
    document = application.documents.get()
    age(document.file.path, 30)
    orphan = stored("applications/1/aa11bb", b"left behind", days_old=3)

    run = file_sweep.sweep()

    assert private_storage().exists(document.file.name)
    assert not private_storage().exists(orphan)
    assert run.files_removed == 1
    assert run.files_checked >= 2


def test_every_private_file_field_is_found_without_naming_an_app():
    fields = {f"{model._meta.label}.{name}" for model, name in file_sweep.private_file_fields()}

    assert {
        "intake.Document.file",
        "notifications.IssuedDocument.file",
        "notifications.Attachment.file",
        "partners.SignedAgreement.file",
        "partners.Partner.logo",
    } <= fields


def test_temporary_uploads_go_under_var_and_stale_ones_are_swept(settings, tmp_path):
    temporary = Path(settings.FILE_UPLOAD_TEMP_DIR)
    assert temporary.is_dir()
    assert Path(settings.VAR_DIR).resolve() in temporary.resolve().parents

    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    stale = tmp_path / "upload-tmp" / "tmpa1b2c3.upload.pdf"
    stale.write_bytes(b"x" * 4096)
    age(stale, 2)
    in_progress = tmp_path / "upload-tmp" / "tmpd4e5f6.upload.pdf"
    in_progress.write_bytes(b"y" * 100)

    run = file_sweep.sweep()

    assert not stale.exists()
    assert in_progress.exists()
    assert (run.temporary_files_removed, run.temporary_bytes_removed) == (1, 4096)


def test_a_large_upload_streams_into_the_temporary_folder_under_var():
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    handler = TemporaryFileUploadHandler()
    handler.new_file("file", "letter.pdf", "application/pdf", 10_000_000)
    try:
        assert Path(handler.file.temporary_file_path()).parent == Path(settings.FILE_UPLOAD_TEMP_DIR)
    finally:
        handler.file.close()


def test_administrators_read_the_sweeps_in_the_admin(client, files_in_the_tests_storage):
    stored("applications/2/cafe00", b"z" * 2048, days_old=2)
    file_sweep.sweep()
    admin = UserFactory(is_staff=True, is_superuser=True, verified=True)
    client.force_login(admin)

    page = client.get(reverse("admin:notifications_filesweep_changelist")).content.decode()

    assert "2.0\xa0KB" in page
