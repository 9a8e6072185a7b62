"""Everything the portal holds on a person, within a scope: the answer to a request of access.

The export is a JSON document in sections: the account, memberships, applications with
the answers they wrote and the files they uploaded, the messages sent to them, what they
did as the audit log recorded it, the files they downloaded, their reviews and conflicts
of interest as an evaluator, the calls they coordinate, and the partners' participant
records that share their address. Files are listed, not included. Texts are as stored;
labels are in English, the portal's reference language. A message that carried a
personal link is listed without its text.
"""

import json

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from intake.models import Answer, Document
from intake.receipts import subject_key
from notifications.models import IssuedDocument
from portal.audit import action_label, record

from .audit_actions import AuditAction
from .models import DataRequest

FORMAT_VERSION = 1


def _iso(moment):
    return moment.isoformat() if moment else None


def account_section(person, scope):
    section = {
        "id": person.pk,
        "email": person.email,
        "full_name": person.full_name,
        "language": person.language,
        "joined_at": _iso(person.date_joined),
        "last_login": _iso(person.last_login),
        "active": person.is_active,
        "erased_at": _iso(person.erased_at),
        "roles": sorted(person.groups.values_list("name", flat=True)),
    }
    if scope.everything:
        section["email_addresses"] = [
            {"email": row.email, "verified": row.verified, "primary": row.primary}
            for row in EmailAddress.objects.filter(user=person).order_by("pk")
        ]
        section["two_factor_methods"] = [
            {"type": row.type, "created_at": _iso(row.created_at), "last_used_at": _iso(row.last_used_at)}
            for row in Authenticator.objects.filter(user=person).order_by("pk")
        ]
    return section


def memberships_section(person, scope):
    return [
        {
            "organisation": membership.organisation.name,
            "country": membership.organisation.country,
            "joined_at": _iso(membership.joined_at),
        }
        for membership in scope.memberships(person)
    ]


def applications_section(person, scope):
    applications = list(
        scope.applications(person).select_related("call", "organisation").order_by("created_at", "pk")
    )
    ids = [application.pk for application in applications]
    answers, documents, issued = {}, {}, {}
    for answer in (
        Answer.objects.filter(application_id__in=ids, updated_by=person)
        .select_related("question")
        .order_by("question__section__order", "question__order", "pk")
    ):
        question = answer.question
        answers.setdefault(answer.application_id, []).append(
            {
                "question": question.key,
                "label": question.label_en,
                "kind": question.kind,
                "personal_data": question.holds_personal_data,
                "value": answer.value,
                "updated_at": _iso(answer.updated_at),
            }
        )
    for document in Document.objects.filter(application_id__in=ids, uploaded_by=person).order_by(
        "uploaded_at", "pk"
    ):
        documents.setdefault(document.application_id, []).append(
            {
                "name": document.original_name,
                "type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "uploaded_at": _iso(document.uploaded_at),
            }
        )
    keys = {subject_key(application): application.pk for application in applications}
    for document in IssuedDocument.objects.filter(subject_key__in=list(keys)).order_by("created_at", "pk"):
        issued.setdefault(keys[document.subject_key], []).append(
            {
                "title": document.title,
                "kind": document.kind,
                "version": document.version,
                "issued_at": _iso(document.created_at),
            }
        )
    return [
        {
            "reference": application.reference,
            "call": application.call.title_en,
            "organisation": application.organisation.name,
            "status": application.status,
            "started_at": _iso(application.created_at),
            "started_by_them": application.created_by_id == person.pk,
            "submitted_at": _iso(application.submitted_at),
            "submitted_by_them": application.submitted_by_id == person.pk,
            "privacy_notice_accepted": (
                {"version": application.privacy_notice_version, "at": _iso(application.privacy_accepted_at)}
                if application.submitted_by_id == person.pk and application.privacy_accepted_at
                else None
            ),
            "contact_data_anonymised_at": _iso(application.contacts_anonymised_at),
            "answers": answers.get(application.pk, []),
            "documents": documents.get(application.pk, []),
            "issued_documents": issued.get(application.pk, []),
        }
        for application in applications
    ]


def messages_section(person, scope):
    rows = []
    for message in scope.messages(person).prefetch_related("attachments").order_by("created_at", "pk"):
        row = {
            "subject": message.subject,
            "kind": message.kind,
            "to": message.to_email,
            "language": message.language,
            "status": message.status,
            "created_at": _iso(message.created_at),
            "sent_at": _iso(message.sent_at),
            "attachments": [attachment.filename for attachment in message.attachments.all()],
        }
        if message.is_confidential:
            # The text held a link only its addressee may follow; it is not copied anywhere.
            row["body"] = None
            row["body_withheld"] = "The text carried a personal link (sign-in, reset or invitation)."
        else:
            row["body"] = message.body_text
        rows.append(row)
    return rows


def _event_row(event):
    return {
        "at": _iso(event.at),
        "action": event.action,
        "label": str(action_label(event.action)),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object": event.object_repr,
        "before": event.before,
        "after": event.after,
        "note": event.note,
    }


