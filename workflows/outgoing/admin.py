"""The paraf chains are kept here; letters themselves change only through the process."""

from django.contrib import admin

from .models import ParafRule


@admin.register(ParafRule)
class ParafRuleAdmin(admin.ModelAdmin):
    list_display = ["signer_position", "order", "position", "aspect"]
    list_filter = ["signer_position"]
    ordering = ["signer_position", "order"]
