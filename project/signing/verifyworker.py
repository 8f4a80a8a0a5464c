"""Check a PDF's signature in a separate, resource-limited process (see ``project.sandbox``).

Run as ``python -m project.signing.verifyworker check PDF_PATH ROOTS_PATH``
(ROOTS_PATH: the trusted certificates as concatenated PEM); it prints one
JSON object (``pdfcheck.check``). No Django here: the child starts fast and
touches no database.
"""

import json
import sys

from project.sandbox import limit_self


def _roots(path):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    with open(path, "rb") as handle:
        return [certificate.public_bytes(serialization.Encoding.DER)
                for certificate in x509.load_pem_x509_certificates(handle.read())]


def main(argv):
    limit_self()
    _mode, pdf_path, roots_path = argv
    from project.signing.pdfcheck import check

    with open(pdf_path, "rb") as handle:
        data = handle.read()
    print(json.dumps(check(data, _roots(roots_path))))


if __name__ == "__main__":
    main(sys.argv[1:])