def audit_section(person, scope):
    return [_event_row(event) for event in scope.events_of(person).changes().order_by("at", "pk")]


def downloads_section(person, scope):
    return [
        {
            "at": _iso(event.at),
            "action": event.action,
            "label": str(action_label(event.action)),
            "file": (event.after or {}).get("name", event.object_repr),
            "application": (event.after or {}).get("reference"),
        }
        for event in scope.events_of(person).downloads().order_by("at", "pk")
    ]


def reviews_section(person, scope):
    reviews = (
        scope.reviews(person)
        .select_related("application__organisation", "application__call")
        .prefetch_related("scores__criterion")
        .order_by("created_at", "pk")
    )
    return [
        {
            "application": review.application.reference,
            "city": review.application.organisation.name,
            "call": review.application.call.title_en,
            "status": review.status,
            "recommendation": review.recommendation,
            "overall_comment": review.overall_comment,
            "submitted_at": _iso(review.submitted_at),
            "scores": [
                {
                    "criterion": score.criterion.name_en,
                    "score": str(score.value) if score.value is not None else None,
                    "comment": score.comment,
                }
                for score in review.scores.all()
            ],
        }
        for review in reviews
    ]


def evaluator_section(person, scope):
    return {
        "calls": [
            {
                "call": record.call.title_en,
                "country": record.country,
                "languages": record.languages,
                "max_load": record.max_load,
                "active": record.is_active,
                "added_at": _iso(record.added_at),
            }
            for record in scope.evaluator_records(person).order_by("added_at", "pk")
        ],
        "conflicts_of_interest": [
            {
                "call": declaration.call.title_en,
                "scope": declaration.scope,
                "with": str(declaration.target),
                "note": declaration.note,
                "declared_at": _iso(declaration.declared_at),
            }
            for declaration in scope.conflicts(person)
            .select_related("call", "application", "organisation")
            .order_by("declared_at", "pk")
        ],
    }


def invitations_section(person, scope):
    return [
        {
            "email": invitation.email,
            "organisation": invitation.organisation.name if invitation.organisation_id else None,
            "role": invitation.role or None,
            "call": invitation.call.title_en if invitation.call_id else None,
            "sent_at": _iso(invitation.sent_at),
            "expires_at": _iso(invitation.expires_at),
            "accepted_at": _iso(invitation.accepted_at),
        }
        for invitation in scope.invitations(person)
        .select_related("organisation", "call")
        .order_by("created_at")
    ]


def participants_section(person, scope):
    """Where the person is also a participant of a project's activities: the records only.

    The project's coordinators export and erase those with the partners' tools.
    """
    return [
        {
            "participant": participant.pk,
            "project": participant.activity.project.acronym,
            "activity": participant.activity.title_en,
            "city": participant.partner.organisation.name,
            "status": participant.status,
            "anonymised_at": _iso(participant.anonymised_at),
        }
        for participant in scope.participants(person).order_by("nominated_at", "pk")
    ]


def build_export(person, scope):
    """The export as a dictionary, sections in the order a reader expects."""
    return {
        "format": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "scope": {"call": scope.call.slug, "call_title": scope.call.title_en} if scope.call else "everything",
        "account": account_section(person, scope),
        "memberships": memberships_section(person, scope),
        "applications": applications_section(person, scope),
        "messages": messages_section(person, scope),
        "audit_events": audit_section(person, scope),
        "downloads": downloads_section(person, scope),
        "reviews": reviews_section(person, scope),
        "evaluator": evaluator_section(person, scope),
        "coordinated_calls": [call.title_en for call in scope.coordinated_calls(person).order_by("pk")],
        "invitations": invitations_section(person, scope),
        "participant_records": participants_section(person, scope),
    }


def item_counts(export):
    """How many items each section holds (what the request's record keeps instead of the data)."""
    counts = {}
    for name, value in export.items():
        if name == "evaluator":
            counts["evaluator_calls"] = len(value["calls"])
            counts["conflicts_of_interest"] = len(value["conflicts_of_interest"])
        elif name == "applications":
            counts[name] = len(value)
            counts["answers"] = sum(len(application["answers"]) for application in value)
            counts["documents"] = sum(len(application["documents"]) for application in value)
        elif isinstance(value, list):
            counts[name] = len(value)
    return counts


def export_person(person, scope, *, by):
    """The export as JSON bytes; the request is recorded and audited, the data are not copied."""
    export = build_export(person, scope)
    counts = item_counts(export)
    with transaction.atomic():
        request = DataRequest.objects.create(
            kind=DataRequest.Kind.EXPORT, person=person, call=scope.call, counts=counts, by=by
        )
        record(
            by,
            AuditAction.PERSON_EXPORTED,
            request,
            call_id=scope.call.pk if scope.call else None,
            after={"person": person.pk, "items": counts},
        )
    return json.dumps(export, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
