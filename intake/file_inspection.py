"""Looking inside office archives and PDFs for what could harm the person who opens them.

Nothing here knows about forms or messages: each check raises ``Finding`` with a code,
and ``intake.uploads`` words the refusal. Every read is bounded: an archive is never
inflated past ``max_expanded`` bytes, whatever its index claims.
"""

import base64
import binascii
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

CHUNK = 64 * 1024


class Finding(Exception):
    """Why a file is refused; ``code`` names the reason, ``detail`` carries numbers for the message."""

    def __init__(self, code, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


# --- Office files (DOCX, XLSX: Office Open XML; ODT: OpenDocument) --------------------------

MAX_MEMBERS = 5000
# A small part may compress far better than 100 to 1 without harm (an empty style sheet);
# the ratio only counts for parts that expand to more than this.
RATIO_FLOOR = 1024 * 1024
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
LOCAL_HEADER_SIGNATURE = 0x04034B50
# Parts whose text decides the kind, and may be read in full.
SMALL_PARTS = ("mimetype", "[Content_Types].xml")
SMALL_PART_LIMIT = 1024 * 1024

# Macro code, however a document carries it.
MACRO_PARTS = re.compile(
    r"(?:^|/)vbaProject\.bin$|(?:^|/)vbaData\.xml$|^xl/macrosheets/|^(?:Basic|Scripts)/", re.IGNORECASE
)
MACRO_CONTENT_TYPES = re.compile(rb"macroEnabled|vbaProject|macrosheet", re.IGNORECASE)
# OpenDocument events that run a macro: <script:event-listener xlink:href="vnd.sun.star.script:...">.
ODF_SCRIPT_URL = re.compile(rb"vnd\.sun\.star\.script:", re.IGNORECASE)


@dataclass(frozen=True)
class OfficeArchive:
    names: frozenset
    small_parts: dict  # name -> bytes, for SMALL_PARTS present in the archive


def inspect_office_archive(fileobj, *, max_expanded, max_ratio):
    """Read every part of a zip-based office file, inflating at most ``max_expanded`` bytes in all.

    The sizes in the zip's index are checked first, so an honest bomb is refused without
    inflating anything; then every part is inflated from its raw bytes with a cap, so an
    index that lies about sizes is caught too. Raises ``Finding``.
    """
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise Finding("not_office") from None
    if len(infos) > MAX_MEMBERS:
        raise Finding("damaged")
    _check_declared_sizes(infos, max_expanded=max_expanded, max_ratio=max_ratio)
    names = frozenset(info.filename for info in infos)
    if any(MACRO_PARTS.search(name) for name in names):
        raise Finding("macros")
    budget = max_expanded
    small_parts = {}
    for info in infos:
        if info.is_dir():
            continue
        keep = info.filename in SMALL_PARTS
        scan_scripts = info.filename.lower().endswith(".xml") and "mimetype" in names
        if keep and info.file_size > SMALL_PART_LIMIT:
            raise Finding("damaged")
        kept, tail = bytearray(), b""
        for chunk in _inflate(fileobj, info, budget):
            if keep:
                kept += chunk
            if scan_scripts and ODF_SCRIPT_URL.search(tail + chunk):
                raise Finding("macros")
            tail = chunk[-32:]
        budget -= info.file_size  # what was inflated: _inflate refuses any other size
        if keep:
            small_parts[info.filename] = bytes(kept)
    if MACRO_CONTENT_TYPES.search(small_parts.get("[Content_Types].xml", b"")):
        raise Finding("macros")
    return OfficeArchive(names=names, small_parts=small_parts)


def _check_declared_sizes(infos, *, max_expanded, max_ratio):
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise Finding("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Finding("damaged")  # Office and OpenDocument write only these two
        total += info.file_size
        if total > max_expanded:
            raise Finding("too_large_expanded")
        if info.file_size > RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise Finding("compression_ratio", ratio=max_ratio)


def _inflate(fileobj, info, budget):
    """Yield the inflated bytes of one part, read from its raw data; never more than ``budget``.

    The output must end exactly where the index says, with the checksum it gives:
    anything else means the index lies, and the file is refused.
    """
    fileobj.seek(info.header_offset)
    header = fileobj.read(LOCAL_HEADER.size)
    if len(header) != LOCAL_HEADER.size or LOCAL_HEADER.unpack(header)[0] != LOCAL_HEADER_SIGNATURE:
        raise Finding("damaged")
    *_, name_length, extra_length = LOCAL_HEADER.unpack(header)
    fileobj.seek(info.header_offset + LOCAL_HEADER.size + name_length + extra_length)
    raw = _raw_chunks(fileobj, info.compress_size)
    chunks = _deflated(raw) if info.compress_type == zipfile.ZIP_DEFLATED else raw
    produced = crc = 0
    for chunk in chunks:
        produced += len(chunk)
        if produced > info.file_size:
            raise Finding("damaged")  # more than the index says: stop here, whatever follows
        if produced > budget:
            raise Finding("too_large_expanded")
        crc = zlib.crc32(chunk, crc)
        yield chunk
    if produced != info.file_size or crc != info.CRC:
        raise Finding("damaged")


def _raw_chunks(fileobj, size):
    while size > 0:
        data = fileobj.read(min(CHUNK, size))
        if not data:
            raise Finding("damaged")
        size -= len(data)
        yield data


def _deflated(raw):
    """Inflate a raw deflate stream a chunk at a time (``max_length``), so a bomb never lands in memory."""
    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for data in raw:
            while data and not decompressor.eof:
                yield decompressor.decompress(data, CHUNK)
                data = decompressor.unconsumed_tail
            if decompressor.eof:
                return
        while not decompressor.eof:  # output still held inside the decompressor
            out = decompressor.decompress(b"", CHUNK)
            if not out:
                break
            yield out
    except zlib.error:
        raise Finding("damaged") from None
    if not decompressor.eof:
        raise Finding("damaged")


# --- PDF -----------------------------------------------------------------------------------

# Names that make a PDF run code, start a program or carry other files.
PDF_FORBIDDEN_NAMES = {
    b"JS": "pdf_javascript",
    b"JavaScript": "pdf_javascript",
    b"Launch": "pdf_launch",
    b"EmbeddedFile": "pdf_embedded_file",
    b"EmbeddedFiles": "pdf_embedded_file",
}
# A name is a slash and the regular characters after it (PDF 32000-1, 7.3.5).
PDF_NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]*)")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# Outside stream bodies: where a comment, a literal string or a stream body begins.
PDF_OUTSIDE_EVENT = re.compile(rb"%|\(|(?<![A-Za-z])stream(?:\r\n|\n|\r)")
PDF_LINE_END = re.compile(rb"\r\n|\n|\r")
PDF_STRING_MARK = re.compile(rb"\\.|[()]", re.DOTALL)
# In a stream body, signs of objects the viewer may still read (placed there to hide them).
PDF_OBJECT_SIGNS = re.compile(rb"\d+\s+\d+\s+obj\b|trailer|xref")
PDF_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
PDF_PREDICTOR = re.compile(rb"/Predictor\s+(\d+)")


