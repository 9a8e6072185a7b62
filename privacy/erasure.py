"""Erasing a person's data on request, without breaking the call's records.

What goes, within the request's scope: the answers that are the person's contact data
(email and phone questions, and questions flagged as personal data, such as the contact
person's name and role), the person's name and email wherever free text or the audit log
recorded them (answers, file names, notes, reasons, audit rows' object, before and after),
the address and text of the emails sent to them, the address of invitations sent to them.

What stays: every application with its reference, status and other answers, the files,
reviews and their scores, eligibility decisions, selection decisions, every audit row
(scrubbed, not deleted) and every count the pages and exports show.

Who: a coordinator of a call anonymises what the call holds of the person; the account
(email replaced by an unusable placeholder, name, password, confirmed addresses and
two-factor methods removed, deactivated) goes with it only when the person acts nowhere
else (``people.elsewhere``). Otherwise, and for staff, an administrator erases
everything at once, account included. Nobody erases their own data here.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import Answer, ApplicationTransition, Document
from notifications.models import ERASED_ADDRESS
from notifications.services import erase_messages
from portal.audit import record
from portal.models import AuditEvent
from reviews.models import Decision, EligibilityScreening

from . import people
from .audit_actions import AuditAction
from .models import DataRequest
from .scrub import ERASED, Scrubber

# Audit rows are read and rewritten in chunks of this many.
CHUNK = 2000


class ErasureRefused(Exception):
    """An erasure the rules refuse; ``message`` says why, for the person asking."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def erased_email(person):
    """An address no mail reaches and nobody can sign up with (unique per account)."""
    return f"erased-{person.pk}@invalid.example"


def erases_account(person, scope):
    """Whether an erasure in ``scope`` takes the account with it."""
    return scope.everything or not people.elsewhere(person, scope.call)


def check_erasure(person, scope, *, by):
    if person.pk == by.pk:
        raise ErasureRefused(_("You cannot erase your own data here; ask an administrator."))
    if scope.everything and person.is_superuser:
        raise ErasureRefused(_("Remove the person's administrator rights before erasing their account."))
    if scope.everything and person.is_erased:
        raise ErasureRefused(_("This account is already erased."))


def erase_person(person, scope, *, by):
    """Erase ``person``'s data within ``scope``; returns the recorded ``DataRequest``."""
    check_erasure(person, scope, by=by)
    scrubber = Scrubber.for_person(person)
    with transaction.atomic():
        take_account = erases_account(person, scope)
        applications = scope.applications(person)
        counts = {
            **_erase_answers(person, applications, scrubber),
            **_scrub_texts(applications, scrubber),
            # Before the account changes: both are found by the person's address.
            "messages": erase_messages(scope.messages(person)),
            "invitations": scope.invitations(person).update(email=ERASED_ADDRESS),
            "audit_events": scrub_events(scope.events(), scrubber),
        }
        if take_account:
            # What belongs to the account rather than to a call: its own emails (sign-in,
            # password), and what the audit log says of it or of what it did.
            counts["messages"] += erase_messages(people.EVERYTHING.messages(person).filter(scope=""))
            counts["audit_events"] += scrub_events(
                people.EVERYTHING.events_about(person) | people.EVERYTHING.events_of(person), scrubber
            )
            _erase_account(person)
        request = DataRequest.objects.create(
            kind=DataRequest.Kind.ERASURE,
            person=person,
            call=scope.call,
            counts=counts,
            account_erased=take_account,
            by=by,
        )
        record(
            by,
            AuditAction.PERSON_ERASED,
            request,
            call_id=scope.call.pk if scope.call else None,
            after={"person": person.pk, "items": counts, "account_erased": take_account},
        )
    return request


def _erase_answers(person, applications, scrubber):
    """Personal answers about the person become ``ERASED``; other answers lose their name.

    An application's personal answers describe one contact: they are about the person when
    the person wrote one of them or one of them names the person.
    """
    answers = {}
    for answer in Answer.objects.filter(application__in=applications).select_related("question"):
        answers.setdefault(answer.application_id, []).append(answer)
    changed, personal_count, text_count = [], 0, 0
    for rows in answers.values():
        personal = [answer for answer in rows if answer.question.holds_personal_data]
        about_them = any(
            answer.updated_by_id == person.pk or scrubber.mentions(answer.value) for answer in personal
        )
        for answer in rows:
            if answer.question.holds_personal_data and about_them:
                if answer.value in (None, ERASED):
                    continue
                answer.value = ERASED
                personal_count += 1
            else:
                value = scrubber.value(answer.value)
                if value == answer.value:
                    continue
                answer.value = value
                text_count += 1
            answer.revision += 1  # a form still open on the old value must not save over it
            changed.append(answer)
    Answer.objects.bulk_update(changed, ["value", "revision"], batch_size=500)
    return {"personal_answers": personal_count, "answer_texts": text_count}


def _scrub_texts(applications, scrubber):
    """The person's name and email out of file names, notes and reasons about ``applications``."""
    of = {"application__in": applications}
    return {
        "file_names": _scrub_rows(Document.objects.filter(**of), "original_name", scrubber),
        "notes": sum(
            _scrub_rows(model.objects.filter(**of), field, scrubber)
            for model, field in (
                (ApplicationTransition, "note"),
                (EligibilityScreening, "reason"),
                (Decision, "reasons"),
            )
        ),
    }


def _scrub_rows(queryset, field, scrubber):
    changed = 0
    for pk, value in queryset.values_list("pk", field):
        scrubbed = scrubber.text(value)
        if scrubbed != value:
            queryset.model.objects.filter(pk=pk).update(**{field: scrubbed})
            changed += 1
    return changed


def scrub_events(events, scrubber):
    """Rewrite the audit rows of ``events`` that mention the person; returns how many."""
    changed, last = 0, 0
    rows = events.values_list("pk", "object_repr", "before", "after", "note").order_by("pk")
    while chunk := list(rows.filter(pk__gt=last)[:CHUNK]):
        for pk, object_repr, before, after, note in chunk:
            fields = {
                "object_repr": scrubber.text(object_repr)[:200],
                "before": scrubber.value(before),
                "after": scrubber.value(after),
                "note": scrubber.text(note),
            }
            if fields != {"object_repr": object_repr, "before": before, "after": after, "note": note}:
                AuditEvent.objects.filter(pk=pk).update(**fields)
                changed += 1
        last = chunk[-1][0]
    return changed


def _erase_account(person):
    EmailAddress.objects.filter(user=person).delete()
    Authenticator.objects.filter(user=person).delete()
    person.email = erased_email(person)
    person.full_name = f"Erased account {person.pk}"
    person.set_unusable_password()  # also ends every session the person still has
    person.is_active = False
    person.last_login = None
    person.erased_at = timezone.now()
    person.save(update_fields=["email", "full_name", "password", "is_active", "last_login", "erased_at"])
    person.groups.clear()
