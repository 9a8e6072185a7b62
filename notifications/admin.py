from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import Attachment, FileSweep, IssuedDocument, Message


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["filename", "content_type"]
    readonly_fields = fields
    can_delete = False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "scope", "to_email", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject", "idempotency_key", "scope"]
    readonly_fields = [
        "kind",
        "scope",
        "recipient",
        "to_email",
        "language",
        "subject",
        "body_text",
        "status",
        "attempts",
        "last_error",
        "idempotency_key",
        "awaiting_attachments",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "created_at",
    ]
    exclude = ["body_html"]
    inlines = [AttachmentInline]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.is_confidential:
            return [field for field in fields if field != "body_text"]
        return fields

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if obj is not None and obj.is_confidential:
            exclude.append("body_text")
        return exclude

    def has_add_permission(self, request):
        return False


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Documents of record: readable, never edited or deleted here."""

    list_display = ["created_at", "kind", "subject_key", "version", "language", "verification_code"]
    list_filter = ["kind", "language"]
    search_fields = ["subject_key", "verification_code", "sha256", "title"]
    readonly_fields = [field.name for field in IssuedDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FileSweep)
class FileSweepAdmin(admin.ModelAdmin):
    """What each daily sweep of unreferenced files removed: a record, never edited."""

    list_display = [
        "started_at",
        "files_checked",
        "files_removed",
        "removed",
        "temporary_files_removed",
        "temporary",
    ]
    readonly_fields = [field.name for field in FileSweep._meta.fields]

    @admin.display(description=_("size removed"))
    def removed(self, sweep):
        return filesizeformat(sweep.bytes_removed)

    @admin.display(description=_("temporary size removed"))
    def temporary(self, sweep):
        return filesizeformat(sweep.temporary_bytes_removed)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
