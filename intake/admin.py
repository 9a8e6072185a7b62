from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Application, Call, CallMessageText, FaqEntry, Organisation, Project, Question, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["order", "title_en", "title_fr"]
    show_change_link = True


class FaqInline(admin.StackedInline):
    model = FaqEntry
    extra = 0


class MessageTextInline(admin.StackedInline):
    model = CallMessageText
    extra = 0
    fields = ["kind", ("text_en", "text_fr")]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["acronym", "title_en", "starts_on", "ends_on", "is_public"]
    prepopulated_fields = {"slug": ["acronym"]}
    filter_horizontal = ["coordinators"]


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title_en", "project", "slug", "opens_at", "closes_at", "is_published"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["coordinators"]
    inlines = [SectionInline, FaqInline, MessageTextInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "project",
                    ("title_en", "title_fr"),
                    ("slug", "reference_prefix"),
                    ("summary_en", "summary_fr"),
                    ("description_en", "description_fr"),
                    ("eligibility_en", "eligibility_fr"),
                    ("how_to_apply_en", "how_to_apply_fr"),
                ]
            },
        ),
        (
            _("Dates and rules"),
            {
                "fields": [
                    "timezone",
                    ("opens_at", "closes_at", "reply_deadline"),
                    ("places", "reserve_size", "max_per_country"),
                    "eligible_countries",
                    "eligible_kinds",
                    "requires_commitment_letter",
                    "is_published",
                    "coordinators",
                ]
            },
        ),
        (
            _("Letters"),
            {
                "description": _("What the decision letters say; an empty field keeps the standard text."),
                "fields": [
                    "project_name",
                    ("associated_role_en", "associated_role_fr"),
                    ("signatory_name", "signatory_role_en", "signatory_role_fr"),
                    ("funding_statement_en", "funding_statement_fr"),
                    ("funding_disclaimer_en", "funding_disclaimer_fr"),
                ],
            },
        ),
        (
            _("Personal data"),
            {
                "description": _(
                    "How long applications that got no place keep their contact data after the decision."
                ),
                "fields": ["contact_retention_months"],
            },
        ),
    ]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("order", "key", "kind", "required", "personal_data"),
        ("label_en", "label_fr"),
        ("help_en", "help_fr"),
        ("max_length", "min_value", "max_value", "max_files"),
        ("min_date", "max_date"),
        "choices",
        "file_types",
    ]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title_en", "call", "order"]
    list_filter = ["call"]
    inlines = [QuestionInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "efus_member"]
    list_filter = ["country", "kind", "efus_member"]
    search_fields = ["name"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["reference", "organisation", "call", "status", "submitted_at"]
    list_filter = ["call", "status"]
    search_fields = ["reference", "organisation__name"]
    list_select_related = ["organisation", "call"]
    readonly_fields = [
        "status",
        "reference",
        "number",
        "submitted_at",
        "submitted_by",
        "contacts_anonymised_at",
    ]
