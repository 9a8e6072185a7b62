"""Checking uploaded files: the content decides the type, never the name or the browser.

Allowed: PDF, DOCX, ODT, XLSX, PNG and JPEG. Office files are zip archives, so their
inner structure is read: every part is inflated under a cap, and macros are refused.
PDFs that run JavaScript, launch programs or carry embedded files are refused (see
``file_inspection``). Images must open with Pillow and carry no markup that a browser
could run. Sizes are capped while the request streams in (see
``SizeLimitUploadHandler``) and again here for files that arrive another way.
"""

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, UnidentifiedImageError

from .file_inspection import Finding, inspect_office_archive, inspect_pdf

CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple  # the first one is used when the name has none of them
    label: str
    key: str  # as a question's ``file_types`` names it (``intake.models.FileType``)


PDF = FileKind("application/pdf", (".pdf",), "PDF", "pdf")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "Word (DOCX)",
    "docx",
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel (XLSX)", "xlsx"
)
ODT = FileKind("application/vnd.oasis.opendocument.text", (".odt",), "OpenDocument text (ODT)", "odt")
PNG = FileKind("image/png", (".png",), "PNG", "png")
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"), "JPEG", "jpeg")
ALLOWED_KINDS = (PDF, DOCX, ODT, XLSX, PNG, JPEG)
ACCEPT_ATTRIBUTE = ",".join(ext for kind in ALLOWED_KINDS for ext in kind.extensions)


def kinds_for(keys):
    """The kinds a question accepts: those its ``file_types`` name, or every allowed kind."""
    wanted = set(keys or ())
    return tuple(kind for kind in ALLOWED_KINDS if kind.key in wanted) or ALLOWED_KINDS


def accept_attribute(kinds=ALLOWED_KINDS):
    """The file input's ``accept``: a hint for the browser's picker; the content still decides."""
    return ",".join(ext for kind in kinds for ext in kind.extensions)


def check_accepted(checked, kinds):
    """Refuse a file of an allowed kind that this question does not take."""
    if checked.kind not in kinds:
        raise UploadRefused(
            _("This question accepts only these types: %(types)s.") % {"types": allowed_types_text(kinds)}
        )


# Bytes that have no business in an image: a browser sniffing one of these would run it.
# Long markers only: short ones turn up by chance in the compressed data of large photos.
MARKUP_MARKERS = re.compile(
    rb"<(?:script|html|body|iframe|object|embed|svg[\s>/]|meta[\s>/]|!doctype|\?php)"
    rb"|javascript:|\bon(?:error|load)\s*=",
    re.IGNORECASE,
)


