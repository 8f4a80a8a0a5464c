from django.contrib import admin

from .models import CertificateAuthority, SignerCertificate


class ReadOnlyAdmin(admin.ModelAdmin):
    """Certificates are made and revoked only by ``manage.py signing_ca``, which asks for the passphrases."""

    exclude = ["private_key_pem"]  # encrypted, but still nothing a page should show

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(ReadOnlyAdmin):
    list_display = ["name", "created_at"]


@admin.register(SignerCertificate)
class SignerCertificateAdmin(ReadOnlyAdmin):
    list_display = ["user", "serial_number", "authority", "not_before", "not_after", "revoked_at"]
    list_filter = ["authority"]
    list_select_related = ["user", "authority"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "serial_number"]