def pdf_name(raw):
    """A PDF name as the viewer reads it: ``J#61vaScript`` is ``JavaScript``."""
    return PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), raw)


def inspect_pdf(data, *, max_expanded):
    """Refuse (``Finding``) a PDF that runs JavaScript, launches a program or embeds files.

    The names are looked for in the file's own bytes, outside the bodies of its streams
    (images and fonts are binary, where a chance ``/JS`` would refuse honest scans), and
    inside every object stream, the compressed streams where a PDF 1.5 keeps its objects.
    """
    outside, streams = _pdf_parts(data)
    names = set().union(*(_names(part) for part in outside))
    _refuse_forbidden(names)
    encrypted = b"Encrypt" in names
    budget = max_expanded
    for dictionary, body in streams:
        stream_names = set(PDF_NAME.findall(dictionary))
        if b"ObjStm" in stream_names or {b"N", b"First"} <= stream_names:
            if encrypted:
                raise Finding("pdf_encrypted")  # its objects cannot be read without the key
            decoded = _decode_stream(body, dictionary, budget)
            budget -= len(decoded)
            _refuse_forbidden(_names(decoded))


def _pdf_parts(data):
    """The bytes outside stream bodies, and each stream as ``(dictionary, body)``.

    The word ``stream`` starts a body only where a viewer would read it as the keyword:
    not in a comment, not in a string. A body that holds what looks like objects, a
    trailer or a cross-reference table is read as outside bytes too: a viewer repairing
    the file would find them there.
    """
    outside, streams = [], []
    segment = position = 0
    while event := PDF_OUTSIDE_EVENT.search(data, position):
        if event[0] == b"%":
            line_end = PDF_LINE_END.search(data, event.end())
            position = line_end.end() if line_end else len(data)
            continue
        if event[0] == b"(":
            position = _string_end(data, event.start())
            continue
        end = data.find(b"endstream", event.end())
        if end < 0:  # a stream that never ends: nothing is skipped
            break
        before = data[segment : event.start()]
        outside.append(before)
        body = data[event.end() : end]
        if PDF_OBJECT_SIGNS.search(body):
            outside.append(body)
        streams.append((_stream_dictionary(before), body))
        segment = position = end
    outside.append(data[segment:])
    return outside, streams


