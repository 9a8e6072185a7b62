"""A call's own openings for its emails and letters.

Each message a call sends opens with a standard paragraph; the call's coordinators may
write their own, in English and French (``CallMessageText``). An empty text keeps the
standard one, language by language. The text is the portal's markup and may insert the
values its message offers (``{city}``, ``{reference}``…), each filled in escaped by the
markup filter: a city's name never becomes a link or a tag, and nothing is ever
evaluated as a template.

The services that queue a message put ``opening(call, kind, values)`` in its context; the
template shows ``opening.text|markup:opening.values`` (``markup_text`` in the text part)
when the call wrote one, its standard paragraph otherwise.
"""

from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from portal import formatting
from portal.translation import language_code

from .models import CallMessageText, MessageKind

EMAIL, LETTER = "email", "letter"

# What each value names, shown beside the texts that may insert it.
VALUES = {
    "call": _("the call's title"),
    "city": _("the name of the applying organisation"),
    "country": _("its country"),
    "reference": _("the application's reference"),
    "project": _("the project's name, as the letters give it"),
    "submitted_at": _("when the application was submitted"),
    "closes_at": _("when the call closes"),
    "days": _("how many days are left before the call closes"),
    "position": _("its position on the reserve list"),
    "reply_deadline": _("the date by which a selected city accepts or declines its place"),
    "review_deadline": _("the review deadline"),
    "count": _("how many of the evaluator's reviews are still open"),
}

APPLICANT_VALUES = ("call", "city", "reference")


@dataclass(frozen=True)
class Message:
    kind: str
    channel: str  # EMAIL or LETTER
    template: str  # the email's template (without its suffix) or the letter's
    values: tuple  # the names it may insert
    to_evaluators: bool = False

    @property
    def label(self):
        return MessageKind(self.kind).label

    @property
    def is_letter(self):
        return self.channel == LETTER

    def value_help(self):
        return [(name, VALUES[name]) for name in self.values]


MESSAGES = {
    message.kind: message
    for message in (
        Message(
            MessageKind.SUBMISSION_CONFIRMATION,
            EMAIL,
            "intake/emails/submission_confirmation",
            (*APPLICANT_VALUES, "submitted_at"),
        ),
        Message(
            MessageKind.WITHDRAWAL_CONFIRMATION,
            EMAIL,
            "intake/emails/withdrawal_confirmation",
            APPLICANT_VALUES,
        ),
        Message(
            MessageKind.DEADLINE_REMINDER,
            EMAIL,
            "intake/emails/deadline_reminder",
            ("call", "city", "closes_at", "days"),
        ),
        Message(MessageKind.INELIGIBLE, EMAIL, "reviews/emails/ineligible", APPLICANT_VALUES),
        Message(
            MessageKind.DECISION_SELECTED,
            EMAIL,
            "reviews/emails/decision_selected",
            (*APPLICANT_VALUES, "project", "reply_deadline"),
        ),
        Message(
            MessageKind.DECISION_RESERVE,
            EMAIL,
            "reviews/emails/decision_reserve",
            (*APPLICANT_VALUES, "project", "position"),
        ),
        Message(
            MessageKind.DECISION_NOT_SELECTED,
            EMAIL,
            "reviews/emails/decision_not_selected",
            (*APPLICANT_VALUES, "project"),
        ),
        Message(
            MessageKind.REVIEW_REMINDER,
            EMAIL,
            "reviews/emails/review_reminder",
            ("call", "count", "review_deadline"),
            to_evaluators=True,
        ),
        Message(
            MessageKind.LETTER_SELECTED,
            LETTER,
            "reviews/letters/acceptance.html",
            (*APPLICANT_VALUES, "project", "country", "reply_deadline"),
        ),
        Message(
            MessageKind.LETTER_RESERVE,
            LETTER,
            "reviews/letters/reserve.html",
            (*APPLICANT_VALUES, "project", "country", "position"),
        ),
        Message(
            MessageKind.LETTER_NOT_SELECTED,
            LETTER,
            "reviews/letters/not_selected.html",
            (*APPLICANT_VALUES, "project", "country"),
        ),
    )
}


class Opening:
    """A call's opening for one message, in the language the message is rendered in.

    False when the call wrote none in that language: the template then keeps its
    standard paragraph. ``values`` fill the placeholders (lazy ones are read at rendering,
    in the message's language).
    """

    def __init__(self, text_en="", text_fr="", values=None):
        self.texts = {"en": text_en or "", "fr": text_fr or ""}
        self.values = values or {}

    def text(self):
        return self.texts.get(language_code(), "")

    def __bool__(self):
        return bool(self.text().strip())

    def __str__(self):
        return self.text()


def call_message_texts(call):
    """``{kind: CallMessageText}`` of the call, read once per call object."""
    cached = call.__dict__.get("_message_texts")
    if cached is None:
        cached = {text.kind: text for text in CallMessageText.objects.filter(call_id=call.pk)}
        call.__dict__["_message_texts"] = cached
    return cached


def forget_message_texts(call):
    call.__dict__.pop("_message_texts", None)


def opening(call, kind, values):
    """What ``kind`` of message opens with for ``call`` (see ``Opening``)."""
    text = call_message_texts(call).get(kind)
    allowed = MESSAGES[kind].values
    values = {name: value for name, value in values.items() if name in allowed}
    if text is None:
        return Opening(values=values)
    return Opening(text.text_en, text.text_fr, values)


def _in_call_time(call, moment):
    return formatting.when(moment, call)


def _on_day(call, moment):
    return formatting.day(moment, call)


def in_call_time(call, moment):
    """A date and time in the call's zone, written in the language of the message (lazily)."""
    if moment is None:
        return ""
    return lazy(_in_call_time, str)(call, moment)


def on_day(call, moment):
    """A date in the call's zone, written in the language of the message (lazily)."""
    if moment is None:
        return ""
    return lazy(_on_day, str)(call, moment)


def call_title(call):
    return lazy(lambda: call.title, str)()


def project_name(call):
    """The project as messages name it: the call's letters' name for it, else its acronym."""
    return call.project_name or call.project.acronym


def applicant_values(application, **extra):
    """The values a message about ``application`` may insert, besides ``extra``."""
    call = application.call
    return {
        "call": call_title(call),
        "city": application.organisation.name,
        "reference": application.reference or "",
        **extra,
    }
