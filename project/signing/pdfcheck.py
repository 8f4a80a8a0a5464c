"""Judging a PDF's last signature against SIAP's trust roots, without Django: run in a sandboxed child.

The verification page reads files anyone may upload; pyHanko parsing a
hostile PDF must cost a child process its life at worst (``verifyworker``),
never the web server. The answer is plain data: a status value of
``backends.VerificationStatus`` and what the signature says of itself.
"""

import io
import re

# A signature dictionary as it sits in the file: found in the raw bytes when
# damage keeps the PDF reader from reaching it. Two independent markers, so
# that one changed byte cannot hide both.
_SIGNATURE_DICTIONARY = re.compile(rb"/ByteRange\s*\[|/Type\s*/Sig\b")

VALID, MODIFIED, NOT_SIAP, UNSIGNED, UNREADABLE = "valid", "modified", "not_siap", "unsigned", "unreadable"


def serial_hex(number):
    """How SIAP writes a certificate serial number (lower-case hexadecimal), in the database and on screen."""
    return format(number, "x")


def check(data, trust_root_ders):
    """``{"status", "signer_name", "signed_at" (ISO or None), "serial_number"}`` of ``data``'s last signature."""
    try:
        return _check_last_signature(data, trust_root_ders)
    except MemoryError:
        raise  # the child's limit, not a property of the file: the caller says it could not be judged
    except Exception:  # noqa: BLE001 - damaged or hostile input: the reader fails in many ways
        return _answer(MODIFIED if _SIGNATURE_DICTIONARY.search(data) else UNREADABLE)


def _answer(status, signer_name="", signed_at=None, serial_number=""):
    return {"status": status, "signer_name": signer_name, "signed_at": signed_at.isoformat() if signed_at else None,
            "serial_number": serial_number}


def _check_last_signature(data, trust_root_ders):
    """Judge the last signature, which must cover the whole file: anything added after it was not signed.

    No signature reachable while a signature dictionary is still in the bytes
    means the structure was tampered with; so does a reader failure (``check``),
    even when the damage is in the ``%PDF-`` header, which is signed like the rest.
    """
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    signatures = PdfFileReader(io.BytesIO(data), strict=False).embedded_regular_signatures
    if not signatures:
        return _answer(MODIFIED if _SIGNATURE_DICTIONARY.search(data) else UNSIGNED)
    embedded = signatures[-1]
    # Judged at the signing time the signature states (inside the signed bytes):
    # a letter stays valid after its signer's certificate expires.
    signed_at = embedded.self_reported_timestamp
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in trust_root_ders], moment=signed_at,
        allow_fetching=False, revocation_mode="soft-fail",
    )
    result = validate_pdf_signature(embedded, context, skip_diff=True)
    if not (result.intact and result.valid) or result.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        status = MODIFIED
    else:
        status = VALID if result.bottom_line else NOT_SIAP
    certificate = result.signing_cert
    return _answer(status, certificate.subject.native.get("common_name", ""), signed_at,
                   serial_hex(certificate.serial_number))
