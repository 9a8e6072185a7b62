"""Streaming an issued document to someone the domain app has already allowed to see it."""

from portal.responses import private_file


def document_response(document):
    """A download of ``document``: never rendered inline, never sniffed, never cached."""
    return private_file(document.file, filename=document.filename, content_type="application/pdf")
