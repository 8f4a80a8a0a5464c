"""Signing and verifying PDF letters, behind an interface another provider can fill.

SIAP signs with certificates from its own authority (``LocalCASigner``): an
uncertified electronic signature. A certified one (BSrE) means another
``Signer`` subclass named by ``settings.SIAP_SIGNER_BACKEND``; callers only use
``get_signer()`` and what ``Signer`` promises.
"""

import abc
import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from .errors import CertificateUnusable, NoAuthority, NoCertificate, SigningError, WrongPassphrase
from .models import CertificateAuthority, SignerCertificate
from .services import serial_hex

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

# A signature dictionary as it sits in the file: found in the raw bytes when
# damage keeps the PDF reader from reaching it. Two independent markers, so
# that one changed byte cannot hide both.
_SIGNATURE_DICTIONARY = re.compile(rb"/ByteRange\s*\[|/Type\s*/Sig\b")


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
        trust_roots = [_asn1_certificate(authority) for authority in CertificateAuthority.objects.all()]
        try:
            return _verify_last_signature(pdf_bytes, trust_roots)
        except Exception as error:  # noqa: BLE001 - damaged or hostile input: the reader fails in many ways
            logger.info("PDF signature could not be read: %r", error)
            return _unreadable_or_modified(pdf_bytes)


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


def _verify_last_signature(data, trust_roots):
    """Judge the last signature, which must cover the whole file: anything added after it was not signed."""
    signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures
    if not signatures:
        return _unsigned_or_modified(data)
    embedded = signatures[-1]
    # Judged at the signing time the signature states (inside the signed bytes):
    # a letter stays valid after its signer's certificate expires.
    signed_at = embedded.self_reported_timestamp
    context = ValidationContext(
        trust_roots=trust_roots, moment=signed_at, allow_fetching=False, revocation_mode="soft-fail"
    )
    result = validate_pdf_signature(embedded, context, skip_diff=True)
    certificate = result.signing_cert
    return Verification(
        status=_status(result),
        signer_name=certificate.subject.native.get("common_name", ""),
        signed_at=signed_at,
        serial_number=serial_hex(certificate.serial_number),
    )


def _status(result):
    if not (result.intact and result.valid) or result.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return VerificationStatus.MODIFIED
    return VerificationStatus.VALID if result.bottom_line else VerificationStatus.NOT_SIAP


def _unsigned_or_modified(data):
    """No signature reachable: a signature dictionary still in the bytes means the structure was tampered with."""
    if _SIGNATURE_DICTIONARY.search(data):
        return Verification(VerificationStatus.MODIFIED)
    return Verification(VerificationStatus.UNSIGNED)


def _unreadable_or_modified(data):
    """The reader failed. A signature dictionary is PDF syntax, so bytes holding one are a signed PDF since damaged.

    That holds even when the damage is in the ``%PDF-`` header itself, which
    is inside the signed bytes like any other.
    """
    if _SIGNATURE_DICTIONARY.search(data):
        return Verification(VerificationStatus.MODIFIED)
    return Verification(VerificationStatus.UNREADABLE)


def _asn1_certificate(record):
    """pyHanko works with asn1crypto objects; SIAP keeps PEM text."""
    return asn1_x509.Certificate.load(record.certificate.public_bytes(serialization.Encoding.DER))
