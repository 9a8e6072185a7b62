"""The PDF receipt of a submitted application: every answer, every file with its fingerprint.

The submission confirmation email waits for it (``attachments_from=[attachment_task(...)]``);
a worker renders it once the submission commits and brings it to the message.
"""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.models import IssuedDocument
from notifications.services import attach_document, issue_document
from portal import formatting
from portal.audit import record

from .models import Application, Question, QuestionKind, earlier_wordings

RECEIPT_KIND = "submission_receipt"
# The task that issues a receipt, by the name it declares (intake/tasks.py).
RECEIPT_TASK = "intake.tasks.issue_submission_receipt"


def subject_key(application):
    """How issued documents name an application: its receipt and its decision letters alike."""
    return f"application:{application.pk}"


def confirmation_key(application):
    """The idempotency key of the submission confirmation the receipt travels with."""
    return f"application:{application.pk}:submitted"


def _display_value(question, value, language):
    if value in (None, "", []):
        return ""
    if question.kind == QuestionKind.YES_NO:
        return _("Yes") if value in (True, "yes", "true", "1") else _("No")
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
        labels = dict(question.choice_pairs(language))
        values = value if isinstance(value, list) else [value]
        return "\n".join(str(labels.get(item, item)) for item in values)
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value)


def receipt_context(application, language):
    """What the receipt shows, read in a fixed number of queries."""
    application = (
        Application.objects.select_related("call", "organisation", "submitted_by")
        .prefetch_related("answers", "documents")
        .get(pk=application.pk)
    )
    call = application.call
    questions = list(Question.objects.filter(section__call=call).select_related("section"))
    by_id = {question.pk: question for question in questions}
    answer_rows = list(application.answers.all())
    for answer in answer_rows:
        answer.question = by_id.get(answer.question_id, answer.question)
    # The receipt records what the applicant read: an earlier wording where it changed since.
    worded_by_answer = earlier_wordings(answer_rows)
    earlier = {a.question_id: worded_by_answer[a.pk] for a in answer_rows if a.pk in worded_by_answer}
    answers = {answer.question_id: answer.value for answer in answer_rows}
    documents = {}
    for document in application.documents.all():
        documents.setdefault(document.question_id, []).append(document)
    sections = []
    with translation.override(language):
        for question in questions:
            if not sections or sections[-1]["section"].pk != question.section_id:
                sections.append(
                    {
                        "section": question.section,
                        "title": question.section.localized("title", language),
                        "items": [],
                    }
                )
            worded = earlier.get(question.pk, question)
            sections[-1]["items"].append(
                {
                    "label": worded.localized("label", language),
                    "is_file": question.kind == QuestionKind.FILE,
                    "value": _display_value(worded, answers.get(question.pk), language),
                    "files": documents.get(question.pk, []),
                }
            )
        submitted_display = formatting.when(application.submitted_at, call)
    return {
        "application": application,
        "call": call,
        "call_title": call.localized("title", language),
        "organisation": application.organisation,
        "submitted_at": submitted_display,
        "call_timezone": call.timezone,
        "sections": sections,
        "document_title": _("Submission receipt"),
    }


def issue_submission_receipt(application, *, language=None):
    """Render the receipt once, then bring it to the confirmation email. Safe to repeat."""
    language = language or getattr(application.submitted_by, "language", None) or "en"
    receipt = IssuedDocument.objects.current(RECEIPT_KIND, subject_key(application))
    if receipt is None:
        context = receipt_context(application, language)
        with translation.override(language):
            title = _("Submission receipt %(reference)s") % {"reference": application.reference}
        receipt = issue_document(
            kind=RECEIPT_KIND,
            subject_key=subject_key(application),
            template="intake/receipts/receipt.html",
            context=context,
            language=language,
            title=title,
            filename=f"{application.reference}-receipt.pdf",
            public_summary={
                "reference": application.reference,
                "city": application.organisation.name,
                "date": timezone.localtime(application.submitted_at, application.call.tzinfo)
                .date()
                .isoformat(),
            },
            author="Call portal",
            by=application.submitted_by,
            on_issued=lambda document: record(
                application.submitted_by,
                "receipt.issued",
                document,
                after={"application": application.pk, "version": document.version},
                call_id=application.call_id,
            ),
        )
    attach_document(confirmation_key(application), receipt)
    return receipt


def attachment_task(application):
    """For ``queue_message(attachments_from=[...])``: the confirmation waits for its receipt."""
    return (RECEIPT_TASK, {"application_id": application.pk})
