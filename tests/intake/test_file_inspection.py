"""Hostile files: zip bombs, macros and PDFs that run code are refused, each with its name
and reason beside its field; honest documents as real programs write them still pass."""

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from intake import uploads
from intake.models import Document
from tests.factories import ApplicationFactory
from tests.factories.applications import applicant, call_with_questions, pdf_bytes, upload

from . import hostile_files as hostile
from .test_uploads import NOTE, assert_note_kept

pytestmark = pytest.mark.django_db

DOCX_TYPE = uploads.DOCX.content_type


def refusal(content, name="letter.docx"):
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(upload(name, content, DOCX_TYPE))
    return refused.value.message


def weasyprint_pdf():
    """A PDF as the portal's own letters are made: fonts embedded, objects in object streams."""
    import weasyprint

    return weasyprint.HTML(
        string="<h1>Lettre d'engagement</h1><p>La ville de Liège s'engage.</p>"
    ).write_pdf()


# --- Honest files still pass ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (hostile.honest_docx, uploads.DOCX),
        (hostile.honest_xlsx, uploads.XLSX),  # written by openpyxl, as Excel writes it
        (hostile.honest_odt, uploads.ODT),
        (hostile.honest_pdf, uploads.PDF),
        (weasyprint_pdf, uploads.PDF),
        (hostile.pdf_with_object_stream, uploads.PDF),
        # Image samples are binary: "/JS " in them is chance, not a name.
        (lambda: hostile.pdf_with_image_holding(b"\x00/JS \x01/JavaScript\n" * 50), uploads.PDF),
    ],
    ids=[
        "docx",
        "xlsx",
        "odt",
        "pdf",
        "weasyprint-pdf",
        "pdf-with-object-streams",
        "pdf-image-with-js-bytes",
    ],
)
def test_honest_documents_are_accepted(build, expected):
    assert uploads.check_upload(upload("document.bin", build())).kind is expected


def test_an_office_part_just_under_the_limits_is_accepted():
    # 1 MiB of zeros inflates about a thousand times: under the ratio's floor, so harmless.
    assert uploads.check_upload(upload("letter.docx", hostile.docx_bomb(1), DOCX_TYPE)).kind is uploads.DOCX


# --- Zip bombs --------------------------------------------------------------------------------


def test_a_docx_whose_part_inflates_to_a_gibibyte_is_refused_from_its_index():
    bomb = hostile.docx_bomb(1024)
    assert len(bomb) < 1.1 * hostile.MiB
    assert zipfile.ZipFile(io.BytesIO(bomb)).getinfo("word/media/image1.bmp").file_size == hostile.GiB
    assert refusal(bomb) == (
        "This file expands to more than 50.0\xa0MB when it is opened, so it was refused. "
        "Please save it again normally, or send it as PDF."
    )


def test_a_docx_that_expands_a_thousand_times_is_refused_under_the_total_limit():
    bomb = hostile.docx_bomb(5)  # 5 MiB from about 5 KB
    assert "compressed to an unusual degree (a part of it expands more than 100 times)" in refusal(bomb)


@pytest.mark.parametrize("mebibytes", [60, 1024])
def test_an_index_that_lies_about_sizes_is_caught_while_inflating(mebibytes):
    # The index says 1,000 bytes, with their checksum: Python's own zipfile stops there and
    # is satisfied, while the deflate stream goes on to many megabytes.
    bomb = hostile.docx_bomb(mebibytes, declared=1000)
    with zipfile.ZipFile(io.BytesIO(bomb)).open("word/media/image1.bmp") as part:
        assert len(part.read(2000)) == 1000  # checksum verified, no error
    assert (
        refusal(bomb)
        == "This document is damaged: its contents do not match its index. Please save it again."
    )


def test_many_small_parts_that_add_up_past_the_limit_are_refused():
    data, crc = hostile.deflated_zeros(1)
    parts = [(f"word/media/image{n}.bmp", data, zipfile.ZIP_DEFLATED, crc, hostile.MiB) for n in range(60)]
    bomb = hostile.raw_zip([*hostile._honest_entries(hostile.docx_parts()), *parts])
    assert "expands to more than 50.0\xa0MB" in refusal(bomb)


def test_a_password_protected_part_is_refused():
    entries = hostile._honest_entries(hostile.docx_parts())
    archive = bytearray(hostile.raw_zip(entries))
    # Set the "encrypted" flag of every entry in the central directory.
    position = 0
    while (position := archive.find(b"PK\x01\x02", position)) >= 0:
        archive[position + 8] |= 0x01
        position += 4
    assert "protected by a password" in refusal(bytes(archive))


