"""SIAP's certificate authority: create it, issue signer certificates, revoke them.

Keys are ECDSA on NIST P-256 rather than RSA 2048. Both are accepted by PAdES
(ETSI TS 119 312) and checked by Adobe Reader, Foxit and pyHanko; P-256 gives
more security (about 128 bits against RSA 2048's 112), much smaller
signatures, and a new key takes microseconds instead of a noticeable pause,
which matters when an administrator issues certificates for a whole office
and for the tests.

Passphrases are never stored: each private key is saved as PKCS#8 encrypted
with cryptography's best available scheme under its own passphrase.
"""

import os
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .errors import NoAuthority, WrongPassphrase
from .models import (
    KDF_HEADER,
    CertificateAuthority,
    SignerCertificate,
    key_password,
)
from .pdfcheck import serial_hex

ORGANIZATION = "DPRD Kota Balikpapan"
COUNTRY = "ID"
AUTHORITY_DAYS = 3652  # ten years
DEFAULT_CERTIFICATE_DAYS = 730
MIN_SIGNER_PASSPHRASE_LENGTH = 8
MIN_AUTHORITY_PASSPHRASE_LENGTH = 12  # the authority's key mints every signer: a longer secret


def create_authority(name, passphrase):
    """Create SIAP's self-signed root authority (ten years), which becomes the one that issues certificates.

    Certificates issued by an older authority are revoked in the same
    transaction: only the newest authority is in use (see
    ``CertificateAuthority``), so their holders need new ones.
    """
    _check_passphrase(passphrase, min_length=MIN_AUTHORITY_PASSPHRASE_LENGTH)
    key = _new_key()
    subject = _name(name)
    now = _now()
    certificate = (
        _builder(subject, subject, key.public_key(), now, now + timedelta(days=AUTHORITY_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    with transaction.atomic():
        SignerCertificate.objects.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        return CertificateAuthority.objects.create(
            name=name, certificate_pem=_pem(certificate), private_key_pem=_encrypted_pem(key, passphrase)
        )


def issue_certificate(user, *, passphrase, ca_passphrase, days=DEFAULT_CERTIFICATE_DAYS):
    """Issue ``user`` a signing certificate from the current authority; their previous ones are revoked.

    The key is encrypted under ``passphrase``, which the signer types at every
    signature; ``ca_passphrase`` opens the authority's key to sign the
    certificate. Validity ends after ``days``, or with the authority's own.
    """
    _check_passphrase(passphrase, min_length=MIN_SIGNER_PASSPHRASE_LENGTH)
    if days < 1:
        raise ValidationError(_("Masa berlaku sertifikat minimal 1 hari."), code="days")
    authority = CertificateAuthority.objects.current()
    if authority is None:
        raise NoAuthority()
    try:
        authority_key = authority.private_key(ca_passphrase)
    except WrongPassphrase as error:
        raise WrongPassphrase(_("Frasa sandi otoritas sertifikat salah.")) from error
    authority_certificate = authority.certificate
    key = _new_key()
    now = _now()
    certificate = (
        _builder(
            _name(_full_name(user)),
            authority_certificate.subject,
            key.public_key(),
            now,
            min(now + timedelta(days=days), authority_certificate.not_valid_after_utc),
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=True, content_commitment=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key()), critical=False)
        .sign(authority_key, hashes.SHA256())
    )
    with transaction.atomic():
        revoke(user)
        return SignerCertificate.objects.create(
            user=user,
            authority=authority,
            serial_number=serial_hex(certificate.serial_number),
            certificate_pem=_pem(certificate),
            private_key_pem=_encrypted_pem(key, passphrase),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
        )


def revoke(user):
    """Revoke every certificate of ``user`` not yet revoked; returns how many were."""
    return SignerCertificate.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _check_passphrase(passphrase, *, min_length):
    if not passphrase:
        raise ValidationError(_("Frasa sandi wajib diisi."), code="required")
    if len(passphrase) < min_length:
        raise ValidationError(
            _("Frasa sandi minimal %(count)d karakter."), code="too_short", params={"count": min_length}
        )


def _full_name(user):
    return user.get_full_name().strip() or user.get_username()


def _new_key():
    return ec.generate_private_key(ec.SECP256R1())


def _now():
    """Now, to the second: X.509 times have no fractions, and a certificate must be valid the moment it is made."""
    return datetime.now(UTC).replace(microsecond=0)


def _name(common_name):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COUNTRY_NAME, COUNTRY),
        ]
    )


def _builder(subject, issuer, public_key, not_before, not_after):
    """What every SIAP certificate has; the key identifier tells apart authorities that share a name."""
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, digital_signature=False, content_commitment=False, key_cert_sign=False, crl_sign=False):
    return x509.KeyUsage(
        digital_signature=digital_signature,
        content_commitment=content_commitment,  # a.k.a. nonRepudiation
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=key_cert_sign,
        crl_sign=crl_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _pem(certificate):
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def _encrypted_pem(key, passphrase):
    """PKCS#8 encrypted under a key stretched from the passphrase by scrypt (``models.key_password``).

    PKCS#8's own PBKDF2 (2,048 rounds) would let a copy of the database be
    guessed at thousands of passphrases a second; scrypt costs every guess
    tens of milliseconds and 32 MB. The salt and cost go in a header line.
    """
    salt, n = os.urandom(16), 2**settings.SIAP_SIGNING_KEY_COST
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(key_password(passphrase, salt, n)),
    ).decode()
    return f"{KDF_HEADER} n={n} salt={salt.hex()}\n{pem}"
