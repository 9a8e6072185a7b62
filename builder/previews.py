"""Each email and letter of a call as it would be sent, with sample data, before anything is saved.

The contexts mirror what the services that send them put in (``intake.services``,
``intake.reminders``, ``reviews.services``, ``reviews.letters``); the rendering is the
real one (``notifications.services.render_email``, ``reviews.letters.render_letter``).
Nothing here is stored, queued or sent.
"""

import copy
import datetime as dt
from types import SimpleNamespace

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intake import messages
from intake.models import Application, CallMessageText, MessageKind, Organisation, OrganisationKind
from notifications.services import render_email
from portal.models import User
from reviews import letters
from reviews.models import Decision, Outcome

LETTER_OUTCOMES = {
    MessageKind.LETTER_SELECTED: Outcome.SELECTED,
    MessageKind.LETTER_RESERVE: Outcome.RESERVE,
    MessageKind.LETTER_NOT_SELECTED: Outcome.NOT_SELECTED,
}
EMAIL_OUTCOMES = {
    MessageKind.DECISION_SELECTED: Outcome.SELECTED,
    MessageKind.DECISION_RESERVE: Outcome.RESERVE,
    MessageKind.DECISION_NOT_SELECTED: Outcome.NOT_SELECTED,
}


def draft_of(call, kind=None, *, text_en="", text_fr="", fields=None):
    """A copy of ``call`` carrying texts typed but not saved (never saved itself)."""
    draft = copy.copy(call)
    draft.__dict__ = dict(call.__dict__)
    for name, value in (fields or {}).items():
        setattr(draft, name, value)
    texts = dict(messages.call_message_texts(call))
    if kind is not None:
        texts[kind] = CallMessageText(call=call, kind=kind, text_en=text_en, text_fr=text_fr)
    draft.__dict__["_message_texts"] = texts
    return draft


def sample_application(call, language):
    """A fictitious applicant of ``call``: the values its messages may insert."""
    with translation.override(language):
        city = _("Example City")
    country = (call.eligible_countries or ["BE"])[0]
    organisation = Organisation(
        name=city, country=country, kind=OrganisationKind.MUNICIPALITY, address=_("1 Town Hall Square")
    )
    now = timezone.now()
    year = timezone.localtime(now, call.tzinfo).year
    contact = User(email="contact@example.org", full_name=_("Alex Example"), language=language)
    return Application(
        call=call,
        organisation=organisation,
        reference=f"{call.reference_prefix}-{year}-0007",
        number=7,
        submitted_at=now,
        submitted_by=contact,
    )


def _decision(application, outcome):
    reasons = (
        _("The evaluation committee's reasons, as the selection gives them.")
        if outcome != Outcome.SELECTED
        else ""
    )
    return Decision(
        application=application,
        outcome=outcome,
        rank=7,
        reserve_position=2 if outcome == Outcome.RESERVE else None,
        reasons=reasons,
        decided_at=timezone.now(),
    )


def _email_context(call, kind, application):
    """What the service sending ``kind`` puts in the email's context."""
    now = timezone.now()
    url = settings.SITE_URL + reverse("portal:home")
    if kind in EMAIL_OUTCOMES:
        decision = _decision(application, EMAIL_OUTCOMES[kind])
        values = messages.applicant_values(
            application,
            project=messages.project_name(call),
            reply_deadline=messages.on_day(call, call.reply_deadline),
            position=decision.reserve_position or "",
        )
        return {
            "application": application,
            "call": call,
            "organisation": application.organisation,
            "decision": decision,
            "reasons": decision.reasons,
            "opening": messages.opening(call, kind, values),
        }
    if kind == MessageKind.SUBMISSION_CONFIRMATION:
        values = messages.applicant_values(application, submitted_at=messages.in_call_time(call, now))
        return {
            "opening": messages.opening(call, kind, values),
            "reference": application.reference,
            "organisation_name": application.organisation.name,
            "call_title": messages.call_title(call),
            "submitted_at": now,
            "call_timezone": call.timezone,
            "application_url": url,
        }
    if kind == MessageKind.WITHDRAWAL_CONFIRMATION:
        return {
            "opening": messages.opening(call, kind, messages.applicant_values(application)),
            "reference": application.reference,
            "organisation_name": application.organisation.name,
            "call": call,
            "withdrawn_at": now,
            "call_timezone": call.timezone,
        }
    if kind == MessageKind.DEADLINE_REMINDER:
        values = {
            "call": messages.call_title(call),
            "city": application.organisation.name,
            "closes_at": messages.in_call_time(call, call.closes_at),
            "days": 7,
        }
        return {
            "opening": messages.opening(call, kind, values),
            "call": call,
            "organisation_name": application.organisation.name,
            "days": 7,
            "closes_at": timezone.localtime(call.closes_at, call.tzinfo),
            "call_timezone": call.timezone,
            "application_url": url,
        }
    if kind == MessageKind.INELIGIBLE:
        return {
            "application": application,
            "call": call,
            "organisation": application.organisation,
            "reason": _("The reason the coordinators give, as they write it."),
            "opening": messages.opening(call, kind, messages.applicant_values(application)),
        }
    if kind == MessageKind.REVIEW_REMINDER:
        deadline = call.closes_at + dt.timedelta(days=21)
        values = {
            "call": messages.call_title(call),
            "count": 3,
            "review_deadline": messages.in_call_time(call, deadline),
        }
        return {
            "opening": messages.opening(call, kind, values),
            "call": call,
            "count": 3,
            "deadline": timezone.localtime(deadline, call.tzinfo),
            "call_timezone": call.timezone,
            "url": url,
        }
    raise ValueError(f"No preview for {kind!r}")


def email_preview(call, kind, language):
    """``(subject, text, html)`` of ``kind`` of email for a sample applicant, in ``language``."""
    application = sample_application(call, language)
    context = _email_context(call, kind, application)
    recipient = SimpleNamespace(full_name=application.submitted_by.full_name, email="contact@example.org")
    message = messages.MESSAGES[kind]
    return render_email(message.template, {**context, "recipient": recipient}, language)


def letter_preview(call, kind, language):
    """The PDF of ``kind`` of letter for a sample applicant, marked as a specimen."""
    application = sample_application(call, language)
    decision = _decision(application, LETTER_OUTCOMES[kind])
    return letters.render_letter(decision, language=language, verification_code="SPECIMEN")
