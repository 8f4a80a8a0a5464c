"""Names of the letter service's trail actions, as people read them."""

from django.utils.translation import gettext_lazy as _

from project.audit.models import register_actions

register_actions(
    {
        "letter.registered": _("Surat didaftarkan"),
        "letter.disposed": _("Disposisi diberikan"),
        "letter.filed": _("Diarsipkan tanpa disposisi"),
        "letter.archived": _("Surat selesai dan diarsipkan"),
        "branch.claimed": _("Disposisi diambil unit"),
        "branch.forwarded": _("Disposisi diteruskan ke staf"),
        "branch.closed": _("Tindak lanjut selesai"),
        "branch.overdue": _("Lewat batas waktu"),
        "task.rerouted": _("Tugas dialihkan (pelimpahan wewenang)"),
        "file.downloaded": _("Berkas diunduh"),
        "sheet.printed": _("Lembar disposisi dicetak"),
        "trail.exported": _("Jejak diekspor (CSV)"),
        "scan.stamped": _("Pindaian distempel nomor agenda (versi baru)"),
        "evidence.exported": _("Paket bukti audit diunduh"),
        "retention.decided": _("Keputusan retensi dicatat"),
    }
)
