"""The applicant's journey: starting, saving answers and files, submitting, withdrawing."""

import hashlib
import json
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from notifications.services import queue_message
from portal import formatting
from portal.audit import record
from portal.formatting import absolute_url
from portal.text import strip_bidi_controls

from .. import messages, numbering, receipts, uploads
from ..models import (
    Answer,
    Application,
    ApplicationTransition,
    Call,
    Document,
    MessageKind,
    Question,
    QuestionKind,
    Section,
    Status,
    outbox_scope,
)


class ApplicationRefused(Exception):
    """A change the application cannot take now; ``message`` says why, for the applicant."""

    def __init__(self, message, *, problems=(), missing=()):
        super().__init__(message)
        self.message = message
        self.problems = list(problems)
        self.missing = list(missing)


@dataclass(frozen=True)
class AnswerChange:
    """A value typed in a form and the revision of the answer the form was built from.

    ``base_digest`` is the digest of the value the form showed; when the posted value
    still has it, the person did not touch the field and a newer save by a colleague wins.
    A change made by code rather than through a form (the demo, an import) has no base
    revision (None) and replaces what is stored.
    """

    question: Question
    value: object
    base_revision: int | None = None
    base_digest: str = ""


@dataclass(frozen=True)
class Conflict:
    question: Question
    answer: Answer  # the answer saved since the form was built, as it is now
    mine: bool = False  # saved by the same person, from another window or session


@dataclass
class SaveResult:
    saved: list = field(default_factory=list)  # Answer rows written
    conflicts: list = field(default_factory=list)  # Conflict
    unchanged: list = field(default_factory=list)  # Question

    @property
    def answers(self):
        return {answer.question_id: answer for answer in self.saved}


def normalise_value(value):
    """One representation of "no answer", so empty text and an empty choice compare equal."""
    if value in (None, "", [], ()):
        return None
    if isinstance(value, tuple):
        return list(value)
    return value


