"""Small real PDFs for the demo's uploads (letters of commitment)."""

import unicodedata

from demo.accounts import ASCII_FALLBACK


def commitment_letter_pdf(city, country):
    """A one-page PDF: the (fictitious) letter of commitment of ``city``."""
    lines = [
        "Letter of commitment - PACTESUR 2",
        "",
        f"The city of {city} ({country}) commits to take part in the activities of PACTESUR 2:",
        "the three police academies in Nice, Madrid and Turin, the two public-private security",
        "workshops in Liege and Nice, and the final event in Brussels.",
        "",
        "Signed: the Mayor",
        "",
        "FICTITIOUS DEMO DATA - this is not a real letter.",
    ]
    return minimal_pdf(lines)


def pdf_text(text):
    encoded = bytearray()
    for char in text:
        try:
            encoded += char.encode("cp1252")
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char.translate(ASCII_FALLBACK))
            encoded += base.encode("ascii", "ignore") or b"?"
    return bytes(encoded).replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def minimal_pdf(lines):
    """A valid single-page PDF of text lines in Helvetica; no library needed."""
    content = b"BT /F1 12 Tf 72 770 Td 16 TL " + b" ".join(b"(" + pdf_text(line) + b") '" for line in lines)
    content += b" ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
