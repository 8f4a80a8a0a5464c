"""The auditor's evidence bundle: one ZIP with every file, its SHA-256, the text and the trail.

Layout of the ZIP::

    README.txt          what the bundle is, who made it, when
    SHA256SUMS          one line per file in files/ (``sha256sum -c`` checks it)
    files/<doc>/v<n>-<name>   every version of every document
    text/<doc>-v<n>.txt       the text layer of each version
    metadata.txt        the owner's register data
    trail.pdf           the complete audit trail as a printout
"""

import re
import tempfile
import zipfile

from django.utils import timezone
from reportlab.lib.units import mm

from project.audit.details import summary

from .pdf import grid_table, para, render, styles, tanggal_jam


def _safe(name):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_")[:80] or "berkas"


def trail_pdf(title, rows):
    """rows: dicts with at, action, user, acting_for, client_address, detail (and action_code: whose detail names)."""
    s = styles()
    table = [[para(head, s["bold"]) for head in ("Waktu", "Tindakan", "Pengguna", "Atas nama", "Alamat", "Rincian")]]
    for row in rows:
        detail = summary(row["detail"], action=row.get("action_code"), full_hashes=True)
        table.append(
            [para(tanggal_jam(row["at"]), s["small"]), para(row["action"], s["small"]), para(row["user"], s["small"]),
             para(row["acting_for"], s["small"]), para(row["client_address"], s["small"]), para(detail, s["small"])]
        )
    return render(title, [grid_table(table, [28 * mm, 32 * mm, 28 * mm, 24 * mm, 20 * mm, 48 * mm], header=True)])


def build_bundle(*, title, metadata, documents, trail_rows, made_by):
    """Write the ZIP to a temporary file and return it, rewound."""
    output = tempfile.TemporaryFile()
    sums = []
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for document in documents:
            for version in document.versions.select_related("blob").order_by("number"):
                path = f"files/{document.pk}-{_safe(document.title)}/v{version.number}-{_safe(version.original_name)}"
                with version.blob.file.open("rb") as source, bundle.open(path, "w") as target:
                    for chunk in iter(lambda: source.read(1024 * 1024), b""):
                        target.write(chunk)
                sums.append(f"{version.blob.sha256}  {path}")
                bundle.writestr(f"text/{document.pk}-v{version.number}.txt", version.text())
        bundle.writestr("SHA256SUMS", "\n".join(sums) + "\n")
        bundle.writestr("metadata.txt", "\n".join(f"{key}: {value}" for key, value in metadata.items()) + "\n")
        bundle.writestr("trail.pdf", trail_pdf(f"JEJAK AUDIT — {title}", trail_rows))
        bundle.writestr(
            "README.txt",
            f"Paket bukti audit SIAP DPRD Kota Balikpapan\n{title}\n"
            f"Dibuat oleh {made_by} pada {tanggal_jam(timezone.now())}.\n"
            "Periksa keutuhan berkas dengan: sha256sum -c SHA256SUMS\n",
        )
    output.seek(0)
    return output
