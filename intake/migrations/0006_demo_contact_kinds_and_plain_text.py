"""The demo call asks for the contact's email and phone with the kinds made for them, and
text stored before bidirectional controls were removed on input loses them too."""

from django.db import migrations

DEMO_CALLS = ("pactesur-2", "pactesur-2-closed")
NEW_KINDS = {"contact_email": "email", "contact_phone": "phone"}
# As portal.text.BIDI_CONTROLS when this was written; a migration keeps its own copy.
BIDI_CONTROLS = dict.fromkeys([0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def plain(value):
    if isinstance(value, str):
        return value.translate(BIDI_CONTROLS)
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    return value


def demo_contact_kinds(apps, schema_editor):
    Question = apps.get_model("intake", "Question")
    for key, kind in NEW_KINDS.items():
        Question.objects.filter(section__call__slug__in=DEMO_CALLS, key=key, kind="short_text").update(
            kind=kind
        )


def strip_bidi_controls(apps, schema_editor):
    for app_label, model_name, fields in [
        ("intake", "Organisation", ["name", "address"]),
        ("intake", "Answer", ["value"]),
        ("intake", "ApplicationTransition", ["note"]),
        ("portal", "User", ["full_name"]),
    ]:
        model = apps.get_model(app_label, model_name)
        changed = []
        for row in model.objects.only("pk", *fields).iterator(chunk_size=2000):
            cleaned = {name: plain(getattr(row, name)) for name in fields}
            if any(cleaned[name] != getattr(row, name) for name in fields):
                for name, value in cleaned.items():
                    setattr(row, name, value)
                changed.append(row)
        model.objects.bulk_update(changed, fields, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_question_email_phone_and_date_window"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(demo_contact_kinds, migrations.RunPython.noop),
        migrations.RunPython(strip_bidi_controls, migrations.RunPython.noop),
    ]
