"""A task of a stand-in domain app: it makes a document and brings it to a waiting message."""

from celery import shared_task

from notifications import services

RECEIPT_TASK = "tests.notifications.make_receipt"
runs = []


@shared_task(name=RECEIPT_TASK)
def make_receipt(message_key):
    runs.append(message_key)
    document = services.issue_document(
        kind="testapp.receipt",
        subject_key=message_key,
        template="notifications/pdf/record.html",
        context={"document_title": "Receipt", "rows": [("City", "Lyon")]},
        language="en",
        title="Receipt",
        filename="receipt.pdf",
    )
    services.attach_document(message_key, document)
