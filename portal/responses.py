"""Private files sent to the person allowed to have them: one set of headers for all.

A download is an attachment (never rendered as a page of the portal), never sniffed into
another type, and never kept by a shared cache. Part of the portal's base.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header


def _secure(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def private_file(field_file, *, filename, content_type):
    """A stored file as a download; a file missing from storage is a 404."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    return _secure(FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type))


def private_content(content, *, filename, content_type, inline=False):
    """Bytes made for this request (an export, a calendar file) as a download."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    return _secure(response)


def private_page(content, *, content_type):
    """A body shown in the browser that must not be sniffed or cached (a message's HTML)."""
    return _secure(HttpResponse(content, content_type=content_type))
