from django.contrib import admin

from project.readonly_admin import ReadOnlyAdmin

from .models import CertificateAuthority, SignerCertificate


class CertificateAdmin(ReadOnlyAdmin):
    """Certificates are made and revoked only by ``manage.py signing_ca``, which asks for the passphrases."""

    exclude = ["private_key_pem"]  # encrypted, but still nothing a page should show


@admin.register(CertificateAuthority)
class CertificateAuthorityAdmin(CertificateAdmin):
    list_display = ["name", "created_at"]


@admin.register(SignerCertificate)
class SignerCertificateAdmin(CertificateAdmin):
    list_display = ["user", "serial_number", "authority", "not_before", "not_after", "revoked_at"]
    list_filter = ["authority"]
    list_select_related = ["user", "authority"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "serial_number"]
