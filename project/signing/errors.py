"""Why a signature could not be made, in words a signer can act on.

They live apart from ``backends`` so that the models and ``services`` can raise
them too; ``backends`` re-exports them, which is where callers import them from.
"""

from django.utils.translation import gettext_lazy as _


class SigningError(Exception):
    """Base of every refusal to sign; ``message`` is shown to the user as it is."""

    default_message = _("Dokumen tidak dapat ditandatangani.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(self.message)


class NoCertificate(SigningError):
    default_message = _(
        "Anda belum memiliki sertifikat tanda tangan elektronik. Minta administrator menerbitkannya."
    )


class WrongPassphrase(SigningError):
    default_message = _("Frasa sandi salah.")


class CertificateUnusable(SigningError):
    """The signer has certificates, but none that may sign now (revoked or expired)."""

    default_message = _(
        "Sertifikat tanda tangan elektronik Anda sudah dicabut atau kedaluwarsa. "
        "Minta administrator menerbitkan sertifikat baru."
    )


class NoAuthority(SigningError):
    default_message = _("Otoritas sertifikat SIAP belum dibuat. Jalankan: manage.py signing_ca init --name NAMA.")
