"""What the partnership's views share: file responses and form error messages."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse


def stream_file(field_file, *, filename, content_type):
    """A private file as an attachment that no browser runs as a page."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def bytes_response(content, *, filename, content_type, inline=False):
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def show_refusal(request, refused, form=None):
    """A service's refusal: the message on the page, its field errors beside the fields."""
    messages.error(request, refused.message)
    if form is not None:
        for name, error in refused.errors.items():
            form.add_error(name if name in form.fields else None, error)
