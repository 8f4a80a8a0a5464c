"""SIAP's own electronic signatures end to end: real keys, real PDFs, pyHanko as the independent judge."""

import io
import socket
from datetime import UTC, datetime, timedelta

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from project.signing import pdfcheck, services
from project.signing.backends import (
    CertificateUnusable,
    LocalCASigner,
    NoAuthority,
    NoCertificate,
    Verification,
    VerificationStatus,
    WrongPassphrase,
    get_signer,
)
from project.signing.models import SignerCertificate
from tests import hostile_pdfs

CA_PASSPHRASE = "kunci-otoritas-uji"
PASSPHRASE = "rahasia-budi-123"
LETTER_TEXT = b"Undangan Rapat Paripurna DPRD Kota Balikpapan"


class OtherSigner(LocalCASigner):
    """Stands for a future provider (BSrE) named in the setting."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Signing and verifying must work with no way out: any connection beyond this machine fails the test."""
    connect = socket.socket.connect

    def loopback_only(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            raise AssertionError(f"network connection attempted to {address}")
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)


@pytest.fixture
def authority(db):
    return services.create_authority("CA Uji SIAP", CA_PASSPHRASE)


@pytest.fixture
def signer_user(db):
    return get_user_model().objects.create_user("budi", first_name="Budi", last_name="Santoso")


@pytest.fixture
def certificate(authority, signer_user):
    return services.issue_certificate(signer_user, passphrase=PASSPHRASE, ca_passphrase=CA_PASSPHRASE)


