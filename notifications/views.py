"""The coordinator's outbox, the progress of bulk sending, and the public verification page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_POST

from portal.paging import keyset_page

from . import services
from .forms import OutboxFilterForm
from .labels import kind_label, scope_labels
from .models import IssuedDocument, Message, MessageStatus

PAGE_SIZE = 50
OUTBOX_ORDER = ["-created_at", "-id"]


def outbox_reader_only(view):
    """People who may read some of the outbox (coordinators of a call, administrators);
    anyone else is told the page does not exist."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("notifications.view_outbox"):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def message_or_404(request, queryset, pk):
    """The message, if this person may read it; a message of another call is a 404."""
    message = get_object_or_404(queryset, pk=pk)
    if not request.user.has_perm("notifications.view_message", message):
        raise Http404
    return message


@require_GET
@outbox_reader_only
def outbox(request):
    visible = Message.objects.visible_to(request.user)
    kinds = {kind: kind_label(kind) for kind in visible.kinds()}
    scopes = scope_labels(list(visible.scopes()))
    form = OutboxFilterForm(request.GET or None, kinds=kinds, scopes=scopes)
    filters = form.filters() if form.is_bound else {}
    page = keyset_page(request.GET, visible.for_outbox(**filters), OUTBOX_ORDER, per_page=PAGE_SIZE)
    for message in page.rows:
        message.kind_label = kinds.get(message.kind) or kind_label(message.kind)
        message.scope_label = scopes.get(message.scope, message.scope)
    return render(
        request,
        "notifications/outbox.html",
        {
            "form": form,
            "page": page,
            "progress_scope": filters.get("scope", ""),
            "progress_kind": filters.get("kind", ""),
        },
    )


@require_GET
@outbox_reader_only
def message_detail(request, pk):
    message = message_or_404(request, Message.objects.with_recipient_and_attachments(), pk)
    message.kind_label = kind_label(message.kind)
    message.scope_label = scope_labels([message.scope])[message.scope] if message.scope else ""
    return render(request, "notifications/message_detail.html", {"message": message})


# The HTML body as the recipient's client shows it: sandboxed, no script, nothing remote.
@require_GET
@outbox_reader_only
@csp_override(
    {
        "default-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
        "sandbox": [""],
        "frame-ancestors": ["'none'"],
    }
)
def message_html(request, pk):
    message = message_or_404(request, Message.objects.html_bodies(), pk)
    if message.is_confidential:
        raise Http404
    response = HttpResponse(message.body_html or "", content_type="text/html; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@outbox_reader_only
def message_resend(request, pk):
    message = message_or_404(request, Message, pk)
    try:
        services.resend_message(message, by=request.user)
    except services.ResendRefused:
        if message.is_confidential:
            messages.error(
                request,
                _(
                    "This message carried a personal link and cannot be sent again from here. "
                    "Send a new invitation instead: it replaces the old link."
                ),
            )
        else:
            messages.error(request, _("Only a failed message can be sent again."))
    else:
        messages.success(request, _("The message is queued to be sent again."))
    return redirect("notifications:message_detail", pk=message.pk)


@require_GET
@outbox_reader_only
def progress(request):
    """Counts by status for a scope; htmx polls this fragment until nothing is pending."""
    scope = request.GET.get("scope", "")
    kind = request.GET.get("kind", "")
    if scope and not request.user.has_perm("notifications.view_scope", scope):
        raise Http404
    try:
        expected = max(0, int(request.GET.get("expected", 0)))
    except ValueError:
        expected = 0
    counts = Message.objects.progress(scope, kind) if scope else {"total": 0}
    counts = {status: counts.get(status) or 0 for status in ["total", *MessageStatus.values]}
    total = max(expected, counts["total"])
    finished = counts[MessageStatus.SENT] + counts[MessageStatus.FAILED]
    context = {
        "scope": scope,
        "kind": kind,
        "expected": expected,
        "counts": counts,
        "total": total,
        "finished": finished,
        "done": bool(total) and finished >= total,
        "percent": round(100 * finished / total) if total else 0,
    }
    if request.htmx:
        return render(request, "notifications/_progress.html", context)
    context["scope_label"] = scope_labels([scope])[scope] if scope else ""
    return render(request, "notifications/progress.html", context)


@require_GET
def verify(request, code):
    """Public: is this letter genuine? Shows what its issuer chose to make public, nothing more."""
    normalised = "".join(character for character in code.upper() if character.isalnum())
    document = IssuedDocument.objects.verifiable(normalised)
    if document is None:
        return render(request, "notifications/verify_not_found.html", {"code": code[:40]}, status=404)
    return render(request, "notifications/verify.html", {"document": document})
