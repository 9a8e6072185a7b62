"""A call's own openings of its emails and letters (see ``intake.messages``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from intake.messages import MESSAGES, forget_message_texts
from intake.models import CallMessageText
from portal.audit import record

from .common import BuildRefused, check_markup, cleaned_text


def change_message_text(call, kind, *, by, text_en, text_fr):
    """Set (or, with both texts empty, remove) the call's opening of ``kind`` of message.

    Refused when the text uses a value its message does not offer, a link that is not
    http, https or mailto, or HTML.
    """
    if kind not in MESSAGES:
        raise BuildRefused(_("Unknown message."))
    texts = {"text_en": cleaned_text(text_en or ""), "text_fr": cleaned_text(text_fr or "")}
    check_markup(("text_en", "text_fr"), texts, placeholders=MESSAGES[kind].values)
    with transaction.atomic():
        current = CallMessageText.objects.select_for_update().filter(call=call, kind=kind).first()
        before = (
            {"text_en": current.text_en, "text_fr": current.text_fr}
            if current
            else {"text_en": "", "text_fr": ""}
        )
        if before == texts:
            return current
        if not texts["text_en"] and not texts["text_fr"]:
            current.delete()
            saved = None
        elif current is None:
            saved = CallMessageText.objects.create(call=call, kind=kind, **texts)
        else:
            current.text_en, current.text_fr = texts["text_en"], texts["text_fr"]
            current.save(update_fields=["text_en", "text_fr", "updated_at"])
            saved = current
        changed = [name for name in texts if texts[name] != before[name]]
        record(
            by,
            "message_text.changed",
            call,
            before={"kind": kind, **{name: before[name] for name in changed}},
            after={"kind": kind, **{name: texts[name] for name in changed}},
            call_id=call.pk,
        )
        forget_message_texts(call)
    return saved
