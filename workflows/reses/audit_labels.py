"""Names of the reses service's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

TRAIL_LABELS = {
    "period.created": _("Masa reses ditetapkan"),
    "period.changed": _("Masa reses diubah"),
    "reses.opened": _("Reses dibuka"),
    "reses.updated": _("Data reses diubah"),
    "attendance.uploaded": _("Daftar hadir diunggah"),
    "photos.added": _("Foto reses ditambahkan"),
    "item.drafted": _("Usulan warga mulai dicatat (draf)"),
    "item.recorded": _("Usulan warga dicatat"),
    "item.updated": _("Usulan warga diubah"),
    "item.deleted": _("Draf usulan dihapus"),
    "reses.recorded": _("Pencatatan reses selesai"),
    "report.printed": _("Laporan reses dicetak"),
    "report.submitted": _("Laporan hasil reses diserahkan"),
    "report.acknowledged": _("Laporan hasil reses diterima Pimpinan"),
}

# Names of this process's detail keys (project.audit.details)
TRAIL_DETAILS = {
    "item": _("Usulan"),
    "items": _("Jumlah usulan"),
    "request": _("Usulan warga"),
}
