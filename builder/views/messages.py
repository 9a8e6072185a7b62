"""Each email and letter of the call: its own opening in English and French, the values it
may insert, and a preview with sample data (the email's two parts, the letter's PDF)."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override

from intake.messages import MESSAGES, call_message_texts

from .. import previews
from ..forms import LettersForm, MessageTextForm, apply_refusal
from ..services import BuildRefused, change_message_text
from .common import call_or_404, page

PREVIEW_CSP = {
    "default-src": ["'none'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:"],
    "sandbox": [""],
    "frame-ancestors": ["'self'"],
}
PARTS = ("html", "text", "pdf")


def _message_or_404(kind):
    message = MESSAGES.get(kind)
    if message is None:
        raise Http404
    return message


@login_required
def message_list(request, slug):
    call = call_or_404(request, slug)
    texts = call_message_texts(call)
    rows = [{"message": message, "text": texts.get(kind)} for kind, message in MESSAGES.items()]
    return page(request, "builder/messages.html", call, "messages", {"rows": rows})


@login_required
def message_edit(request, slug, kind):
    call = call_or_404(request, slug)
    message = _message_or_404(kind)
    text = call_message_texts(call).get(kind)
    initial = {"text_en": text.text_en, "text_fr": text.text_fr} if text else {}
    form = MessageTextForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change_message_text(call, kind, by=request.user, **form.cleaned_data)
        except BuildRefused as refusal:
            apply_refusal(form, refusal)
        else:
            flash.success(request, _("The text of “%(message)s” is saved.") % {"message": message.label})
            return redirect("builder:message_edit", slug=call.slug, kind=kind)
    context = {"form": form, "message": message, "parts": ["pdf"] if message.is_letter else ["html", "text"]}
    return page(request, "builder/message_form.html", call, "messages", context)


def _typed(request, call, message):
    """The call as the preview shows it: with the text (and letter fields) typed, unsaved."""
    source = request.POST if request.method == "POST" else None
    texts = call_message_texts(call).get(message.kind)
    text_en = texts.text_en if texts else ""
    text_fr = texts.text_fr if texts else ""
    fields = {}
    if source is not None:
        form = MessageTextForm(source)
        if ("text_en" in source or "text_fr" in source) and form.is_valid():
            text_en, text_fr = form.cleaned_data["text_en"], form.cleaned_data["text_fr"]
        letter_form = LettersForm(source)
        if any(name in source for name in LettersForm.FIELDS) and letter_form.is_valid():
            fields = letter_form.cleaned_data
    return previews.draft_of(call, message.kind, text_en=text_en, text_fr=text_fr, fields=fields)


@login_required
@xframe_options_sameorigin
@csp_override(PREVIEW_CSP)
def message_preview(request, slug, kind):
    """The message with sample data, as its recipient would get it (in the page's frame).

    ``preview`` names the language and the part: ``fr-html``, ``en-text``, ``en-pdf``; without
    it, the page's language.
    """
    call = call_or_404(request, slug)
    message = _message_or_404(kind)
    source = request.POST if request.method == "POST" else request.GET
    language, _sep, part = (source.get("preview") or f"{request.LANGUAGE_CODE}-html").partition("-")
    language = language if language in ("en", "fr") else "en"
    part = part if part in PARTS else ("pdf" if message.is_letter else "html")
    draft = _typed(request, call, message)
    if message.is_letter:
        response = HttpResponse(
            previews.letter_preview(draft, kind, language), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="specimen-{kind}-{language}.pdf"'
    else:
        subject, text, html = previews.email_preview(draft, kind, language)
        if part == "text":
            body = f"{_('Subject')}: {subject}\n\n{text}"
            response = HttpResponse(body, content_type="text/plain; charset=utf-8")
        else:
            response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
