"""Builders for application tests: a call with one question of every kind, and real files."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from intake.models import QuestionKind

from .intake import CallFactory, MembershipFactory, QuestionFactory, SectionFactory


def call_with_questions(**call_fields):
    """Three steps: texts and numbers, choices and dates, documents."""
    call = CallFactory(**call_fields)
    about = SectionFactory(call=call, order=1, title_en="About the city")
    QuestionFactory(section=about, key="motivation", kind=QuestionKind.LONG_TEXT, max_length=200, order=1)
    QuestionFactory(
        section=about, key="officers", kind=QuestionKind.NUMBER, min_value=0, max_value=5000, order=2
    )
    QuestionFactory(section=about, key="efus_member", kind=QuestionKind.YES_NO, order=3)
    details = SectionFactory(call=call, order=2, title_en="Practices")
    QuestionFactory(
        section=details,
        key="english",
        kind=QuestionKind.SINGLE_CHOICE,
        choices=[{"value": "b1", "label_en": "B1"}, {"value": "c1", "label_en": "C1"}],
        order=1,
    )
    QuestionFactory(
        section=details,
        key="events",
        kind=QuestionKind.MULTIPLE_CHOICE,
        required=False,
        choices=[{"value": "sport", "label_en": "Sport"}, {"value": "music", "label_en": "Music"}],
        order=2,
    )
    QuestionFactory(section=details, key="signed_on", kind=QuestionKind.DATE, required=False, order=3)
    documents = SectionFactory(call=call, order=3, title_en="Documents")
    QuestionFactory(section=documents, key="letter", kind=QuestionKind.FILE, max_files=1, order=1)
    QuestionFactory(
        section=documents, key="annexes", kind=QuestionKind.FILE, required=False, max_files=15, order=2
    )
    QuestionFactory(
        section=documents, key="letter_note", kind=QuestionKind.SHORT_TEXT, required=False, order=3
    )
    return call


def applicant(organisation=None, **user_fields):
    """A verified applicant acting for ``organisation`` (a new one when not given)."""
    kwargs = {"organisation": organisation} if organisation else {}
    for name, value in user_fields.items():
        kwargs[f"user__{name}"] = value
    return MembershipFactory(**kwargs).user


def question(call, key):
    return call.sections.get(questions__key=key).questions.get(key=key)


# --- Files whose content is what a real one holds -----------------------------------------


def pdf_bytes(text="Letter of commitment"):
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _zip(entries, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])  # stored, first, as ODF requires
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def docx_bytes():
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def xlsx_bytes():
    return _zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})


def odt_bytes():
    return _zip(
        {"content.xml": "<office:document-content/>"},
        first=("mimetype", "application/vnd.oasis.opendocument.text"),
    )


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def fill_in(application, by):
    """Answer every question of ``call_with_questions`` and upload the letter."""
    from intake import services

    call = application.call
    values = {
        "motivation": "Our squares host markets, concerts and protests.",
        "officers": 120,
        "efus_member": True,
        "english": "b1",
    }
    services.save_answers(
        application,
        [services.AnswerChange(question(call, key), value) for key, value in values.items()],
        by=by,
    )
    services.add_document(application, question(call, "letter"), upload("letter.pdf", pdf_bytes()), by=by)
    return application
