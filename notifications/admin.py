from django.contrib import admin

from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "subject"]
