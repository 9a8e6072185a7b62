"""Projects: every call belongs to one. Existing calls move under a project named after the
project their letters name (one project per distinct name), losing nothing."""

import django.db.models.deletion
from django.utils.text import slugify
import portal.translation
from django.conf import settings
from django.db import migrations, models


def calls_into_projects(apps, schema_editor):
    Call = apps.get_model("intake", "Call")
    Project = apps.get_model("intake", "Project")
    projects = {}
    for call in Call.objects.order_by("opens_at", "pk"):
        name = (call.project_name or "").strip() or call.title_en[:40]
        project = projects.get(name)
        if project is None:
            slug, n = slugify(name)[:70] or "project", 1
            while Project.objects.filter(slug=slug).exists():
                n += 1
                slug = f"{slugify(name)[:66]}-{n}"
            project = Project.objects.create(
                slug=slug,
                acronym=name[:40],
                title_en=name,
                funding_statement_en=call.funding_statement_en,
                funding_statement_fr=call.funding_statement_fr,
                funding_disclaimer_en=call.funding_disclaimer_en,
                funding_disclaimer_fr=call.funding_disclaimer_fr,
            )
            projects[name] = project
        call.project = project
        call.save(update_fields=["project"])


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0003_invitation_token_digest"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Project",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("slug", models.SlugField(max_length=80, unique=True, verbose_name="slug")),
                (
                    "acronym",
                    models.CharField(help_text="E.g. PACTESUR 2.", max_length=40, verbose_name="short name"),
                ),
                ("title_en", models.CharField(max_length=250, verbose_name="title (English)")),
                ("title_fr", models.CharField(blank=True, max_length=250, verbose_name="title (French)")),
                ("summary_en", models.TextField(blank=True, verbose_name="summary (English)")),
                ("summary_fr", models.TextField(blank=True, verbose_name="summary (French)")),
                (
                    "objectives_en",
                    models.TextField(
                        blank=True, help_text="One per line.", verbose_name="objectives (English)"
                    ),
                ),
                ("objectives_fr", models.TextField(blank=True, verbose_name="objectives (French)")),
                ("starts_on", models.DateField(blank=True, null=True, verbose_name="starts on")),
                ("ends_on", models.DateField(blank=True, null=True, verbose_name="ends on")),
                (
                    "funding_programme_en",
                    models.CharField(blank=True, max_length=250, verbose_name="funding programme (English)"),
                ),
                (
                    "funding_programme_fr",
                    models.CharField(blank=True, max_length=250, verbose_name="funding programme (French)"),
                ),
                (
                    "funding_statement_en",
                    models.CharField(blank=True, max_length=300, verbose_name="funding statement (English)"),
                ),
                (
                    "funding_statement_fr",
                    models.CharField(blank=True, max_length=300, verbose_name="funding statement (French)"),
                ),
                (
                    "funding_disclaimer_en",
                    models.TextField(blank=True, verbose_name="funding disclaimer (English)"),
                ),
                (
                    "funding_disclaimer_fr",
                    models.TextField(blank=True, verbose_name="funding disclaimer (French)"),
                ),
                ("website", models.URLField(blank=True, verbose_name="website")),
                (
                    "contact_email",
                    models.EmailField(blank=True, max_length=254, verbose_name="contact email"),
                ),
                (
                    "is_public",
                    models.BooleanField(
                        default=False, help_text="Show the project's public page.", verbose_name="public page"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "coordinators",
                    models.ManyToManyField(
                        blank=True,
                        help_text="They coordinate every call of the project and its partners.",
                        related_name="coordinated_projects",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="coordinators",
                    ),
                ),
            ],
            options={
                "verbose_name": "project",
                "verbose_name_plural": "projects",
                "ordering": ["-starts_on", "acronym"],
            },
            bases=(portal.translation.LocalizedMixin, models.Model),
        ),
        migrations.AddField(
            model_name="call",
            name="project",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="calls",
                to="intake.project",
                verbose_name="project",
            ),
        ),
        migrations.RunPython(calls_into_projects, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="call",
            name="project",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="calls",
                to="intake.project",
                verbose_name="project",
            ),
        ),
    ]
