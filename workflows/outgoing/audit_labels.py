"""Names of the outgoing-letter service's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

from .kinds import Kind
from .models import Aspect

TRAIL_LABELS = {
    "outgoing.created": _("Draf naskah dibuat"),
    "outgoing.updated": _("Draf naskah diubah"),
    "outgoing.submitted": _("Draf diajukan untuk verifikasi"),
    "outgoing.resubmitted": _("Draf yang diperbaiki diajukan lagi"),
    "outgoing.verified": _("Draf diverifikasi"),
    "outgoing.initialled": _("Naskah diparaf"),
    "outgoing.returned": _("Draf dikembalikan untuk diperbaiki"),
    "outgoing.signed": _("Naskah ditandatangani dan diberi nomor"),
    "outgoing.dispatched": _("Naskah dikirim"),
    "outgoing.email_sent": _("Naskah terkirim melalui e-mail"),
    "outgoing.email_failed": _("Pengiriman e-mail gagal"),
    "outgoing.received": _("Nota dinas diterima unit"),
    "outgoing.verified_upload": _("Berkas diperiksa di halaman verifikasi"),
}

# Names of this process's detail keys and coded values (project.audit.details)
TRAIL_DETAILS = {
    "kind": (_("Jenis naskah"), Kind.choices),
    "aspect": (_("Aspek paraf"), Aspect.choices),
    "as": _("Sebagai"),
    "courier": _("Kurir"),
    "email": _("E-mail"),
    "order": _("Urutan"),
    "position": _("Jabatan"),
    "register": (_("Buku register"), {"outgoing": _("Buku agenda surat keluar")}),
    "step": _("Tahap"),
}
