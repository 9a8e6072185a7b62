"""Decision letters: what each letter says, issuing them (one worker task per letter), and
bringing each letter to the decision emails that wait for it.

The PDF machinery is the notifications app's (``issue_document``); this module supplies the
domain: the addressee, the outcome, and the call's text blocks.
"""

import logging

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from intake import messages
from intake.models import MessageKind
from intake.receipts import subject_key
from notifications.models import IssuedDocument
from notifications.pdf import render_pdf
from notifications.services import attach_document_to_waiting, issue_document, publish_many
from portal import formatting
from portal.audit import record
from portal.formatting import country_name

from .models import Decision, Outcome

logger = logging.getLogger(__name__)

LETTER_KIND = "decision_letter"
# The task that issues one letter, by the name it declares (reviews/tasks.py).
LETTER_TASK = "reviews.tasks.issue_decision_letter"

# The call's own opening of each letter (``intake.messages``).
LETTER_MESSAGES = {
    Outcome.SELECTED: MessageKind.LETTER_SELECTED,
    Outcome.RESERVE: MessageKind.LETTER_RESERVE,
    Outcome.NOT_SELECTED: MessageKind.LETTER_NOT_SELECTED,
}

TEMPLATES = {
    Outcome.SELECTED: "reviews/letters/acceptance.html",
    Outcome.RESERVE: "reviews/letters/reserve.html",
    Outcome.NOT_SELECTED: "reviews/letters/not_selected.html",
}

# The standard texts of the letters, used where the call leaves a field empty.
LETTER_TEXTS = {
    "sender": {
        "en": "European Forum for Urban Security (Efus)",
        "fr": "Forum européen pour la sécurité urbaine (Efus)",
    },
    "sender_short": "Efus",
    "sender_address": "10 rue des Montiboeufs, 75020 Paris, France",
    "project": "PACTESUR 2",
    "signatory_name": "",
    "signatory_title": {"en": "Executive Director", "fr": "Directrice exécutive"},
    "activities": {
        "en": [
            "the three police academies, in Nice, Madrid and Turin, where the local police officers "
            "your city designates train with their peers on protecting public spaces;",
            "the public–private security workshops in Liège and Nice, bringing together local "
            "authorities, private security providers and event organisers;",
            "the project's final event in Brussels, where the associated cities present what they "
            "have put in place.",
        ],
        "fr": [
            "les trois académies de police, à Nice, Madrid et Turin, où les agents de police "
            "municipale désignés par votre ville se forment avec leurs pairs à la protection des "
            "espaces publics ;",
            "les ateliers sur la sécurité public-privé à Liège et à Nice, qui réunissent autorités "
            "locales, prestataires de sécurité privée et organisateurs d'événements ;",
            "l'événement final du projet à Bruxelles, où les villes associées présentent ce "
            "qu'elles ont mis en place.",
        ],
    },
}


def letter_language(decision):
    """The language of the person who submitted the application, else the portal's."""
    return decision.letter_language


def _contact(application):
    if application.submitted_by:
        return application.submitted_by
    return application.organisation.members.order_by("memberships__joined_at").first()


def letter_context(decision, language, *, issued_at=None):
    application = decision.application
    call = application.call
    organisation = application.organisation
    issued_at = timezone.localtime(issued_at or timezone.now(), call.tzinfo)
    texts = call_letter_texts(call, language)
    with translation.override(language):
        country = country_name(organisation.country)
        return {
            "decision": decision,
            "outcome": decision.outcome,
            "application": application,
            "reference": application.reference,
            "call": call,
            "call_title": call.localized("title", language),
            "organisation": organisation,
            "country_name": country,
            "contact": _contact(application),
            "date": formatting.day(issued_at),
            "reasons": decision.reasons_in(language),
            "reserve_position": decision.reserve_position,
            "texts": LETTER_TEXTS,
            "sender": _in(LETTER_TEXTS["sender"], language),
            "document_title": letter_title(decision, language),
            **texts,
            "opening": messages.opening(
                call,
                LETTER_MESSAGES[decision.outcome],
                messages.applicant_values(
                    application,
                    project=texts["project"],
                    country=country,
                    position=decision.reserve_position or "",
                    reply_deadline=messages.on_day(call, call.reply_deadline),
                ),
            ),
        }


