"""Names of the outgoing-letter service's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

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