# --- Macros -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        hostile.zip_of({**hostile.docx_parts(), "word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        hostile.zip_of(hostile.docx_parts(main=hostile.DOCM_MAIN)),
        hostile.zip_of(
            {
                "[Content_Types].xml": "<Types/>",
                "xl/workbook.xml": "<workbook/>",
                "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro",
            }
        ),
        hostile.zip_of(
            {
                "[Content_Types].xml": "<Types/>",
                "xl/workbook.xml": "<workbook/>",
                "xl/macrosheets/sheet1.xml": "<x/>",
            }
        ),
        hostile.zip_of(
            {**hostile.odt_parts(), "Basic/Standard/Module1.xml": "<script:module/>"},
            first=("mimetype", hostile.ODT_MIMETYPE),
        ),
        hostile.zip_of(
            {**hostile.odt_parts(), "Scripts/python/run.py": "import os"},
            first=("mimetype", hostile.ODT_MIMETYPE),
        ),
        hostile.zip_of(
            hostile.odt_parts(hostile.ODT_ON_LOAD_MACRO), first=("mimetype", hostile.ODT_MIMETYPE)
        ),
    ],
    ids=[
        "docx-vbaProject",
        "docm-content-type",
        "xlsx-vbaProject",
        "xlsx-macro-sheet",
        "odt-basic",
        "odt-scripts",
        "odt-on-load-event",
    ],
)
def test_documents_carrying_macros_are_refused(content):
    assert refusal(content) == "Documents with macros are not accepted. Please save it without macros."


# --- PDFs -------------------------------------------------------------------------------------


def pdf_refusal(content):
    with pytest.raises(uploads.UploadRefused) as refused:
        uploads.check_upload(upload("letter.pdf", content))
    return refused.value.message


def open_action(content):
    """What a PDF reader runs when the file opens: proof the test file is real."""
    action = PdfReader(io.BytesIO(content), strict=True).trailer["/Root"]["/OpenAction"].get_object()
    return action["/S"]


JAVASCRIPT_REFUSAL = (
    "This PDF contains JavaScript, so it was refused. Please print it again to PDF, or send a scan."
)


def test_a_pdf_that_runs_javascript_when_opened_is_refused():
    content = hostile.pdf_with_open_action(hostile.JAVASCRIPT_ACTION)
    assert open_action(content) == "/JavaScript"
    assert pdf_refusal(content) == JAVASCRIPT_REFUSAL


def test_javascript_spelled_with_hex_escapes_is_refused():
    content = hostile.pdf_with_open_action(hostile.HEX_ESCAPED_JAVASCRIPT_ACTION)
    assert b"/JavaScript" not in content and b"/JS" not in content
    assert open_action(content) == "/JavaScript"
    assert pdf_refusal(content) == JAVASCRIPT_REFUSAL


@pytest.mark.parametrize(
    "filters", [(b"/FlateDecode",), (b"/ASCIIHexDecode", b"/FlateDecode")], ids=["flate", "hex-then-flate"]
)
def test_javascript_inside_a_compressed_object_stream_is_refused(filters):
    content = hostile.pdf_with_object_stream(open_action=hostile.JAVASCRIPT_ACTION, filters=filters)
    assert b"JavaScript" not in content and b"OpenAction" not in content  # only compressed bytes
    assert open_action(content) == "/JavaScript"
    assert pdf_refusal(content) == JAVASCRIPT_REFUSAL


@pytest.mark.parametrize(
    "action",
    [hostile.JAVASCRIPT_AFTER_STREAM_IN_COMMENT, hostile.JAVASCRIPT_AFTER_STREAM_IN_STRING],
    ids=["in-a-comment", "in-a-string"],
)
def test_the_word_stream_where_it_is_no_keyword_hides_nothing(action):
    content = hostile.pdf_with_open_action(action)
    assert open_action(content) == "/JavaScript"
    assert pdf_refusal(content) == JAVASCRIPT_REFUSAL


def test_a_pdf_that_launches_a_program_is_refused():
    content = hostile.pdf_with_open_action(hostile.LAUNCH_ACTION)
    assert open_action(content) == "/Launch"
    assert "an action that starts a program" in pdf_refusal(content)


def test_a_pdf_with_embedded_files_is_refused():
    content = hostile.pdf_with_embedded_file()
    assert "/EmbeddedFiles" in PdfReader(io.BytesIO(content)).trailer["/Root"]["/Names"]
    assert pdf_refusal(content) == (
        "This PDF has other files embedded in it, so it was refused. Please upload each file on its own."
    )


def test_an_encrypted_pdf_whose_object_streams_cannot_be_read_is_refused():
    content = hostile.pdf_with_object_stream().replace(b"/Root 1 0 R", b"/Root 1 0 R /Encrypt 9 0 R")
    assert "This PDF is encrypted, so its contents cannot be checked" in pdf_refusal(content)


