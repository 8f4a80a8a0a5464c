"""The archivist keeps classification codes and their JRA here; stored files are read-only."""

from django.contrib import admin

from .models import ClassificationCode, DisposalDecision, Document, DocumentVersion


@admin.register(ClassificationCode)
class ClassificationCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent", "active_years", "inactive_years", "final_disposition"]
    list_editable = ["active_years", "inactive_years", "final_disposition"]
    search_fields = ["code", "name"]


class VersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ["number", "original_name", "note", "blob", "text_status", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "role", "owner_type", "owner_id", "created_at"]
    list_filter = ["role", "owner_type"]
    readonly_fields = ["owner_type", "owner_id", "role", "title", "created_by", "created_at"]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DisposalDecision)
class DisposalDecisionAdmin(admin.ModelAdmin):
    list_display = ["item_type", "item_id", "decision", "decided_by", "decided_at"]
    readonly_fields = ["item_type", "item_id", "decision", "note", "decided_by", "decided_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
