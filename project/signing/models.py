"""Keys and certificates of SIAP's own electronic signatures.

These make an *uncertified* electronic signature (tanda tangan elektronik tidak
tersertifikasi): the certificates come from a certificate authority that SIAP
keeps itself, not from BSrE. Private keys are stored only encrypted (PKCS#8,
under a scrypt-stretched passphrase that SIAP never stores), so a copy of the
database alone cannot sign anything without guessing, slowly, each passphrase.
"""

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from .errors import WrongPassphrase

KDF_HEADER = "SIAP-KDF scrypt"


def key_password(passphrase, salt, n):
    """The PKCS#8 password a passphrase stands for: scrypt-stretched, so a stolen database is slow to guess."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=8, p=1).derive(passphrase.encode()).hex().encode()


@sensitive_variables("passphrase", "password")
def decrypt_private_key(private_key_pem, passphrase):
    """The key inside an encrypted PKCS#8 PEM (after its scrypt header); a wrong or missing passphrase raises
    ``WrongPassphrase``.

    cryptography says "wrong passphrase" with ValueError (bad decrypt) or
    TypeError (no passphrase given for an encrypted key); the caller only needs
    to know the passphrase did not open the key.
    """
    header, _newline, pem = private_key_pem.partition("\n")
    if not passphrase or not header.startswith(KDF_HEADER):
        raise WrongPassphrase()
    fields = dict(part.split("=", 1) for part in header.removeprefix(KDF_HEADER).split())
    password = key_password(passphrase, bytes.fromhex(fields["salt"]), int(fields["n"]))
    try:
        return serialization.load_pem_private_key(pem.encode(), password)
    except (ValueError, TypeError) as error:
        raise WrongPassphrase() from error


class AuthorityQuerySet(models.QuerySet):
    def current(self):
        """The authority that issues new certificates: the newest one, or None before ``signing_ca init``."""
        return self.order_by("-created_at", "-pk").first()


class CertificateAuthority(models.Model):
    """SIAP's own root certificate authority.

    Only the newest authority is in use: it alone issues certificates, and
    creating a new one revokes the certificates the older ones issued
    (``services.create_authority``). One issuer keeps the chain a single step
    and makes replacing the authority (a new key, a forgotten passphrase)
    effective at once. Older authorities are kept, not deleted, because they
    remain trust roots for verifying letters signed before the replacement.
    """

    name = models.CharField(_("nama"), max_length=200)
    certificate_pem = models.TextField(_("sertifikat (PEM)"))
    private_key_pem = models.TextField(_("kunci privat terenkripsi (PEM)"))
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now, editable=False)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("otoritas sertifikat")
        verbose_name_plural = _("otoritas sertifikat")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    @property
    def certificate(self):
        return x509.load_pem_x509_certificate(self.certificate_pem.encode())

    def private_key(self, passphrase):
        return decrypt_private_key(self.private_key_pem, passphrase)


class SignerCertificateQuerySet(models.QuerySet):
    def usable(self):
        """Certificates that may sign now: not revoked and inside their validity period."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, not_before__lte=now, not_after__gt=now)

    def current_for(self, user):
        """The certificate ``user`` signs with, or None."""
        return self.filter(user=user).usable().order_by("-created_at", "-pk").first()


class SignerCertificate(models.Model):
    """A person's signing certificate and key, issued by SIAP's authority.

    Rows are never deleted, only revoked: a signed letter names its
    certificate's serial number, which must stay traceable to a person.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    authority = models.ForeignKey(
        CertificateAuthority,
        verbose_name=_("otoritas sertifikat"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    serial_number = models.CharField(_("nomor seri"), max_length=40, unique=True, help_text=_("heksadesimal"))
    certificate_pem = models.TextField(_("sertifikat (PEM)"))
    private_key_pem = models.TextField(_("kunci privat terenkripsi (PEM)"))
    not_before = models.DateTimeField(_("berlaku mulai"))
    not_after = models.DateTimeField(_("berlaku sampai"))
    created_at = models.DateTimeField(_("diterbitkan"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = SignerCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("sertifikat penanda tangan")
        verbose_name_plural = _("sertifikat penanda tangan")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.serial_number})"

    @property
    def certificate(self):
        return x509.load_pem_x509_certificate(self.certificate_pem.encode())

    @property
    def common_name(self):
        """The signer's name as the certificate states it (and as PDF readers show it)."""
        return self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value

    @property
    def is_expired(self):
        return self.not_after <= timezone.now()

    def private_key(self, passphrase):
        return decrypt_private_key(self.private_key_pem, passphrase)
