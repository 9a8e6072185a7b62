"""Uploaded files: their content decides, refused files say why beside their field."""

import pytest
from django.urls import reverse

from intake import uploads
from intake.models import Document
from tests.factories import ApplicationFactory
from tests.factories.applications import (
    applicant,
    call_with_questions,
    docx_bytes,
    jpeg_bytes,
    odt_bytes,
    pdf_bytes,
    png_bytes,
    upload,
    xlsx_bytes,
)
from tests.utils import page_state

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (pdf_bytes(), uploads.PDF),
        (png_bytes(), uploads.PNG),
        (jpeg_bytes(), uploads.JPEG),
        (docx_bytes(), uploads.DOCX),
        (xlsx_bytes(), uploads.XLSX),
        (odt_bytes(), uploads.ODT),
    ],
)
def test_allowed_types_are_recognised_by_content_whatever_their_name(content, expected):
    checked = uploads.check_upload(upload("scan.bin", content, "text/html"))
    assert checked.kind is expected
    assert checked.display_name == "scan" + expected.extensions[0]


@pytest.mark.parametrize(
    "content",
    [
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"PK\x03\x04 not really a zip",
        docx_bytes().replace(b"word/", b"misc/"),
        b"GIF89a\x01\x00\x01\x00",
    ],
    ids=["html", "broken-zip", "zip-without-office-structure", "gif"],
)
def test_other_contents_are_refused(content):
    with pytest.raises(uploads.UploadRefused):
        uploads.check_upload(upload("letter.pdf", content))


def test_png_carrying_html_is_refused():
    polyglot = png_bytes() + b"<html><script>fetch('/steal')</script></html>"
    with pytest.raises(uploads.UploadRefused, match="web page code"):
        uploads.check_upload(upload("photo.png", polyglot, "image/png"))


def test_truncated_image_is_refused():
    with pytest.raises(uploads.UploadRefused):
        uploads.check_upload(upload("photo.png", png_bytes()[:40], "image/png"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\letter.PDF", "letter.pdf"),
        ("<script>x</script>.pdf", "script.pdf"),
        ("...", "document.pdf"),
        ("lettre d’engagement.pdf", "lettre d’engagement.pdf"),
    ],
)
def test_displayed_names_are_plain_base_names(name, expected):
    assert uploads.safe_display_name(name, uploads.PDF) == expected


def _step_url(application, step=3):
    return reverse("intake:application_step", args=[application.pk, step])


@pytest.fixture
def documents_step(client):
    call = call_with_questions()
    user = applicant()
    application = ApplicationFactory(call=call, organisation=user.organisations.get())
    client.force_login(user)
    return client, application


NOTE = "Signed by the deputy mayor on 3 November"


def _post_documents(client, application, **files):
    """The documents step, with a note typed beside the files that must never be lost."""
    return client.post(_step_url(application), {"action": "save", "q_letter_note": NOTE, **files})


def assert_note_kept(response, application):
    assert f'value="{NOTE}"' in response.content.decode()
    assert application.answers.get(question__key="letter_note").value == NOTE


