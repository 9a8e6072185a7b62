from celery import shared_task

from . import delivery


@shared_task(acks_late=True)
def deliver_message(message_id):
    return delivery.deliver(message_id)
