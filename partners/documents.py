"""The partnership's PDFs: the agreement a partner signs, the certificates of attendance
(both documents of record, verifiable at /verify/<code>) and the sign-in sheets."""

from django.utils import timezone, translation
from django.utils.formats import date_format
from django_countries import countries

from notifications.models import IssuedDocument
from notifications.pdf import render_pdf
from notifications.services import attach_document_to_waiting, issue_document
from portal import formatting

from .models import Participant, ParticipantStatus

AGREEMENT_KIND = "partnership_agreement"
CERTIFICATE_KIND = "attendance_certificate"
SENDER = {
    "en": "European Forum for Urban Security (Efus)",
    "fr": "Forum européen pour la sécurité urbaine (Efus)",
}
SENDER_ADDRESS = "10 rue des Montiboeufs, 75020 Paris, France"


# The task that issues one certificate, by the name it declares (partners/tasks.py).
CERTIFICATE_TASK = "partners.tasks.issue_certificate"


def _language(user):
    return getattr(user, "language", None) or "en"


def _country(code, language):
    with translation.override(language):
        return str(countries.name(code)) if code else ""


def _project_texts(project, language):
    title = project.localized("title", language)
    return {
        "project": project,
        "project_title": title,
        # "PACTESUR 2 – PACTESUR 2: protecting..." reads badly: a title that names the project is enough.
        "project_name": title if project.acronym in title else f"{project.acronym} – {title}",
        "funding_statement": project.localized("funding_statement", language),
        "funding_disclaimer": project.localized("funding_disclaimer", language),
        "sender": SENDER.get(language, SENDER["en"]),
        "sender_address": SENDER_ADDRESS,
    }


def agreement_subject(partner):
    return f"partner:{partner.pk}"


def current_agreement(partner):
    return IssuedDocument.objects.current(AGREEMENT_KIND, agreement_subject(partner))


def issue_agreement(partner, *, by=None, language=None):
    """The partnership agreement with the city's details filled in, ready to sign."""
    language = language or _language(by)
    organisation = partner.organisation
    project = partner.project
    now = timezone.localtime(timezone.now())
    with translation.override(language):
        title = translation.gettext("Partnership agreement – %(city)s") % {"city": organisation.name}
        context = {
            **_project_texts(project, language),
            "partner": partner,
            "organisation": organisation,
            "country_name": _country(organisation.country, language),
            "contacts": {contact.role: contact for contact in partner.contacts.all()},
            "date": formatting.day(now),
            "starts_on": project.starts_on and formatting.day(project.starts_on),
            "ends_on": project.ends_on and formatting.day(project.ends_on),
            "reference": f"{project.acronym}-AP-{partner.pk:03d}",
            "document_title": title,
        }
    return issue_document(
        kind=AGREEMENT_KIND,
        subject_key=agreement_subject(partner),
        template="partners/pdf/agreement.html",
        context=context,
        language=language,
        title=title,
        filename=f"{context['reference']}-partnership-agreement.pdf",
        public_summary={"city": organisation.name, "document": str(title), "date": context["date"]},
        author=context["sender"],
        by=by,
    )


def certificate_subject(participant):
    return f"participant:{participant.pk}"


def current_certificate(participant):
    return IssuedDocument.objects.current(CERTIFICATE_KIND, certificate_subject(participant))


def load_participant(participant_id):
    return (
        Participant.objects.select_related("activity__project", "partner__organisation")
        .prefetch_related("attendances")
        .get(pk=participant_id)
    )


def issue_certificate(participant, *, by=None):
    """The certificate of attendance of one attendee, brought to the email that waits for it.
    Safe to repeat: an issued certificate is reused."""
    existing = current_certificate(participant)
    key_prefix = f"participant:{participant.pk}:certificate"
    if existing:
        attach_document_to_waiting(existing, key_prefix=key_prefix)
        return existing
    activity = participant.activity
    language = participant.language or "en"
    days = [attendance.day for attendance in participant.attendances.all()]
    with translation.override(language):
        title = translation.gettext("Certificate of attendance – %(name)s") % {"name": participant.name}
        context = {
            **_project_texts(activity.project, language),
            "participant": participant,
            "activity": activity,
            "activity_title": activity.localized("title", language),
            "city": participant.partner.organisation.name,
            "country_name": _country(activity.country, language),
            "days": [formatting.day(day) for day in days],
            "day_count": len(days),
            "starts": formatting.day(activity.local(activity.starts_at)),
            "ends": formatting.day(activity.local(activity.ends_at)),
            "date": formatting.day(timezone.localtime(timezone.now())),
            "document_title": title,
        }
    document = issue_document(
        kind=CERTIFICATE_KIND,
        subject_key=certificate_subject(participant),
        template="partners/pdf/certificate.html",
        context=context,
        language=language,
        title=title,
        filename=f"certificate-{activity.pk}-{participant.pk}.pdf",
        public_summary={
            "participant": participant.name,
            "activity": activity.title_en,
            "days": len(days),
            "date": context["date"],
        },
        author=context["sender"],
        by=by,
    )
    attach_document_to_waiting(document, key_prefix=key_prefix)
    return document


def attachment_task(participant):
    return (CERTIFICATE_TASK, {"participant_id": participant.pk})


def sign_in_sheet(activity, day, *, language="en"):
    """The printable sign-in sheet of one day: every confirmed participant, a line to sign.
    Block layout, not a table: long lists stay fast to render."""
    participants = (
        Participant.objects.filter(activity=activity, status=ParticipantStatus.CONFIRMED)
        .select_related("partner__organisation")
        .order_by("partner__organisation__name", "name", "pk")
    )
    with translation.override(language):
        title = translation.gettext("Sign-in sheet – %(activity)s – %(day)s") % {
            "activity": activity.localized("title", language),
            "day": formatting.day(day),
        }
        context = {
            **_project_texts(activity.project, language),
            "activity": activity,
            "activity_title": activity.localized("title", language),
            "day": f"{date_format(day, 'l')} {formatting.day(day)}",
            "participants": participants,
            "document_title": title,
        }
    return render_pdf(
        "partners/pdf/sign_in_sheet.html", context, language=language, title=title, author=context["sender"]
    )
