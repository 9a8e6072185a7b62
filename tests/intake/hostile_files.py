"""Real files, honest and hostile: office documents as Word, Excel and LibreOffice write
them, zip bombs, PDFs that run JavaScript. Built byte by byte so each test shows what it sends."""

import functools
import io
import struct
import zipfile
import zlib

MiB = 1024 * 1024
GiB = 1024 * MiB

# --- Honest office files ------------------------------------------------------------------

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "</Types>"
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
DOCX_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCX_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)


def docx_parts(text="The city of Ghent commits to take part in PACTESUR 2.", main=DOCX_MAIN):
    return {
        "[Content_Types].xml": DOCX_CONTENT_TYPES.format(main=main),
        "_rels/.rels": DOCX_RELS,
        "word/document.xml": DOCX_DOCUMENT.format(text=text),
    }


def zip_of(parts, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1])  # stored, first, as ODF requires
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def honest_docx():
    return zip_of(docx_parts())


def honest_xlsx():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Event", "Visitors"])
    for day in range(1, 200):
        sheet.append([f"Market day {day}", 1000 + day])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ODT_MIMETYPE = "application/vnd.oasis.opendocument.text"
ODT_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
    'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
    f'manifest:media-type="{ODT_MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
ODT_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">'
    "{scripts}<office:body><office:text><text:p>Lettre d'engagement de la ville de Liège</text:p>"
    "</office:text></office:body></office:document-content>"
)
# A document event that runs a macro when the document opens.
ODT_ON_LOAD_MACRO = (
    '<office:scripts><office:event-listeners><script:event-listener script:language="ooo:script" '
    'script:event-name="office:load" '
    'xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;location=document"/>'
    "</office:event-listeners></office:scripts>"
)


def odt_parts(scripts=""):
    return {"META-INF/manifest.xml": ODT_MANIFEST, "content.xml": ODT_CONTENT.format(scripts=scripts)}


def honest_odt():
    return zip_of(odt_parts(), first=("mimetype", ODT_MIMETYPE))


# --- Zip bombs -------------------------------------------------------------------------------


@functools.cache
def deflated_zeros(mebibytes):
    """A raw deflate stream of ``mebibytes`` MiB of zeros, about a thousandth of that in size.

    Each MiB is compressed after a full flush, so every block is the same bytes and the
    stream is built by repetition instead of compressing a gibibyte.
    """
    zeros = bytes(MiB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(zeros, crc)
    return block * mebibytes + compressor.flush(), crc


def raw_zip(entries):
    """A zip written by hand: ``entries`` are ``(name, data, method, crc, declared_size)``, so
    the index may say whatever a hostile file says."""
    body = bytearray()
    directory = bytearray()
    for name, data, method, crc, size in entries:
        encoded = name.encode()
        offset = len(body)
        body += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 33, crc, len(data), size, len(encoded), 0
        )
        body += encoded + data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50, 20, 20, 0, method, 0, 33, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        directory += encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(body), 0)
    return bytes(body + directory + end)


def _honest_entries(parts):
    entries = []
    for name, text in parts.items():
        data = text.encode()
        compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
        deflated = compressor.compress(data) + compressor.flush()
        entries.append((name, deflated, zipfile.ZIP_DEFLATED, zlib.crc32(data), len(data)))
    return entries


def docx_bomb(mebibytes, *, declared=None, member="word/media/image1.bmp"):
    """A DOCX with one part of ``mebibytes`` MiB of zeros; ``declared`` is the size its index
    claims for it (the truth when not given), with the checksum of that many zeros."""
    data, crc = deflated_zeros(mebibytes)
    size = mebibytes * MiB
    if declared is not None:
        size, crc = declared, zlib.crc32(bytes(declared))
    return raw_zip([*_honest_entries(docx_parts()), (member, data, zipfile.ZIP_DEFLATED, crc, size)])


# --- PDFs ------------------------------------------------------------------------------------

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
TEXT = b"BT /F1 12 Tf 72 770 Td (Letter of commitment) Tj ET"