def test_html_renamed_pdf_is_refused_beside_its_field(documents_step):
    client, application = documents_step
    response = _post_documents(
        client, application, q_letter=upload("letter.pdf", b"<html><body>hi</body></html>")
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "This type of file is not accepted" in content
    assert_note_kept(response, application)
    assert 'id="error_1_id_q_letter"' in content or "is-invalid" in content
    assert not Document.objects.exists()


def test_polyglot_image_is_refused_and_annexes_of_the_same_post_stay(documents_step):
    client, application = documents_step
    polyglot = png_bytes() + b"<script>alert(document.cookie)</script>"
    response = _post_documents(
        client,
        application,
        q_letter=upload("letter.pdf", pdf_bytes()),
        q_annexes=[upload("map.png", polyglot, "image/png"), upload("plan.pdf", pdf_bytes())],
    )
    assert "map.png: This image contains web page code" in response.content.decode()
    assert_note_kept(response, application)
    assert sorted(application.documents.values_list("original_name", flat=True)) == ["letter.pdf", "plan.pdf"]


def test_file_one_byte_over_the_cap_is_refused_while_streaming(documents_step, settings):
    client, application = documents_step
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    too_big = pdf_bytes() + b"0" * (settings.UPLOAD_MAX_BYTES + 1 - len(pdf_bytes()))
    just_right = too_big[:-1]
    response = _post_documents(client, application, q_letter=upload("big.pdf", too_big))
    assert "This file is larger than 10.0\xa0MB" in response.content.decode()
    assert_note_kept(response, application)
    assert not Document.objects.exists()
    _post_documents(client, application, q_letter=upload("big.pdf", just_right))
    assert application.documents.get().size == settings.UPLOAD_MAX_BYTES


def test_path_traversal_name_is_stored_under_a_generated_name(documents_step):
    client, application = documents_step
    response = _post_documents(client, application, q_letter=upload("../../etc/passwd", pdf_bytes()))
    assert response.status_code == 302
    assert "passwd.pdf" in client.get(_step_url(application)).content.decode()
    document = application.documents.get()
    assert document.original_name == "passwd.pdf"
    assert "passwd" not in document.file.name
    assert ".." not in document.file.name


def test_sixteenth_file_of_an_application_is_refused(documents_step):
    client, application = documents_step
    annexes = [upload(f"annex-{n}.pdf", pdf_bytes(f"annex {n}")) for n in range(14)]
    _post_documents(client, application, q_letter=upload("letter.pdf", pdf_bytes()), q_annexes=annexes)
    assert application.documents.count() == 15
    response = _post_documents(client, application, q_annexes=upload("sixteenth.pdf", pdf_bytes()))
    assert "An application can hold at most 15 files" in response.content.decode()
    assert_note_kept(response, application)
    assert application.documents.count() == 15


def test_a_second_letter_replaces_the_first(documents_step):
    client, application = documents_step
    _post_documents(client, application, q_letter=upload("first.pdf", pdf_bytes("one")))
    _post_documents(client, application, q_letter=upload("second.pdf", pdf_bytes("two")))
    assert list(application.documents.values_list("original_name", flat=True)) == ["second.pdf"]


def test_document_is_removed_from_a_draft(documents_step):
    client, application = documents_step
    _post_documents(client, application, q_annexes=upload("annex.pdf", pdf_bytes()))
    document = application.documents.get()
    state = page_state(client, _step_url(application))
    response = client.post(_step_url(application), {**state, "remove_document": document.pk})
    assert response.status_code == 302
    assert not application.documents.exists()


def test_download_is_an_attachment_that_browsers_may_not_sniff(documents_step):
    client, application = documents_step
    _post_documents(client, application, q_letter=upload("lettre signée.pdf", pdf_bytes()))
    document = application.documents.get()
    response = client.get(reverse("intake:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "lettre" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert document.sha256 and document.size == len(pdf_bytes())


def test_size_limit_handler_drops_a_file_as_soon_as_it_passes_the_cap(rf, settings):
    from django.core.files.uploadhandler import SkipFile

    settings.UPLOAD_MAX_BYTES = 100
    request = rf.post("/")
    handler = uploads.SizeLimitUploadHandler(request)
    handler.new_file("q_letter", "big.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 60, 0) == b"x" * 60
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"x" * 41, 60)
    assert "larger than" in request.refused_uploads["q_letter"]
    handler.new_file("q_annexes", "small.pdf", "application/pdf", None)
    assert handler.receive_data_chunk(b"x" * 100, 0) == b"x" * 100  # exactly the cap is fine


def test_a_question_that_takes_only_pdf_refuses_an_image_and_says_what_it_takes(documents_step):
    client, application = documents_step
    application.call.sections.get(order=3).questions.filter(key="letter").update(file_types=["pdf"])
    page = client.get(_step_url(application)).content.decode()
    assert 'accept=".pdf"' in page
    response = _post_documents(client, application, q_letter=upload("scan.png", png_bytes(), "image/png"))
    assert "scan.png: This question accepts only these types: PDF." in response.content.decode()
    assert not Document.objects.filter(application=application).exists()
    assert_note_kept(response, application)
    _post_documents(client, application, q_letter=upload("letter.pdf", pdf_bytes()))
    assert Document.objects.filter(application=application, question__key="letter").count() == 1


def test_a_question_without_file_types_takes_every_accepted_type(documents_step):
    client, application = documents_step
    page = client.get(_step_url(application)).content.decode()
    assert f'accept="{uploads.ACCEPT_ATTRIBUTE}"' in page
    _post_documents(client, application, q_annexes=[upload("photo.png", png_bytes(), "image/png")])
    assert Document.objects.filter(application=application, question__key="annexes").count() == 1
