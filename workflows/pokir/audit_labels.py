"""Names of e-Pokir's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

from .models import PokirExport

TRAIL_LABELS = {
    "pokir.created": _("Draf pokir dibuat"),
    "pokir.updated": _("Pokir diubah"),
    "pokir.photo_added": _("Foto pokir ditambahkan"),
    "pokir.submitted": _("Pokir diajukan"),
    "pokir.resubmitted": _("Pokir diajukan kembali setelah diperbaiki"),
    "pokir.discarded": _("Draf pokir dihapus"),
    "pokir.verified": _("Pokir terverifikasi"),
    "pokir.returned": _("Pokir dikembalikan dengan catatan"),
    "pokir.rejected": _("Pokir ditolak"),
    "pokir.approved": _("Pokir disetujui dalam rekap pimpinan"),
    "pokir.finalised": _("Pokir final dan dikunci"),
    "pokir.exported": _("Pokir diekspor untuk SIPD"),
    "pokir.export_made": _("Rekap pokir diekspor untuk SIPD"),
    "pokir.realisation_recorded": _("Realisasi pokir dicatat"),
    "pokir_year.saved": _("Kalender pokir disimpan"),
}

# Actions that record a file leaving SIAP (the auditors' export counter)
TRAIL_EXPORTS = ("pokir.export_made",)  # the file; "pokir.exported" marks each pokir in it

# Names of this process's detail keys and coded values (project.audit.details)
TRAIL_DETAILS = {
    "export": _("Ekspor"),
    "format": (_("Format"), PokirExport.Format.choices),
    "overrides": _("Pengecualian"),
}