def test_an_object_stream_with_an_unusual_encoding_is_refused_rather_than_skipped():
    content = hostile.pdf_with_object_stream().replace(
        b"/Type /ObjStm", b"/Type /ObjStm /DecodeParms << /Predictor 12 >>"
    )
    assert "cannot be checked" in pdf_refusal(content)


def test_a_pdf_whose_object_stream_inflates_past_the_limit_is_refused():
    zeros, _crc = hostile.deflated_zeros(60)
    bomb_stream = hostile.stream(zeros, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode")
    content = hostile.pdf(
        [hostile.CATALOG, hostile.PAGES, hostile.PAGE, hostile.stream(hostile.TEXT), bomb_stream]
    )
    assert len(content) < 100_000
    assert "expands to more than 50.0\xa0MB" in pdf_refusal(content)


# --- On the page: each refusal named beside its field, everything else kept ------------------


def _step_url(application, step=3):
    return reverse("intake:application_step", args=[application.pk, step])


@pytest.fixture
def documents_step(client):
    call = call_with_questions()
    user = applicant()
    application = ApplicationFactory(call=call, organisation=user.organisations.get())
    client.force_login(user)
    return client, application


def _post(client, application, **files):
    return client.post(_step_url(application), {"action": "save", "q_letter_note": NOTE, **files})


def test_a_zip_bomb_letter_is_refused_beside_its_field_and_the_note_is_kept(documents_step):
    client, application = documents_step
    response = _post(client, application, q_letter=upload("lettre.docx", hostile.docx_bomb(1024), DOCX_TYPE))
    content = response.content.decode()
    assert response.status_code == 200
    assert "lettre.docx: This file expands to more than 50.0\xa0MB when it is opened" in content
    assert_note_kept(response, application)
    assert not Document.objects.exists()  # nothing stored, so nothing for staff to download


def test_refused_annexes_are_named_and_the_valid_ones_of_the_same_post_are_kept(documents_step):
    client, application = documents_step
    response = _post(
        client,
        application,
        q_annexes=[
            upload("plan.pdf", pdf_bytes("site plan")),
            upload("script.pdf", hostile.pdf_with_open_action(hostile.JAVASCRIPT_ACTION)),
            upload("macro.docx", hostile.zip_of(hostile.docx_parts(main=hostile.DOCM_MAIN)), DOCX_TYPE),
            upload("empty.pdf", b""),
            upload("budget.xlsx", hostile.honest_xlsx(), uploads.XLSX.content_type),
        ],
    )
    content = response.content.decode()
    assert "script.pdf: This PDF contains JavaScript, so it was refused." in content
    assert "macro.docx: Documents with macros are not accepted." in content
    assert "empty.pdf: This file is empty." in content
    assert_note_kept(response, application)
    assert sorted(application.documents.values_list("original_name", flat=True)) == [
        "budget.xlsx",
        "plan.pdf",
    ]


def test_an_oversize_annex_is_named_and_the_valid_one_beside_it_is_stored(documents_step, settings):
    client, application = documents_step
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = pdf_bytes() + b"0" * (12 * 1024 * 1024)
    response = _post(client, application, q_annexes=[upload("plan.pdf", pdf_bytes()), upload("big.pdf", big)])
    content = response.content.decode()
    assert "big.pdf: This file is larger than 10.0\xa0MB. Please send a smaller file." in content
    assert_note_kept(response, application)
    assert list(application.documents.values_list("original_name", flat=True)) == ["plan.pdf"]


def test_two_oversize_annexes_are_each_named(documents_step, settings):
    client, application = documents_step
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    big = pdf_bytes() + b"0" * (2 * 1024 * 1024)
    response = _post(client, application, q_annexes=[upload("one.pdf", big), upload("two.pdf", big)])
    content = response.content.decode()
    assert "one.pdf: This file is larger than 1.0\xa0MB" in content
    assert "two.pdf: This file is larger than 1.0\xa0MB" in content
    assert not application.documents.exists()


def test_every_refusal_is_worded_in_french_too():
    from django.utils import translation

    from intake.file_inspection import Finding

    codes = [*uploads.FINDING_MESSAGES, "too_large_expanded", "compression_ratio", "not_office"]
    for code in codes:
        finding = Finding(code, ratio=100)
        english = uploads.finding_message(finding)
        with translation.override("fr"):
            french = uploads.finding_message(finding)
        assert french != english, code
    with translation.override("fr"):
        assert pdf_refusal(hostile.pdf_with_open_action(hostile.JAVASCRIPT_ACTION)) == (
            "Ce PDF contient du JavaScript : il a été refusé. "
            "Imprimez-le à nouveau en PDF, ou envoyez un scan."
        )
