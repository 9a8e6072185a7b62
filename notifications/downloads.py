"""Streaming an issued document to someone the domain app has already allowed to see it."""

from django.http import FileResponse


def document_response(document):
    """A download of ``document``: never rendered inline, never sniffed, never cached."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.filename,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
