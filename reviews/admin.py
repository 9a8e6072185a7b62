"""Administration of the evaluation: settings on the call, criteria and records read-only.

Records that carry the audit trail (screenings, assignments, reviews, decisions) change
only through the coordinator's pages, which call the services; here they are read-only.
"""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from intake.models import Call

from . import services
from .models import (
    Assignment,
    CallEvaluator,
    ConflictDeclaration,
    ConsensusScore,
    Criterion,
    Decision,
    EligibilityScreening,
    Review,
    ReviewSettings,
    Score,
    SelectionOverride,
)


class RefusedOnceFinal(BaseInlineFormSet):
    """Once a call's selection is final, its criteria and settings no longer change."""

    def clean(self):
        super().clean()
        finalised = self.instance.pk and ReviewSettings.objects.for_call(self.instance).is_finalised
        if finalised and any(form.has_changed() for form in self.forms):
            raise ValidationError(_("The selection is final; its settings can no longer change."))


class CriterionInline(admin.StackedInline):
    """The criteria, to read: they change in the call builder, through their service (audited,
    checked, refused once the selection is final, and the stored ranking told)."""

    model = Criterion
    extra = 0
    can_delete = False
    fields = [
        ("order", "weight", "threshold", "tie_break_priority"),
        ("name_en", "name_fr"),
        ("guidance_en", "guidance_fr"),
    ]
    readonly_fields = [name for line in fields for name in line]
    verbose_name_plural = _("criteria (changed in the call builder)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReviewSettingsInline(admin.StackedInline):
    model = ReviewSettings
    formset = RefusedOnceFinal
    can_delete = False
    max_num = 1
    exclude = ["finalised_at", "finalised_by"]
    verbose_name_plural = _("evaluation and selection settings")


# Criteria and settings are edited on the call's own page. intake's admin knows nothing of
# reviews, so its Call admin is extended here rather than there.
_CallAdmin = type(admin.site._registry[Call]) if admin.site.is_registered(Call) else admin.ModelAdmin
if admin.site.is_registered(Call):
    admin.site.unregister(Call)


@admin.register(Call)
class CallWithCriteriaAdmin(_CallAdmin):
    inlines = [*getattr(_CallAdmin, "inlines", []), ReviewSettingsInline, CriterionInline]

    def save_formset(self, request, form, formset, change):
        """The settings change through their service, audited like a change on the pages."""
        if formset.model is not ReviewSettings:
            super().save_formset(request, form, formset, change)
            return
        for settings_form in formset.forms:
            if settings_form.has_changed():
                changes = {
                    name: settings_form.cleaned_data[name]
                    for name in services.SETTINGS_FIELDS
                    if name in settings_form.cleaned_data
                }
                services.change_review_settings(form.instance, by=request.user, changes=changes)
        # The audit log has the change; the admin's own history line has nothing to add.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CallEvaluator)
class CallEvaluatorAdmin(admin.ModelAdmin):
    list_display = ["user", "call", "country", "languages", "max_load", "is_active"]
    list_filter = ["call", "is_active"]
    search_fields = ["user__email", "user__full_name"]
    autocomplete_fields = ["user"]


@admin.register(EligibilityScreening)
class EligibilityScreeningAdmin(ReadOnlyAdmin):
    list_display = ["application", "decision", "decided_by", "decided_at"]
    list_filter = ["decision", "application__call"]
    list_select_related = ["application", "decided_by"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["evaluator", "call", "scope", "target", "declared_at"]
    list_filter = ["call", "scope"]
    list_select_related = ["evaluator", "call", "application", "organisation"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["application", "evaluator", "status", "assigned_at", "seed"]
    list_filter = ["status", "application__call"]
    list_select_related = ["application", "evaluator"]
    search_fields = ["application__reference", "evaluator__email"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "value", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["application", "evaluator", "status", "recommendation", "submitted_at"]
    list_filter = ["status", "application__call"]
    list_select_related = ["application", "evaluator"]
    inlines = [ScoreInline]


@admin.register(ConsensusScore)
class ConsensusScoreAdmin(ReadOnlyAdmin):
    list_display = ["application", "criterion", "value", "set_by", "set_at"]
    list_select_related = ["application", "criterion", "set_by"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "rank", "reserve_position", "response", "decided_at"]
    list_filter = ["outcome", "response", "application__call"]
    list_select_related = ["application"]


@admin.register(SelectionOverride)
class SelectionOverrideAdmin(ReadOnlyAdmin):
    list_display = ["application", "action", "created_by", "created_at"]
    list_select_related = ["application", "created_by"]
