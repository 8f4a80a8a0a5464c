"""Operators maintain the organisation here; groups and unit permissions follow by signals."""

from django.contrib import admin

from .models import CouncilMember, Dapil, Delegation, Fraksi, OfficialProfile, Position, Unit


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ["holder"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "letter_code", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "role", "holder"]
    list_filter = ["role", "unit"]
    autocomplete_fields = ["holder"]


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["position", "delegate", "kind", "starts_at", "ends_at", "revoked_at"]
    readonly_fields = ["created_by", "created_at", "revoked_at"]


admin.site.register(Fraksi)
admin.site.register(Dapil)
admin.site.register(CouncilMember)


@admin.register(OfficialProfile)
class OfficialProfileAdmin(admin.ModelAdmin):
    list_display = ["name_with_titles", "user", "nip", "rank"]
    search_fields = ["name_with_titles", "nip", "user__username"]
    autocomplete_fields = ["user"]
