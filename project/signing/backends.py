"""Signing and verifying PDF letters, behind an interface another provider can fill.

SIAP signs with certificates from its own authority (``LocalCASigner``): an
uncertified electronic signature. A certified one (BSrE) means another
``Signer`` subclass named by ``settings.SIAP_SIGNER_BACKEND``; callers only use
``get_signer()`` and what ``Signer`` promises.
"""

import abc
import io
import logging
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import models
from django.utils.decorators import method_decorator
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from project.sandbox import SandboxFailure, run_child

from .errors import (
    CertificateUnusable,
    NoAuthority,
    NoCertificate,
    SigningError,
    WrongPassphrase,
)
from .models import CertificateAuthority, SignerCertificate

__all__ = [
    "CertificateUnusable",
    "LocalCASigner",
    "NoAuthority",
    "NoCertificate",
    "Signer",
    "SigningError",
    "Verification",
    "VerificationStatus",
    "WrongPassphrase",
    "get_signer",
]

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "project.signing.backends.LocalCASigner"
FIELD_NAME = "SIAP-TTE"

class VerificationStatus(models.TextChoices):
    VALID = "valid", _("Sah")
    MODIFIED = "modified", _("Diubah setelah ditandatangani")
    NOT_SIAP = "not_siap", _("Bukan sertifikat SIAP")
    UNSIGNED = "unsigned", _("Tidak bertanda tangan")
    UNREADABLE = "unreadable", _("Bukan PDF")


_EXPLANATIONS = {
    VerificationStatus.VALID: _(
        "Tanda tangan elektronik sah: dokumen ditandatangani dengan sertifikat SIAP "
        "(tanda tangan elektronik tidak tersertifikasi) dan tidak berubah sejak ditandatangani."
    ),
    VerificationStatus.MODIFIED: _(
        "Dokumen ini telah diubah setelah ditandatangani, "
        "sehingga tanda tangan elektroniknya tidak berlaku untuk isinya sekarang."
    ),
    VerificationStatus.NOT_SIAP: _(
        "Dokumen ini bertanda tangan elektronik yang utuh, tetapi sertifikatnya tidak diterbitkan oleh SIAP."
    ),
    VerificationStatus.UNSIGNED: _("Dokumen ini tidak memiliki tanda tangan elektronik."),
    VerificationStatus.UNREADABLE: _("Berkas ini bukan PDF yang dapat dibaca."),
}


@dataclass(frozen=True)
class Verification:
    """What checking a PDF found. Signer, time and serial come from the signature itself, whatever its status."""

    status: VerificationStatus
    signer_name: str = ""
    signed_at: datetime | None = None
    serial_number: str = ""

    @property
    def is_valid(self):
        return self.status == VerificationStatus.VALID

    @property
    def explanation(self):
        """One plain sentence saying what the status means for the reader of the letter."""
        return _EXPLANATIONS[self.status]


class Signer(abc.ABC):
    """What SIAP needs from an electronic signature provider.

    ``sign`` raises a ``SigningError`` (``NoCertificate``, ``WrongPassphrase``,
    ``CertificateUnusable``) whose ``message`` can be shown to the signer as it
    is; ``verify`` never raises for bad input and never goes to the network.
    """

    @abc.abstractmethod
    def has_certificate(self, user) -> bool:
        """Whether ``user`` could sign now (given the right passphrase)."""

    @abc.abstractmethod
    def check_passphrase(self, user, passphrase) -> None:
        """Raise the ``SigningError`` ``sign`` would raise for ``user`` and ``passphrase``, before any work is done
        (SIAP takes the letter's number only once the signer's key opens)."""

    @abc.abstractmethod
    def sign(self, pdf_bytes, *, user, passphrase, reason, location, field_name=FIELD_NAME) -> bytes:
        """The PDF with ``user``'s signature added as an incremental update."""

    @abc.abstractmethod
    def verify(self, pdf_bytes) -> Verification:
        """Check the document's last signature."""


