"""The admin keeps the calendar; pokir themselves change only through the services.

In the admin a pokir is read-only and can never be deleted (the model and
its queryset refuse too): members edit and discard drafts on the pokir
pages, verifiers and the chair decide through their steps, and a final
pokir is locked for everyone.
"""

from django.contrib import admin

from project.readonly_admin import ReadOnlyAdmin

from .models import Pokir, PokirExport, PokirYear


@admin.register(PokirYear)
class PokirYearAdmin(admin.ModelAdmin):
    list_display = ["year", "deadline", "ceiling_per_member", "reminder_working_days"]
    readonly_fields = ["updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Pokir)
class PokirAdmin(ReadOnlyAdmin):
    """Read-only: members edit through the pokir pages and verifiers decide through their steps; a draft is
    discarded by its member (with its process); anything submitted is never deleted."""

    list_display = ["number", "title", "member", "year", "status"]
    list_filter = ["status", "year"]
    search_fields = ["title", "address"]
    actions = None  # no bulk delete

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Pokir._meta.fields] + ["reses_items"]


@admin.register(PokirExport)
class PokirExportAdmin(ReadOnlyAdmin):
    list_display = ["year", "format", "count", "made_by", "made_at"]
