from django.contrib import admin

from project.readonly_admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["at", "action", "user", "acting_for", "content_type", "object_id", "client_address"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_id", "user__username"]
