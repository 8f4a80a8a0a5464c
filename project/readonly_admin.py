"""The admin base for rows that only SIAP's own code writes (the trail, exports, processed mail, certificates).

They are listed and opened in the admin, never added, changed or deleted
there: what made them (a service, a command) is the only way they change.
"""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
