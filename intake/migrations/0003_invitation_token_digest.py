"""Invitations keep a digest of their token instead of the token, and name their call.

Links already sent keep working: the digest of their token is what is looked up. The call
of a staff invitation, until now kept only in its audit event, moves onto the row.
"""

import hashlib

import django.db.models.deletion
from django.db import migrations, models


def digest_tokens_and_name_calls(apps, schema_editor):
    Invitation = apps.get_model("intake", "Invitation")
    AuditEvent = apps.get_model("portal", "AuditEvent")
    Call = apps.get_model("intake", "Call")
    calls = set(Call.objects.values_list("pk", flat=True))
    invited_calls = dict(
        AuditEvent.objects.filter(
            object_type="intake.invitation", action="staff.invited", call_id__isnull=False
        ).values_list("object_id", "call_id")
    )
    for invitation in Invitation.objects.all():
        invitation.token_hash = hashlib.sha256(invitation.token.encode()).hexdigest()
        invitation.sent_at = invitation.created_at
        call_id = invited_calls.get(str(invitation.pk))
        invitation.call_id = call_id if call_id in calls else None
        invitation.save(update_fields=["token_hash", "sent_at", "call"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0002_call_letter_texts"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="call",
            field=models.ForeignKey(
                blank=True,
                help_text="The call a staff invitation is for.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="staff_invitations",
                to="intake.call",
                verbose_name="call",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="last sent at"),
        ),
        migrations.AddField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(digest_tokens_and_name_calls, migrations.RunPython.noop),
        migrations.RemoveField(model_name="invitation", name="token"),
        migrations.AlterField(
            model_name="invitation",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