def call_letter_texts(call, language):
    """The call's own texts for its letters, the standard ones where a field is empty."""
    role = call.localized("associated_role", language)
    return {
        "project": call.project_name or LETTER_TEXTS["project"],
        "activities": _lines(role) if role else _in(LETTER_TEXTS["activities"], language),
        "signatory_name": call.signatory_name or LETTER_TEXTS["signatory_name"],
        "signatory_title": call.localized("signatory_role", language)
        or _in(LETTER_TEXTS["signatory_title"], language),
        "funding_statement": call.localized("funding_statement", language),
        "funding_disclaimer": call.localized("funding_disclaimer", language),
    }


def _lines(text):
    """One activity per line; list markers typed by the coordinator are dropped."""
    return [line.strip().lstrip("-•*").strip() for line in text.splitlines() if line.strip()]


def _in(texts, language):
    """A text block in ``language``, English when it has no translation."""
    return texts.get(language) or texts["en"]


def letter_title(decision, language):
    with translation.override(language):
        titles = {
            Outcome.SELECTED: _("Acceptance letter"),
            Outcome.RESERVE: _("Reserve list letter"),
            Outcome.NOT_SELECTED: _("Decision letter"),
        }
        return f"{titles[decision.outcome]} – {decision.application.reference}"


def load_decision(decision_id):
    return Decision.objects.select_related(
        "application__call", "application__organisation", "application__submitted_by", "decided_by"
    ).get(pk=decision_id)


def render_letter(decision, *, language=None, verification_code="SPECIMEN"):
    """The letter as it would be issued now, without storing it (operators checking a template)."""
    language = language or letter_language(decision)
    context = letter_context(decision, language)
    context |= {"verification_code": verification_code, "verification_url": ""}
    return render_pdf(
        TEMPLATES[decision.outcome],
        context,
        language=language,
        title=context["document_title"],
        author=context["sender"],
    )


def issue_decision_letter(decision, *, by=None, force=False):
    """Issue the decision's letter and bring it to the emails waiting for it.

    Safe to repeat: a letter already issued for this decision is reused, unless ``force``
    asks for a new version (earlier versions are always kept).
    """
    application = decision.application
    with transaction.atomic():
        # Two runs for one decision (a redelivered task, the sweep asking again while the
        # first still renders) wait for each other here: the second finds the first's letter.
        list(Decision.objects.select_for_update().filter(pk=decision.pk).values_list("pk", flat=True))
        existing = current_letter(application)
        if existing and not force and existing.created_at >= decision.decided_at:
            document = existing
        else:
            document = _issue(decision, by=by)
    attach_document_to_waiting(document, key_prefix=f"application:{application.pk}:", kind="decision")
    return document


def _issue(decision, *, by):
    application = decision.application
    language = letter_language(decision)
    context = letter_context(decision, language)
    with translation.override(language):
        outcome_label = str(Outcome(decision.outcome).label)
    return issue_document(
        kind=LETTER_KIND,
        subject_key=subject_key(application),
        template=TEMPLATES[decision.outcome],
        context=context,
        language=language,
        title=context["document_title"],
        filename=f"{application.reference}-{decision.outcome.replace('_', '-')}-letter.pdf",
        public_summary={
            "city": application.organisation.name,
            "decision": outcome_label,
            "date": context["date"],
        },
        author=context["sender"],
        by=by,
        on_issued=lambda document: record(
            by,
            "letter.issued",
            document,
            after={"application": application.pk, "outcome": decision.outcome, "version": document.version},
            call_id=application.call_id,
        ),
    )


def current_letter(application):
    return IssuedDocument.objects.current(LETTER_KIND, subject_key(application))


def attachment_task(decision):
    """For ``queue_message(attachments_from=[...])``: a decision email waits for its letter.

    Each decision's letter is its own task, so a call's letters are rendered in parallel
    across the workers.
    """
    return (LETTER_TASK, {"decision_id": decision.pk})


def queue_decision_letters(decisions, *, by=None, force=False):
    """Once the current transaction commits, (re)issue these decisions' letters in parallel,
    one task per decision, across the workers."""
    decision_ids = [decision.pk for decision in decisions]
    by_id = getattr(by, "pk", None)

    def hand_over():
        kwargs = [{"decision_id": pk, "by_id": by_id, "force": force} for pk in decision_ids]
        publish_many(LETTER_TASK, kwargs)

    transaction.on_commit(hand_over, robust=True)


def issue_letters_for_call(call, *, by=None):
    """(Re)issue the letters of every decision of a call, in parallel. Returns how many."""
    decisions = list(Decision.objects.filter(application__call=call).only("pk"))
    with transaction.atomic():
        queue_decision_letters(decisions, by=by, force=True)
    return len(decisions)