@pytest.fixture
def letter():
    """A one-page letter whose page content is not compressed, so a test can change a word of it in place."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4, pageCompression=0)
    sheet.drawString(72, 760, LETTER_TEXT.decode())
    sheet.save()
    return buffer.getvalue()


@pytest.fixture
def signed(letter, certificate):
    return sign(letter, certificate.user)


def sign(pdf, user, passphrase=PASSPHRASE):
    return LocalCASigner().sign(
        pdf, user=user, passphrase=passphrase, reason="Persetujuan surat", location="Balikpapan"
    )


def verify(pdf):
    return LocalCASigner().verify(pdf)


def flip(data, position):
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def signed_positions(signed_pdf):
    """Every offset the signature covers: the file minus the hole that holds the signature itself."""
    signature = PdfFileReader(io.BytesIO(signed_pdf), strict=False).embedded_regular_signatures[0]
    start1, length1, start2, length2 = signature.sig_object["/ByteRange"]
    return [*range(start1, start1 + length1), *range(start2, start2 + length2)]


def asn1(certificate):
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


# --- signing, and pyHanko's own judgement of the result ---


@pytest.mark.django_db
def test_signed_letter_is_intact_trusted_and_covers_the_whole_file(authority, certificate, signed):
    embedded = PdfFileReader(io.BytesIO(signed), strict=False).embedded_regular_signatures
    assert [signature.field_name for signature in embedded] == ["SIAP-TTE"]
    assert embedded[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert embedded[0].sig_object["/Reason"] == "Persetujuan surat"
    context = ValidationContext(trust_roots=[asn1(authority.certificate)], allow_fetching=False)
    status = validate_pdf_signature(embedded[0], context)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"

    verification = verify(signed)
    assert verification.status == VerificationStatus.VALID
    assert verification.is_valid
    assert verification.signer_name == "Budi Santoso"
    assert verification.serial_number == certificate.serial_number
    assert abs(verification.signed_at - timezone.now()) < timedelta(minutes=1)
    assert "sah" in str(verification.explanation)


@pytest.mark.django_db
def test_signature_field_is_invisible(signed):
    signature = PdfFileReader(io.BytesIO(signed), strict=False).embedded_regular_signatures[0]
    assert [float(side) for side in signature.sig_field["/Rect"]] == [0, 0, 0, 0]


@pytest.mark.django_db
def test_certificate_names_the_signer_and_may_only_sign(certificate):
    issued = certificate.certificate
    assert issued.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Budi Santoso"
    assert issued.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "DPRD Kota Balikpapan"
    usage = issued.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment and not usage.key_cert_sign
    assert not issued.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert certificate.serial_number == format(issued.serial_number, "x")
    assert b"ENCRYPTED PRIVATE KEY" in certificate.private_key_pem.encode()


@pytest.mark.django_db
def test_authority_is_a_ten_year_root(authority):
    root = authority.certificate
    assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = root.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and usage.crl_sign and not usage.digital_signature
    assert (root.not_valid_after_utc - root.not_valid_before_utc).days >= 3652


# --- verification outcomes ---


def _outside_authority_pdf(letter):
    """A letter signed under an authority SIAP does not run, even one that copies SIAP's authority's name."""
    now = datetime.now(UTC)
    impostor_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "CA Uji SIAP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DPRD Kota Balikpapan"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        ]
    )
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = (
        _certificate_builder(impostor_name, impostor_name, root_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    outsider = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Orang Luar")])
    leaf = (
        _certificate_builder(outsider, impostor_name, key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(root_key, hashes.SHA256())
    )
    signer = signers.SimpleSigner(
        signing_cert=asn1(leaf),
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        ),
        cert_registry=SimpleCertificateStore.from_certs([asn1(root)]),
    )
    metadata = signers.PdfSignatureMetadata(
        field_name="Luar", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(letter), strict=False), metadata, signer).getvalue()


def _certificate_builder(subject, issuer, public_key, now):
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=1))
        .not_valid_after(now + timedelta(days=30))
    )


@pytest.mark.django_db
def test_signature_from_an_outside_authority_is_not_siap(authority, letter):
    verification = verify(_outside_authority_pdf(letter))
    assert verification.status == VerificationStatus.NOT_SIAP
    assert verification.signer_name == "Orang Luar"
    assert not verification.is_valid


@pytest.mark.django_db
def test_one_changed_letter_in_the_page_text_is_modified(signed):
    position = signed.index(LETTER_TEXT) + LETTER_TEXT.index(b"Paripurna")
    assert position in signed_positions(signed)
    assert verify(flip(signed, position)).status == VerificationStatus.MODIFIED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "marker",
    [b"%PDF-", b"/AcroForm", b"/Fields", b"/FT /Sig", b"/Type /Sig", b"/ByteRange", b"/SubFilter", b"/M (D", b"xref"],
)
def test_one_changed_byte_in_the_signed_structure_is_modified(signed, marker):
    """Damage that keeps the reader from even finding the signature must not pass for an unsigned or unreadable file."""
    position = signed.index(marker) + 1
    assert position in signed_positions(signed)
    assert verify(flip(signed, position)).status == VerificationStatus.MODIFIED


@pytest.mark.django_db
def test_a_changed_byte_anywhere_in_the_signed_range_is_modified(authority, signed):
    """The judging itself (``pdfcheck``, what the sandboxed child runs), over 40 places of the signed bytes."""
    roots = [authority.certificate.public_bytes(serialization.Encoding.DER)]
    positions = signed_positions(signed)
    assert pdfcheck.check(signed, roots)["status"] == pdfcheck.VALID
    for position in positions[:: len(positions) // 40]:
        assert pdfcheck.check(flip(signed, position), roots)["status"] == pdfcheck.MODIFIED, position


@pytest.mark.django_db
def test_the_check_runs_in_a_limited_child_process(signed, settings):
    """A file that needs more than the child may use is unreadable, and the server process is untouched."""
    settings.SIAP_VERIFY_MEMORY_BYTES = 64 * 1024 * 1024  # too little for Python with pyHanko loaded
    assert verify(signed).status == VerificationStatus.UNREADABLE


@pytest.mark.django_db
def test_incremental_update_after_signing_is_modified(signed):
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    writer.root["/PageMode"] = generic.NameObject("/UseOutlines")
    writer.update_root()
    updated = io.BytesIO()
    writer.write(updated)
    assert updated.getvalue().startswith(signed)
    assert verify(updated.getvalue()).status == VerificationStatus.MODIFIED


@pytest.mark.django_db
def test_unsigned_pdf_is_unsigned(authority, letter):
    verification = verify(letter)
    assert verification.status == VerificationStatus.UNSIGNED
    assert verification.signer_name == "" and verification.signed_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("data", [b"", b"bukan PDF sama sekali", bytes(range(256)) * 8, b"%PDF-1.7\n%%EOF"])
def test_garbage_is_unreadable(authority, data):
    assert verify(data).status == VerificationStatus.UNREADABLE


@pytest.mark.django_db
@pytest.mark.parametrize("make", [hostile_pdfs.truncated, hostile_pdfs.broken_xref, hostile_pdfs.page_tree_loop])
def test_damaged_unsigned_pdf_does_not_crash(authority, make):
    assert verify(make()).status in {VerificationStatus.UNSIGNED, VerificationStatus.UNREADABLE}


@pytest.mark.django_db
def test_every_status_has_a_sentence():
    sentences = {str(Verification(status).explanation) for status in VerificationStatus}
    assert len(sentences) == len(VerificationStatus)


# --- refusals to sign ---


@pytest.mark.django_db
@pytest.mark.parametrize("passphrase", ["salah-sekali", ""])
def test_wrong_passphrase_signs_nothing(certificate, letter, passphrase):
    with pytest.raises(WrongPassphrase) as refused:
        sign(letter, certificate.user, passphrase=passphrase)
    assert str(refused.value.message) == "Frasa sandi salah."


@pytest.mark.django_db
def test_user_without_certificate_cannot_sign(authority, signer_user, letter):
    assert not get_signer().has_certificate(signer_user)
    with pytest.raises(NoCertificate) as refused:
        sign(letter, signer_user)
    assert "belum memiliki sertifikat" in str(refused.value.message)


@pytest.mark.django_db
def test_revoked_certificate_cannot_sign(certificate, letter):
    assert services.revoke(certificate.user) == 1
    assert not LocalCASigner().has_certificate(certificate.user)
    with pytest.raises(CertificateUnusable) as refused:
        sign(letter, certificate.user)
    assert "dicabut" in str(refused.value.message)


@pytest.mark.django_db
def test_expired_certificate_cannot_sign(certificate, letter):
    SignerCertificate.objects.filter(pk=certificate.pk).update(not_after=timezone.now() - timedelta(days=1))
    with pytest.raises(CertificateUnusable) as refused:
        sign(letter, certificate.user)
    assert "kedaluwarsa" in str(refused.value.message)


@pytest.mark.django_db
def test_letter_signed_before_its_certificate_expired_stays_valid(authority, certificate, signed):
    SignerCertificate.objects.filter(pk=certificate.pk).update(not_after=timezone.now() - timedelta(days=1))
    assert verify(signed).status == VerificationStatus.VALID


# --- the authority and certificates ---


@pytest.mark.django_db
def test_new_certificate_revokes_the_previous_one(certificate, letter):
    user = certificate.user
    replacement = services.issue_certificate(user, passphrase="frasa-baru-456", ca_passphrase=CA_PASSPHRASE)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert SignerCertificate.objects.current_for(user) == replacement
    with pytest.raises(WrongPassphrase):
        sign(letter, user)  # the old passphrase opened the old key only
    assert verify(sign(letter, user, passphrase="frasa-baru-456")).serial_number == replacement.serial_number


@pytest.mark.django_db
def test_replacing_the_authority_revokes_its_certificates_but_keeps_old_letters_valid(certificate, signed, letter):
    services.create_authority("CA Uji SIAP", "kunci-otoritas-baru")
    assert not LocalCASigner().has_certificate(certificate.user)
    assert verify(signed).status == VerificationStatus.VALID
    renewed = services.issue_certificate(certificate.user, passphrase=PASSPHRASE, ca_passphrase="kunci-otoritas-baru")
    assert verify(sign(letter, certificate.user)).serial_number == renewed.serial_number


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("passphrase", "message"), [("", "Frasa sandi wajib diisi."), ("pendek", "Frasa sandi minimal 8 karakter.")]
)
def test_signer_passphrase_must_be_long_enough(authority, signer_user, passphrase, message):
    with pytest.raises(ValidationError) as refused:
        services.issue_certificate(signer_user, passphrase=passphrase, ca_passphrase=CA_PASSPHRASE)
    assert refused.value.messages == [message]
    assert not SignerCertificate.objects.exists()


@pytest.mark.django_db
def test_issuing_needs_the_authority_and_its_passphrase(signer_user):
    with pytest.raises(NoAuthority):
        services.issue_certificate(signer_user, passphrase=PASSPHRASE, ca_passphrase=CA_PASSPHRASE)
    services.create_authority("CA Uji SIAP", CA_PASSPHRASE)
    with pytest.raises(WrongPassphrase) as refused:
        services.issue_certificate(signer_user, passphrase=PASSPHRASE, ca_passphrase="bukan-itu")
    assert str(refused.value.message) == "Frasa sandi otoritas sertifikat salah."


@pytest.mark.django_db
def test_get_signer_follows_the_setting(settings):
    assert type(get_signer()) is LocalCASigner
    settings.SIAP_SIGNER_BACKEND = "project.signing.tests.test_signing.OtherSigner"
    assert type(get_signer()) is OtherSigner


# --- manage.py signing_ca ---


@pytest.mark.django_db
def test_command_round_trip(signer_user, letter, monkeypatch):
    monkeypatch.setenv("UJI_CA_PASSPHRASE", CA_PASSPHRASE)
    monkeypatch.setenv("UJI_PASSPHRASE", PASSPHRASE)
    output = io.StringIO()
    call_command("signing_ca", "init", "--name", "CA SIAP", "--ca-passphrase-env", "UJI_CA_PASSPHRASE", stdout=output)
    call_command(
        "signing_ca", "issue", "budi", "--days", "30",
        "--passphrase-env", "UJI_PASSPHRASE", "--ca-passphrase-env", "UJI_CA_PASSPHRASE",
        stdout=output,
    )
    certificate = SignerCertificate.objects.get(user=signer_user)
    assert certificate.not_after - certificate.not_before == timedelta(days=30)
    assert f"Sertifikat {certificate.serial_number} diterbitkan untuk Budi Santoso" in output.getvalue()
    assert verify(sign(letter, signer_user)).status == VerificationStatus.VALID

    call_command("signing_ca", "list", stdout=output)
    assert f"budi\tBudi Santoso\t{certificate.serial_number}" in output.getvalue()
    call_command("signing_ca", "revoke", "budi", stdout=output)
    assert "1 sertifikat milik budi dicabut." in output.getvalue()
    assert not LocalCASigner().has_certificate(signer_user)


@pytest.mark.django_db
def test_command_refuses_a_second_authority_unless_replacing(monkeypatch):
    monkeypatch.setenv("UJI_CA_PASSPHRASE", CA_PASSPHRASE)
    init = ["signing_ca", "init", "--ca-passphrase-env", "UJI_CA_PASSPHRASE"]
    call_command(*init, "--name", "CA SIAP", stdout=io.StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command(*init, "--name", "CA kedua")
    call_command(*init, "--name", "CA kedua", "--replace", stdout=io.StringIO())
    assert str(services.CertificateAuthority.objects.current()) == "CA kedua"


@pytest.mark.django_db
def test_command_reports_refusals_in_words(authority, signer_user, monkeypatch):
    monkeypatch.setenv("UJI_CA_PASSPHRASE", "bukan-itu")
    monkeypatch.setenv("UJI_PASSPHRASE", "pendek")
    arguments = ["issue", "budi", "--passphrase-env", "UJI_PASSPHRASE", "--ca-passphrase-env", "UJI_CA_PASSPHRASE"]
    with pytest.raises(CommandError, match="minimal 8 karakter"):
        call_command("signing_ca", *arguments)
    monkeypatch.setenv("UJI_PASSPHRASE", PASSPHRASE)
    with pytest.raises(CommandError, match="Frasa sandi otoritas sertifikat salah"):
        call_command("signing_ca", *arguments)
    monkeypatch.delenv("UJI_PASSPHRASE")
    with pytest.raises(CommandError, match="UJI_PASSPHRASE tidak ada"):
        call_command("signing_ca", *arguments)
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("signing_ca", "revoke", "siapa")


@pytest.mark.django_db
def test_command_prompts_twice_for_a_new_passphrase(monkeypatch):
    answers = iter([CA_PASSPHRASE, "salah-ketik"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="tidak sama"):
        call_command("signing_ca", "init", "--name", "CA SIAP")
    answers = iter([CA_PASSPHRASE, CA_PASSPHRASE])
    call_command("signing_ca", "init", "--name", "CA SIAP", stdout=io.StringIO())
    assert services.CertificateAuthority.objects.current().private_key(CA_PASSPHRASE)


@pytest.mark.django_db
def test_admin_shows_certificates_but_never_keys(admin_client, certificate):
    for url in (
        reverse("admin:signing_signercertificate_change", args=[certificate.pk]),
        reverse("admin:signing_certificateauthority_change", args=[certificate.authority.pk]),
    ):
        page = admin_client.get(url)
        assert page.status_code == 200
        assert b"BEGIN CERTIFICATE" in page.content
        assert b"PRIVATE KEY" not in page.content


@pytest.mark.django_db
def test_keys_are_stored_under_a_stretched_passphrase_at_the_configured_cost(authority, signer_user, letter, settings):
    settings.SIAP_SIGNING_KEY_COST = 15  # the production default (tests run cheaper, like their password hasher)
    certificate = services.issue_certificate(signer_user, passphrase=PASSPHRASE, ca_passphrase=CA_PASSPHRASE)
    header = certificate.private_key_pem.splitlines()[0]
    assert header.startswith("SIAP-KDF scrypt n=32768 salt=")
    assert PASSPHRASE not in certificate.private_key_pem
    assert verify(sign(letter, signer_user)).status == VerificationStatus.VALID