def stream(content, dictionary=b""):
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def pdf(objects, *, trailer=b""):
    """A PDF with a classic cross-reference table; object 1 is the catalog."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def honest_pdf():
    return pdf([CATALOG, PAGES, PAGE, stream(TEXT)])


def pdf_with_open_action(action):
    """A PDF whose catalog runs ``action`` (object 5) as soon as it is opened."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>"
    return pdf([catalog, PAGES, PAGE, stream(TEXT), action])


JAVASCRIPT_ACTION = b"<< /Type /Action /S /JavaScript /JS (app.alert\\('Hello from the PDF'\\);) >>"
HEX_ESCAPED_JAVASCRIPT_ACTION = b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\);) >>"
LAUNCH_ACTION = b"<< /Type /Action /S /Launch /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>"


def pdf_with_embedded_file():
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >> >>"
    filespec = b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>"
    embedded = stream(b"MZ\x90\x00", b"/Type /EmbeddedFile")
    return pdf([catalog, PAGES, PAGE, stream(TEXT), filespec, embedded])


def pdf_with_object_stream(*, open_action=None, filters=(b"/FlateDecode",)):
    """A PDF 1.5 whose catalog (and ``open_action``) sit compressed in an object stream,
    indexed by a cross-reference stream, as Word and Acrobat write them."""
    catalog = b"<< /Type /Catalog /Pages 2 0 R" + (b" /OpenAction 5 0 R" if open_action else b"") + b" >>"
    compressed = [(1, catalog), (2, PAGES), (3, PAGE)] + ([(5, open_action)] if open_action else [])
    index, bodies = [], b""
    for number, body in compressed:
        index.append(b"%d %d" % (number, len(bodies)))
        bodies += body + b"\n"
    header = b" ".join(index) + b"\n"
    content = header + bodies
    for name in reversed(filters):
        if name == b"/FlateDecode":
            content = zlib.compress(content)
        elif name == b"/ASCIIHexDecode":
            content = content.hex().encode() + b">"
    filter_entry = b"/Filter [" + b" ".join(filters) + b"]" if filters else b""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    offsets[4] = len(out)
    out += b"4 0 obj\n" + stream(TEXT) + b"\nendobj\n"
    offsets[6] = len(out)
    objstm = stream(
        content, b"/Type /ObjStm /N %d /First %d " % (len(compressed), len(header)) + filter_entry
    )
    out += b"6 0 obj\n" + objstm + b"\nendobj\n"
    offsets[7] = len(out)
    rows = [b"\x00\x00\x00\xff"]  # object 0: free
    in_stream = {number: position for position, (number, _) in enumerate(compressed)}
    for number in range(1, 8):
        if number in in_stream:
            rows.append(b"\x02" + struct.pack(">H", 6) + bytes([in_stream[number]]))
        elif number in offsets:
            rows.append(b"\x01" + struct.pack(">H", offsets[number]) + b"\x00")
        else:
            rows.append(b"\x00\x00\x00\x00")
    xref = b"".join(rows)
    out += b"7 0 obj\n" + stream(xref, b"/Type /XRef /Size 8 /W [1 2 1] /Root 1 0 R") + b"\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[7]
    return bytes(out)


def pdf_with_image_holding(data):
    """A PDF whose page shows an image XObject with ``data`` as its (binary) samples."""
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>"
    )
    image_dictionary = b"/Type /XObject /Subtype /Image /Width %d /Height 1 /ColorSpace /DeviceGray" % len(
        data
    )
    image = stream(data, image_dictionary + b" /BitsPerComponent 8")
    return pdf([CATALOG, PAGES, page, stream(b"q 100 0 0 10 72 700 cm /Im0 Do Q"), image])


# The word "stream" where a viewer does not read it as a keyword, so that a scanner that
# skips stream bodies by searching for the word would skip the live action after it.
JAVASCRIPT_AFTER_STREAM_IN_COMMENT = b"% >>stream\n" + JAVASCRIPT_ACTION + b"\n% endstream"
JAVASCRIPT_AFTER_STREAM_IN_STRING = (
    b"<< /Type /Action /T (\n>>stream\n) /S /JavaScript /JS (app.alert\\(1\\);) >>\n% endstream"
)