def value_digest(value):
    encoded = json.dumps(normalise_value(value), sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(encoded.encode()).hexdigest()[:16]


def check_editable(application, moment=None):
    """Raise ApplicationRefused unless the applicant may still change this application."""
    call = application.call
    if not application.is_draft:
        raise ApplicationRefused(_("This application has been submitted and can no longer be changed."))
    if call.has_closed(moment):
        raise ApplicationRefused(
            _("The call closed on %(deadline)s. Applications can no longer be changed.")
            % {"deadline": format_in_call_time(call, call.closes_at)}
        )
    if not call.has_opened(moment):
        raise ApplicationRefused(_("The call is not open yet."))


def is_editable(application, moment=None):
    try:
        check_editable(application, moment)
    except ApplicationRefused:
        return False
    return True


def format_in_call_time(call, moment):
    return formatting.when(moment, call)


def _locked(application):
    """The application row, locked until the transaction ends, with its call."""
    locked = Application.objects.select_for_update().select_related("call", "organisation")
    return locked.get(pk=application.pk)


def start_application(call, organisation, *, by):
    """The organisation's application to the call, created if it has none; ``(application, created)``."""
    existing = Application.objects.filter(call=call, organisation=organisation).first()
    if existing is not None:
        return existing, False
    if not call.is_open():
        raise ApplicationRefused(_("This call is not open for applications."))
    try:
        with transaction.atomic():
            application = Application.objects.create(call=call, organisation=organisation, created_by=by)
            ApplicationTransition.objects.create(
                application=application, from_status="", to_status=Status.DRAFT, by=by
            )
            record(by, "application.started", application, after={"status": Status.DRAFT})
    except IntegrityError:
        # A colleague started it a moment ago: one application per organisation and call.
        return Application.objects.get(call=call, organisation=organisation), False
    return application, True


def save_answers(application, changes, *, by, form_instance=""):
    """Save a draft's answers, refusing a field saved since the form was built.

    The revision the form was built from decides, whoever saved since: a colleague, or the
    same person in another window or session. Saves from the same loaded page
    (``form_instance``: its autosave, then its Save button) follow each other without a
    conflict. The refused text stays on the page.

    Missing answers are fine in a draft; only submission needs them. Fields without a
    conflict are saved even when another field has one.
    """
    result = SaveResult()
    with transaction.atomic():
        application = _locked(application)
        check_editable(application)
        question_ids = [change.question.pk for change in changes]
        current = {
            answer.question_id: answer
            for answer in Answer.objects.select_related("updated_by").filter(
                application=application, question_id__in=question_ids
            )
        }
        for change in changes:
            # Text that reaches pages, receipts and exports never reorders itself there.
            value = normalise_value(strip_bidi_controls(change.value))
            answer = current.get(change.question.pk)
            stored = normalise_value(answer.value) if answer else None
            if value_digest(value) == value_digest(stored):
                result.unchanged.append(change.question)
                continue
            from_this_page = bool(form_instance) and answer is not None and answer.saved_from == form_instance
            stale = (
                change.base_revision is not None
                and answer is not None
                and answer.revision > change.base_revision
            )
            if stale and not from_this_page:
                if change.base_digest and change.base_digest == value_digest(value):
                    result.unchanged.append(change.question)  # untouched here, changed elsewhere
                else:
                    result.conflicts.append(Conflict(change.question, answer, answer.updated_by_id == by.pk))
                continue
            if answer is None:
                answer = Answer(application=application, question=change.question, revision=0)
            else:
                answer.question = change.question  # already loaded: the audit entry reads its key
            answer.value = value
            answer.question_revision = change.question.revision
            answer.revision += 1
            answer.saved_from = form_instance
            answer.updated_by = by
            answer.save()
            result.saved.append(answer)
        if result.saved:
            application.save(update_fields=["updated_at"])
            record(
                by,
                "application.answers_saved",
                application,
                after={answer.question.key: answer.revision for answer in result.saved},
            )
    return result


def add_document(application, question, uploaded, *, by):
    """Check an uploaded file by its content and attach it to a file question of a draft.

    A question that takes one file gets the new one in place of the old.

    The file is stored first, under a generated name that only the row about to be
    committed will hold, and outside the transaction, so that no lock waits on a 10 MB
    copy. If the transaction fails the file is deleted; if the process dies before it
    commits, the file is referenced by nothing and the daily sweep
    (``notifications.file_sweep``) removes it.
    """
    if question.kind != QuestionKind.FILE or question.section.call_id != application.call_id:
        raise ApplicationRefused(_("This question does not take files."))
    check_editable(application)  # again under the lock below; this spares storing a refused file
    checked = uploads.check_upload(uploaded)  # raises UploadRefused
    uploads.check_accepted(checked, uploads.kinds_for(question.file_types))
    document = Document(
        application=application,
        question=question,
        original_name=checked.display_name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=by,
    )
    uploaded.seek(0)
    # The upload itself, not a copy of it: a temporary file on the same disk is moved, not copied.
    document.file.save(checked.display_name, uploaded, save=False)
    try:
        _attach_document(application, question, document, by=by)
    except BaseException:
        document.file.storage.delete(document.file.name)  # no row, no file
        raise
    return document


def _attach_document(application, question, document, *, by):
    with transaction.atomic():
        application = _locked(application)
        check_editable(application)
        existing = list(application.documents.filter(question=question))
        replaced = existing[0] if question.max_files == 1 and existing else None
        if replaced is None and len(existing) >= question.max_files:
            raise uploads.UploadRefused(
                ngettext(
                    "This question takes at most %(count)d file. Remove one to add another.",
                    "This question takes at most %(count)d files. Remove one to add another.",
                    question.max_files,
                )
                % {"count": question.max_files}
            )
        total = application.documents.count() - (1 if replaced else 0)
        if total >= settings.UPLOAD_MAX_FILES:
            raise uploads.UploadRefused(
                _("An application can hold at most %(count)d files. Remove one to add another.")
                % {"count": settings.UPLOAD_MAX_FILES}
            )
        document.application = application
        document.save()
        if replaced is not None:
            _delete_document(replaced)
        application.save(update_fields=["updated_at"])
        record(
            by,
            "application.document_added",
            application,
            after={
                "document": document.pk,
                "question": question.key,
                "name": document.original_name,
                "sha256": document.sha256,
                "size": document.size,
            },
        )


def remove_document(document, *, by):
    with transaction.atomic():
        application = _locked(document.application)
        check_editable(application)
        record(
            by,
            "application.document_removed",
            application,
            before={
                "document": document.pk,
                "question": document.question.key,
                "name": document.original_name,
            },
        )
        _delete_document(document)
        application.save(update_fields=["updated_at"])


def _delete_document(document):
    storage, name = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(name), robust=True)


@dataclass(frozen=True)
class MissingItem:
    step: int
    section: Section
    question: Question


@dataclass
class Step:
    number: int
    section: Section
    questions: list
    missing: list  # MissingItem

    @property
    def is_complete(self):
        return not self.missing


def is_answered(question, answers, documents):
    if question.kind == QuestionKind.FILE:
        return bool(documents.get(question.pk))
    answer = answers.get(question.pk)
    return answer is not None and normalise_value(answer.value) is not None


def application_steps(application):
    """The form's steps (one per section, numbered from 1) and what each still misses."""
    sections = list(
        application.call.sections.prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("order", "id"))
        ).order_by("order", "id")
    )
    answers = {answer.question_id: answer for answer in application.answers.all()}
    documents = {}
    for document in application.documents.all():
        documents.setdefault(document.question_id, []).append(document)
    steps = []
    for number, section in enumerate(sections, start=1):
        questions = list(section.questions.all())
        missing = [
            MissingItem(number, section, question)
            for question in questions
            if question.required and not is_answered(question, answers, documents)
        ]
        steps.append(Step(number, section, questions, missing))
    return steps


