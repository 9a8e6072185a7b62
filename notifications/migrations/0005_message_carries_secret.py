"""Messages say whether their text carries a personal link; sent ones lose that text."""

from django.db import migrations, models
from django.db.models import Q

SECRET_KINDS = Q(kind__startswith="account.") | Q(kind__in=["organisation_invitation", "staff_invitation"])
REDACTED_BODY = "[The text of this message carried a personal link; it was removed once the message left.]\n"


def mark_and_redact(apps, schema_editor):
    Message = apps.get_model("notifications", "Message")
    Message.objects.filter(SECRET_KINDS).update(carries_secret=True)
    Message.objects.filter(SECRET_KINDS, status__in=["sent", "failed"]).update(
        body_text=REDACTED_BODY, body_html=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_message_attachment_tasks"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="carries_secret",
            field=models.BooleanField(default=False, verbose_name="carries a personal link"),
        ),
        migrations.RunPython(mark_and_redact, migrations.RunPython.noop),
    ]
