from django.contrib import admin

from .models import DataRequest, RetentionRun


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what was done: read, never changed by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyAdmin):
    list_display = ["ran_at", "call", "decided_at", "months", "counts"]
    list_filter = ["call"]
    date_hierarchy = "ran_at"


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "person_id", "call", "account_erased", "by", "counts"]
    list_filter = ["kind", "account_erased", "call"]
    date_hierarchy = "at"