def _string_end(data, start):
    """Where the literal string opening at ``start`` closes (strings nest; ``\\(`` is escaped)."""
    depth = 0
    for mark in PDF_STRING_MARK.finditer(data, start):
        if mark[0] == b"(":
            depth += 1
        elif mark[0] == b")":
            depth -= 1
            if depth == 0:
                return mark.end()
    return len(data)


def _refuse_forbidden(names):
    found = {PDF_FORBIDDEN_NAMES[name] for name in names if name in PDF_FORBIDDEN_NAMES}
    for code in ("pdf_javascript", "pdf_launch", "pdf_embedded_file"):
        if code in found:
            raise Finding(code)


def _names(data):
    return {pdf_name(raw) for raw in PDF_NAME.findall(data)}


def _stream_dictionary(before):
    """The dictionary of the stream that follows ``before`` (from its object's ``obj`` on), names decoded."""
    at = before.rfind(b"obj")
    text = before[at:] if at >= 0 else before[-4096:]
    return PDF_NAME.sub(lambda match: b"/" + pdf_name(match[1]), text)


def _decode_stream(body, dictionary, budget):
    match = PDF_FILTER.search(dictionary)
    filters = PDF_NAME.findall(match[1]) if match else []
    predictor = PDF_PREDICTOR.search(dictionary)
    if predictor and int(predictor[1]) > 1:
        raise Finding("pdf_unreadable")
    data = body
    for name in filters:
        if name == b"FlateDecode":
            data = _inflate_pdf(data, budget)
        elif name == b"ASCIIHexDecode":
            data = _ascii_hex(data)
        elif name == b"ASCII85Decode":
            data = _ascii_85(data)
        else:
            raise Finding("pdf_unreadable")  # no honest writer needs another filter here
        if len(data) > budget:
            raise Finding("too_large_expanded")
    return data


def _inflate_pdf(data, budget):
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):  # with a zlib header, or raw deflate
        try:
            decompressor = zlib.decompressobj(wbits)
            out = decompressor.decompress(data, budget + 1)
        except zlib.error:
            continue
        if len(out) > budget:
            raise Finding("too_large_expanded")
        return out
    raise Finding("pdf_unreadable")


def _ascii_hex(data):
    digits = re.sub(rb"\s", b"", data.split(b">", 1)[0])
    if len(digits) % 2:
        digits += b"0"
    try:
        return binascii.unhexlify(digits)
    except binascii.Error:
        raise Finding("pdf_unreadable") from None


def _ascii_85(data):
    text = data.strip()
    if text.endswith(b"~>"):
        text = text[:-2]
    try:
        return base64.a85decode(text, ignorechars=b" \t\n\r\x0c\x00")
    except ValueError:
        raise Finding("pdf_unreadable") from None
