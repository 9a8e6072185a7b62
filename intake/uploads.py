"""Checking uploaded files: the content decides the type, never the name or the browser.

Allowed: PDF, DOCX, ODT, XLSX, PNG and JPEG. Office files are zip archives, so their
inner structure is read; images must open with Pillow and carry no markup that a
browser could run. Sizes are capped while the request streams in (see
``SizeLimitUploadHandler``) and again here for files that arrive another way.
"""

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

CHUNK = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple  # the first one is used when the name has none of them
    label: str


PDF = FileKind("application/pdf", (".pdf",), "PDF")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "Word (DOCX)"
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "Excel (XLSX)"
)
ODT = FileKind("application/vnd.oasis.opendocument.text", (".odt",), "OpenDocument text (ODT)")
PNG = FileKind("image/png", (".png",), "PNG")
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"), "JPEG")
ALLOWED_KINDS = (PDF, DOCX, ODT, XLSX, PNG, JPEG)
ACCEPT_ATTRIBUTE = ",".join(ext for kind in ALLOWED_KINDS for ext in kind.extensions)

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


def allowed_types_text():
    return ", ".join(kind.label for kind in ALLOWED_KINDS)


def too_large_message(limit=None):
    limit = limit or settings.UPLOAD_MAX_BYTES
    return _("This file is larger than %(limit)s. Please send a smaller file.") % {
        "limit": filesizeformat(limit)
    }


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
    refused = UploadRefused(
        _("This type of file is not accepted. Accepted types: %(types)s.") % {"types": allowed_types_text()}
    )
    if mime == PDF.content_type and head.startswith(b"%PDF-"):
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


def _office_kind(uploaded, refused):
    try:
        uploaded.seek(0)
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).strip()
                if declared == ODT.content_type.encode():
                    return ODT
                raise refused
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as entry:
                    content_types = entry.read(256 * 1024)
                if b"macroEnabled" in content_types:
                    raise UploadRefused(
                        _("Documents with macros are not accepted. Please save it without macros.")
                    )
                if any(name.startswith("word/") for name in names):
                    return DOCX
                if any(name.startswith("xl/") for name in names):
                    return XLSX
            raise refused
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError):
        raise refused from None
    finally:
        uploaded.seek(0)


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

    The other fields of the form still arrive; the refused field names are kept on
    ``request.refused_uploads`` so the form can say why beside the field.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = settings.UPLOAD_MAX_BYTES
        self.received = 0
        if request is not None and not hasattr(request, "refused_uploads"):
            request.refused_uploads = {}

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            if self.request is not None:
                self.request.refused_uploads[self.field_name] = too_large_message(self.limit)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None
