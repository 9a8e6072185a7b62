"""Decision letters are issued documents, with one record each.

Every letter already has its ``notifications.IssuedDocument`` (the pages read only those);
a letter that somehow lacks one gets it here, from the same file, before the copy goes.
"""

from django.db import migrations

LETTER_KIND = "decision_letter"


def keep_every_letter(apps, schema_editor):
    DecisionLetter = apps.get_model("reviews", "DecisionLetter")
    IssuedDocument = apps.get_model("notifications", "IssuedDocument")
    known_codes = set(IssuedDocument.objects.values_list("verification_code", flat=True))
    known_files = set(IssuedDocument.objects.values_list("file", flat=True))
    for letter in DecisionLetter.objects.select_related("decision__application"):
        if letter.verification_code in known_codes or letter.file.name in known_files:
            continue
        application = letter.decision.application
        subject = f"application:{application.pk}"
        version = letter.version
        while IssuedDocument.objects.filter(kind=LETTER_KIND, subject_key=subject, version=version).exists():
            version += 1
        try:
            size = letter.file.size
        except (OSError, ValueError):
            size = 0
        document = IssuedDocument(
            kind=LETTER_KIND,
            subject_key=subject,
            version=version,
            language=letter.language,
            title=f"Decision letter {letter.reference}",
            filename=f"{letter.reference}-letter.pdf",
            sha256=letter.sha256,
            size=size,
            verification_code=letter.verification_code.replace("-", "").upper()[:32],
            created_by_id=letter.issued_by_id,
        )
        document.file.name = letter.file.name
        document.save()
        IssuedDocument.objects.filter(pk=document.pk).update(created_at=letter.issued_at)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
        ("notifications", "0005_message_carries_secret"),
    ]

    operations = [
        migrations.RunPython(keep_every_letter, migrations.RunPython.noop),
        migrations.DeleteModel(name="DecisionLetter"),
    ]