def missing_items(application):
    return [item for step in application_steps(application) for item in step.missing]


def has_verified_email(user):

    return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


def submit_application(application, by, *, declaration=False, privacy_accepted=False, arrived_at=None):
    """Submit a complete draft before the deadline; it gets its reference and a confirmation email.

    ``arrived_at`` is when the request reached the portal (``request.arrived_at``): the
    deadline is judged by it, so waiting for a worker or a lock never makes a submission
    late, and a request that arrived after the deadline is never accepted. The declaration
    and the privacy notice count as accepted when ticked now or when this version of them
    was recorded on the application before.
    """
    now = min(arrived_at or timezone.now(), timezone.now())
    with transaction.atomic():
        call = Call.objects.get(pk=application.call_id)
        application = _locked(application)
        if application.status != Status.DRAFT:
            raise ApplicationRefused(_("This application has already been submitted."))
        check_editable(application, now)
        declaration = declaration or application.declaration_accepted_at is not None
        privacy_recorded = (
            application.privacy_accepted_at is not None
            and application.privacy_notice_version == settings.PRIVACY_NOTICE_VERSION
        )
        privacy_accepted = privacy_accepted or privacy_recorded
        problems = []
        if not has_verified_email(by):
            problems.append(_("Confirm your email address before submitting."))
        if not declaration:
            problems.append(_("Declare that you may apply on your organisation's behalf."))
        if not privacy_accepted:
            problems.append(_("Accept the privacy notice."))
        missing = missing_items(application)
        if missing:
            problems.append(_("Some required answers or files are missing."))
        if problems:
            raise ApplicationRefused(
                _("The application cannot be submitted yet."), problems=problems, missing=missing
            )
        # Taken last, from the prefix's sequence: submissions to one call never wait on each other.
        application.number = numbering.next_number(call.reference_prefix)
        year = timezone.localtime(now, call.tzinfo).year
        prefix = strip_bidi_controls(call.reference_prefix)
        application.reference = f"{prefix}-{year}-{application.number:04d}"
        application.submitted_at = now
        application.submitted_by = by
        application.declaration_accepted_at = application.declaration_accepted_at or now
        if not privacy_recorded:
            application.privacy_notice_version = settings.PRIVACY_NOTICE_VERSION
            application.privacy_accepted_at = now
        application.save(
            update_fields=[
                "number",
                "reference",
                "submitted_at",
                "submitted_by",
                "declaration_accepted_at",
                "privacy_notice_version",
                "privacy_accepted_at",
                "updated_at",
            ]
        )
        application.transition_to(Status.SUBMITTED, by=by)
        record(
            by,
            "application.submitted",
            application,
            before={"status": Status.DRAFT},
            after={
                "status": Status.SUBMITTED,
                "reference": application.reference,
                "privacy_notice_version": application.privacy_notice_version,
            },
        )
        queue_message(
            kind="submission_confirmation",
            to=by,
            template="intake/emails/submission_confirmation",
            context={
                "opening": messages.opening(
                    call,
                    MessageKind.SUBMISSION_CONFIRMATION,
                    messages.applicant_values(application, submitted_at=messages.in_call_time(call, now)),
                ),
                "reference": application.reference,
                "organisation_name": application.organisation.name,
                "call_title": messages.call_title(call),
                "submitted_at": now,
                "call_timezone": call.timezone,
                "application_url": absolute_url("intake:application_detail", application.pk),
            },
            scope=outbox_scope(call.pk),
            idempotency_key=receipts.confirmation_key(application),
            # Sent once a worker has rendered the PDF receipt and attached it.
            attachments_from=[receipts.attachment_task(application)],
        )
    return application


def withdraw_application(application, by, *, note=""):
    """The applicant withdraws a draft, or a submitted application until its review starts."""
    note = strip_bidi_controls(note)
    with transaction.atomic():
        application = _locked(application)
        if application.status not in Status.withdrawable():
            raise ApplicationRefused(
                _("This application can no longer be withdrawn: its review has started.")
            )
        previous = application.status
        application.transition_to(Status.WITHDRAWN, by=by, note=note)
        record(
            by,
            "application.withdrawn",
            application,
            before={"status": previous},
            after={"status": Status.WITHDRAWN},
            note=note,
        )
        call = application.call
        queue_message(
            kind="withdrawal_confirmation",
            to=by,
            template="intake/emails/withdrawal_confirmation",
            context={
                "opening": messages.opening(
                    call, MessageKind.WITHDRAWAL_CONFIRMATION, messages.applicant_values(application)
                ),
                "reference": application.reference,
                "organisation_name": application.organisation.name,
                "call": call,
                "withdrawn_at": timezone.now(),
                "call_timezone": call.timezone,
            },
            scope=outbox_scope(call.pk),
            idempotency_key=f"application:{application.pk}:withdrawn",
        )
    return application