def get_signer() -> Signer:
    """The signer SIAP is configured with (``settings.SIAP_SIGNER_BACKEND``, a dotted class path)."""
    return import_string(getattr(settings, "SIAP_SIGNER_BACKEND", DEFAULT_BACKEND))()


class LocalCASigner(Signer):
    """PAdES baseline B-B signatures with certificates of SIAP's own authority (``project.signing.services``).

    No timestamp authority is reachable, so the signing time is the server's
    clock, written in the signed signature dictionary.
    """

    def has_certificate(self, user):
        return SignerCertificate.objects.filter(user=user).usable().exists()

    @method_decorator(sensitive_variables("passphrase"))
    def check_passphrase(self, user, passphrase):
        _signing_certificate(user).private_key(passphrase)

    @method_decorator(sensitive_variables("passphrase"))
    def sign(self, pdf_bytes, *, user, passphrase, reason, location, field_name=FIELD_NAME):
        certificate = _signing_certificate(user)
        signer = _pyhanko_signer(certificate, certificate.private_key(passphrase))
        metadata = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
        )
        pdf_signer = signers.PdfSigner(metadata, signer, new_field_spec=fields.SigFieldSpec(sig_field_name=field_name))
        try:
            output = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False))
        except (PdfError, ValueError) as error:  # pyHanko's own SigningError is a ValueError
            logger.warning("PDF could not be signed: %s", error)
            raise SigningError(_("Berkas PDF ini tidak dapat ditandatangani.")) from error
        return output.getvalue()

    def verify(self, pdf_bytes):
        """Judged in a sandboxed child (``verifyworker``): anyone may upload a file to check, hostile ones too."""
        roots = "".join(
            authority.certificate.public_bytes(serialization.Encoding.PEM).decode() for authority in
            CertificateAuthority.objects.all()
        )
        with tempfile.TemporaryDirectory(prefix="siap-verify-") as folder:
            pdf_path, roots_path = Path(folder, "upload.pdf"), Path(folder, "roots.pem")
            pdf_path.write_bytes(pdf_bytes)
            roots_path.write_text(roots)
            try:
                answer = run_child("project.signing.verifyworker", "check", pdf_path, roots_path,
                                   timeout=settings.SIAP_VERIFY_TIMEOUT_SECONDS,
                                   memory_bytes=settings.SIAP_VERIFY_MEMORY_BYTES)
            except SandboxFailure as failure:
                logger.warning("PDF signature check stopped (%s): %s", failure.reason, failure.detail[-200:])
                return Verification(VerificationStatus.UNREADABLE)
        signed_at = datetime.fromisoformat(answer["signed_at"]) if answer["signed_at"] else None
        return Verification(VerificationStatus(answer["status"]), signer_name=answer["signer_name"],
                            signed_at=signed_at, serial_number=answer["serial_number"])


def _signing_certificate(user):
    certificate = SignerCertificate.objects.current_for(user)
    if certificate is not None:
        return certificate
    latest = SignerCertificate.objects.filter(user=user).order_by("-created_at", "-pk").first()
    if latest is None:
        raise NoCertificate()
    if latest.revoked_at is None and latest.is_expired:
        raise CertificateUnusable(
            _(
                "Sertifikat tanda tangan elektronik Anda sudah kedaluwarsa. "
                "Minta administrator menerbitkan sertifikat baru."
            )
        )
    raise CertificateUnusable()


def _pyhanko_signer(certificate, key):
    """pyHanko's signer for ``certificate`` and its opened ``key``.

    The authority's certificate goes into the signature too, so that any
    validator finds the whole chain.
    """
    return signers.SimpleSigner(
        signing_cert=_asn1_certificate(certificate),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([_asn1_certificate(certificate.authority)]),
    )


def _asn1_certificate(record):
    """pyHanko works with asn1crypto objects; SIAP keeps PEM text."""
    return asn1_x509.Certificate.load(record.certificate.public_bytes(serialization.Encoding.DER))
