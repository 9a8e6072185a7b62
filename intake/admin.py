from django.contrib import admin

from .models import Application, Call, FaqEntry, Organisation, Question, Section


class SectionInline(admin.TabularInline):
    model = Section
    extra = 0
    fields = ["order", "title_en", "title_fr"]
    show_change_link = True


class FaqInline(admin.StackedInline):
    model = FaqEntry
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title_en", "slug", "opens_at", "closes_at", "is_published"]
    prepopulated_fields = {"slug": ["title_en"]}
    filter_horizontal = ["coordinators"]
    inlines = [SectionInline, FaqInline]


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("order", "key", "kind", "required"),
        ("label_en", "label_fr"),
        ("help_en", "help_fr"),
        ("max_length", "min_value", "max_value", "max_files"),
        "choices",
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
    readonly_fields = ["status", "reference", "number", "submitted_at", "submitted_by"]
