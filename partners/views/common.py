"""What the partnership's views share: file responses, form error messages, lists that page."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme


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


def back_to(request, list_url):
    """Where a form posted from a list returns: the list as it was (its filters and page)
    when the form says so, else the list's first page. Only that list's own URL is taken."""
    back = request.POST.get("back", "")
    if back.startswith(list_url + "?") and url_has_allowed_host_and_scheme(back, allowed_hosts=None):
        return back
    return list_url


def paginate(request, rows, per_page, *, param="page"):
    return Paginator(rows, per_page).get_page(request.GET.get(param))