class UploadRefused(Exception):
    """The file cannot be accepted; ``message`` says why in words an applicant understands."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedFile:
    kind: FileKind
    size: int
    sha256: str
    display_name: str


def allowed_types_text(kinds=ALLOWED_KINDS):
    return ", ".join(kind.label for kind in kinds)


def too_large_message(limit=None):
    limit = limit or settings.UPLOAD_MAX_BYTES
    return _("This file is larger than %(limit)s. Please send a smaller file.") % {
        "limit": filesizeformat(limit)
    }


def named_refusal(name, reason):
    """A refusal that says which file it is about, for a field that took several."""
    return _("%(name)s: %(reason)s") % {"name": safe_base_name(name) or _("File"), "reason": reason}


SAVE_AGAIN = gettext_lazy("Please save it again normally, or send it as PDF.")
PRINT_AGAIN = gettext_lazy("Please print it again to PDF, or send a scan.")
# What each finding of ``file_inspection`` means for the person who sent the file.
FINDING_MESSAGES = {
    "damaged": gettext_lazy(
        "This document is damaged: its contents do not match its index. Please save it again."
    ),
    "encrypted": gettext_lazy("This document is protected by a password. Please send it without one."),
    "macros": gettext_lazy("Documents with macros are not accepted. Please save it without macros."),
    "pdf_javascript": gettext_lazy("This PDF contains JavaScript, so it was refused."),
    "pdf_launch": gettext_lazy("This PDF contains an action that starts a program, so it was refused."),
    "pdf_embedded_file": gettext_lazy(
        "This PDF has other files embedded in it, so it was refused. Please upload each file on its own."
    ),
    "pdf_encrypted": gettext_lazy(
        "This PDF is encrypted, so its contents cannot be checked. "
        "Please save or print it again without protection."
    ),
    "pdf_unreadable": gettext_lazy("This PDF is built in a way that cannot be checked, so it was refused."),
}
FOLLOWED_BY = {"pdf_javascript": PRINT_AGAIN, "pdf_launch": PRINT_AGAIN, "pdf_unreadable": PRINT_AGAIN}


def finding_message(finding):
    """The words for what ``file_inspection`` found inside a file."""
    if finding.code == "not_office":
        return not_accepted_message()
    if finding.code == "too_large_expanded":
        limit = filesizeformat(settings.UPLOAD_MAX_EXPANDED_BYTES)
        reason = _("This file expands to more than %(limit)s when it is opened, so it was refused.") % {
            "limit": limit
        }
        return f"{reason} {SAVE_AGAIN}"
    if finding.code == "compression_ratio":
        reason = _(
            "This file is compressed to an unusual degree (a part of it expands more than "
            "%(ratio)d times), so it was refused."
        ) % {"ratio": finding.detail["ratio"]}
        return f"{reason} {SAVE_AGAIN}"
    message = str(FINDING_MESSAGES[finding.code])
    if finding.code in FOLLOWED_BY:
        message = f"{message} {FOLLOWED_BY[finding.code]}"
    return message


def not_accepted_message():
    types = allowed_types_text()
    return _("This type of file is not accepted. Accepted types: %(types)s.") % {"types": types}


def check_upload(uploaded):
    """Inspect an uploaded file and return what it is, or raise ``UploadRefused``."""
    size, digest = _size_and_digest(uploaded)
    if size == 0:
        raise UploadRefused(_("This file is empty."))
    if size > settings.UPLOAD_MAX_BYTES:
        raise UploadRefused(too_large_message())
    kind = detect_kind(uploaded)
    return CheckedFile(
        kind=kind, size=size, sha256=digest, display_name=safe_display_name(uploaded.name, kind)
    )


def detect_kind(uploaded):
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    guess = filetype.guess(head)
    mime = guess.mime if guess else None
    refused = UploadRefused(not_accepted_message())
    if mime == PDF.content_type and head.startswith(b"%PDF-"):
        _check_pdf(uploaded)
        return PDF
    if mime in (PNG.content_type, JPEG.content_type):
        _check_image(uploaded, PNG if mime == PNG.content_type else JPEG)
        return PNG if mime == PNG.content_type else JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(uploaded, refused)
    raise refused


def _check_image(uploaded, kind):
    unreadable = UploadRefused(_("This image cannot be read. Please export it again as PNG or JPEG."))
    if _contains_markup(uploaded):
        raise UploadRefused(
            _("This image contains web page code and was refused. Please export it again as PNG or JPEG.")
        )
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            expected = "PNG" if kind is PNG else "JPEG"
            if image.format != expected:
                raise unreadable
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    finally:
        uploaded.seek(0)


def _contains_markup(uploaded):
    uploaded.seek(0)
    tail = b""
    try:
        while chunk := uploaded.read(CHUNK):
            if MARKUP_MARKERS.search(tail + chunk):
                return True
            tail = chunk[-64:]
    finally:
        uploaded.seek(0)
    return False


def _check_pdf(uploaded):
    uploaded.seek(0)
    try:
        inspect_pdf(uploaded.read(), max_expanded=settings.UPLOAD_MAX_EXPANDED_BYTES)
    except Finding as finding:
        raise UploadRefused(finding_message(finding)) from None
    finally:
        uploaded.seek(0)


def _office_kind(uploaded, refused):
    try:
        archive = inspect_office_archive(
            uploaded,
            max_expanded=settings.UPLOAD_MAX_EXPANDED_BYTES,
            max_ratio=settings.UPLOAD_MAX_COMPRESSION_RATIO,
        )
    except Finding as finding:
        raise UploadRefused(finding_message(finding)) from None
    finally:
        uploaded.seek(0)
    names = archive.names
    if "mimetype" in names:
        if archive.small_parts.get("mimetype", b"").strip() == ODT.content_type.encode():
            return ODT
        raise refused
    if "[Content_Types].xml" in names:
        if any(name.startswith("word/") for name in names):
            return DOCX
        if any(name.startswith("xl/") for name in names):
            return XLSX
    raise refused


def _size_and_digest(uploaded):
    digest = hashlib.sha256()
    size = 0
    uploaded.seek(0)
    for chunk in uploaded.chunks(CHUNK):
        size += len(chunk)
        if size > settings.UPLOAD_MAX_BYTES:
            uploaded.seek(0)
            return size, ""
        digest.update(chunk)
    uploaded.seek(0)
    return size, digest.hexdigest()


def safe_base_name(name):
    """The last part of a path, without control characters or leading dots (``../../x`` -> ``x``)."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name.strip().strip(".").strip()[:200]


def safe_display_name(name, kind):
    """A plain base name to show and to offer on download; the stored name is generated."""
    stem, extension = os.path.splitext(safe_base_name(name))
    stem = stem.strip().strip(".")[:120] or _("document")
    extension = extension.lower() if extension.lower() in kind.extensions else kind.extensions[0]
    return stem + extension


class SizeLimitUploadHandler(FileUploadHandler):
    """Drop a file as soon as it passes the size cap, before the rest of it arrives.

    The other fields and files of the form still arrive. Each dropped file is kept on
    ``request.refused_uploads`` (a ``MultiValueDict``: field name -> refusals naming the
    file), so the form can say which file was refused, and why, beside its field.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES
        self.received = 0
        if request is not None and not hasattr(request, "refused_uploads"):
            request.refused_uploads = MultiValueDict()

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                message = named_refusal(self.file_name, too_large_message(self.limit))
                self.request.refused_uploads.appendlist(self.field_name, message)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
