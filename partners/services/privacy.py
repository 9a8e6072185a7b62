"""Participants' personal data: kept for the project's activities and reporting only.

After the project's end plus its retention period (12 months unless the project says
otherwise), a daily task anonymises every participant and partner contact of the
project. A coordinator may export one participant's data, or erase them on request,
at any time. What the reports count stays: the city, the country, the category, the
gender given and the attendance; the name, the contact details and the needs go,
from the participant, from the audit log, from the outbox (with the emails' attachments)
and from the certificates (whose PDF is deleted).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Attachment, IssuedDocument, Message
from portal.audit import record
from portal.models import AuditEvent
from portal.storage import private_storage

from ..models import AnonymisationRun, Participant, PartnerContact, PartnershipSettings
from .common import PartnershipError, scope_of

# Beat runs the anonymisation daily, by this name (partners/tasks.py, CELERY_BEAT_SCHEDULE).
ANONYMISE_TASK = "partners.tasks.anonymise_expired_participants"

ERASED_EMAIL = "erased@invalid.example"
ERASED_TEXT = "[Personal data erased.]\n"
PERSONAL_FIELDS = {
    "role": "",
    "unit": "",
    "email": "",
    "languages": "",
    "arrival_at": None,
    "departure_at": None,
    "dietary_needs": "",
    "accessibility_needs": "",
    "refusal_reason": "",
}


def export_participant(participant):
    """Everything the portal holds about one participant, for a request of access."""
    activity = participant.activity
    return {
        "participant": participant.pk,
        "anonymised_at": participant.anonymised_at and participant.anonymised_at.isoformat(),
        "name": participant.name,
        "role": participant.role,
        "unit": participant.unit,
        "email": participant.email,
        "language": participant.language,
        "languages": participant.languages,
        "category": participant.category,
        "gender": participant.gender,
        "arrival_at": participant.arrival_at and participant.arrival_at.isoformat(),
        "departure_at": participant.departure_at and participant.departure_at.isoformat(),
        "project_books_travel": participant.needs_travel,
        "project_books_accommodation": participant.needs_accommodation,
        "dietary_needs": participant.dietary_needs,
        "accessibility_needs": participant.accessibility_needs,
        "status": participant.status,
        "refusal_reason": participant.refusal_reason,
        "nominated_at": participant.nominated_at.isoformat(),
        "city": participant.partner.organisation.name,
        "activity": {
            "id": activity.pk,
            "title": activity.title_en,
            "starts_at": activity.starts_at.isoformat(),
            "ends_at": activity.ends_at.isoformat(),
        },
        "attendance": [attendance.day.isoformat() for attendance in participant.attendances.all()],
        "emails": list(
            Message.objects.filter(scope=scope_of(activity.project_id), to_email=participant.email)
            .exclude(to_email="")
            .order_by("created_at")
            .values("kind", "subject", "created_at", "status")
        )
        if participant.email
        else [],
    }


CHUNK = 200


def _chunks(values, size=CHUNK):
    for first in range(0, len(values), size):
        yield values[first : first + size]


def _delete_files_after_commit(storage_names):
    """Stored files go once the anonymisation is saved (a rolled-back one keeps them)."""
    names = [name for name in storage_names if name]
    if names:
        transaction.on_commit(lambda: [private_storage().delete(name) for name in names])


def _anonymise(participants):
    """Blank the personal data of ``participants`` (a queryset) wherever they are kept: the
    participant's row; their audit entries (values and notes); the emails sent to them or
    about them (a decision told to the colleague who nominated them), with the attachments
    (calendar files, certificates); and their certificates (the PDF is deleted, the record of
    its issue stays with a public summary that says the data were erased)."""
    rows = list(participants.values_list("pk", "email", "activity__project_id"))
    if not rows:
        return 0
    ids = [pk for pk, _email, _project in rows]
    now = timezone.now()
    for pk in ids:
        Participant.objects.filter(pk=pk).update(
            name=_("Anonymised participant %(number)s") % {"number": pk}, anonymised_at=now, **PERSONAL_FIELDS
        )
    for chunk in _chunks([str(pk) for pk in ids]):
        AuditEvent.objects.filter(object_type="partners.participant", object_id__in=chunk).update(
            before=None, after={"anonymised": True}, object_repr="", note=""
        )
    files = []
    by_scope = {}
    for pk, email, project_id in rows:
        by_scope.setdefault(scope_of(project_id), []).append((pk, email))
    for scope, people in by_scope.items():
        for chunk in _chunks(people):
            about = Q(to_email__in=[email for _pk, email in chunk if email])
            for pk, _email in chunk:
                about |= Q(idempotency_key__startswith=f"participant:{pk}:")
            messages = Message.objects.filter(about, scope=scope)
            attachments = Attachment.objects.filter(message__in=messages)
            files += attachments.values_list("file", flat=True)
            attachments.delete()
            messages.update(to_email=ERASED_EMAIL, subject="—", body_text=ERASED_TEXT, body_html="")
    for chunk in _chunks([f"participant:{pk}" for pk in ids]):
        documents = IssuedDocument.objects.filter(subject_key__in=chunk)
        files += documents.values_list("file", flat=True)
        documents.update(public_summary={"erased": True}, title=ERASED_TEXT.strip(), filename="erased.pdf")
    _delete_files_after_commit(files)
    return len(ids)


def _anonymise_contacts(project):
    """Blank the partner contacts of ``project`` and their audit entries. Returns how many."""
    contacts = PartnerContact.objects.filter(partner__project=project).exclude(email=ERASED_EMAIL)
    ids = [str(pk) for pk in contacts.values_list("pk", flat=True)]
    for chunk in _chunks(ids):
        AuditEvent.objects.filter(object_type="partners.partnercontact", object_id__in=chunk).update(
            before=None, after={"anonymised": True}, object_repr="", note=""
        )
    return contacts.update(
        name=_("Anonymised contact"), position="", email=ERASED_EMAIL, phone="", languages=""
    )


def erase_participant(participant, *, by):
    """A participant asked to be forgotten: their personal data go now; the counts stay."""
    if participant.anonymised_at:
        raise PartnershipError(_("This participant's data have already been erased."))
    with transaction.atomic():
        count = _anonymise(Participant.objects.filter(pk=participant.pk))
        run = AnonymisationRun.objects.create(
            project_id=participant.activity.project_id, participants=count, reason="request", by=by
        )
        record(by, "participant.erased", run, after={"participants": count})
    participant.refresh_from_db()
    return participant


def anonymise_expired(today=None):
    """The daily retention pass: every project past its end plus its retention period.

    Returns the runs it recorded (none when there was nothing to do).
    """
    today = today or timezone.localdate()
    runs = []
    for settings_row in PartnershipSettings.objects.select_related("project").filter(
        project__ends_on__isnull=False, project__ends_on__lt=today
    ):
        limit = settings_row.anonymise_after()
        if limit is None or today < limit:
            continue
        project = settings_row.project
        with transaction.atomic():
            count = _anonymise(Participant.objects.personal().filter(activity__project=project))
            contact_count = _anonymise_contacts(project)
            if not count and not contact_count:
                continue
            run = AnonymisationRun.objects.create(
                project=project, participants=count, contacts=contact_count, reason="retention"
            )
            record(
                None,
                "participants.anonymised",
                run,
                after={"participants": count, "contacts": contact_count, "limit": limit.isoformat()},
            )
            runs.append(run)
    return runs


def retention_horizon(project):
    """The day participants' data of ``project`` will be anonymised (None: no end date)."""
    return PartnershipSettings.objects.for_project(project).anonymise_after()
