"""Names of the letter service's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

TRAIL_LABELS = {
    "letter.registered": _("Surat didaftarkan"),
    "letter.disposed": _("Disposisi diberikan"),
    "letter.filed": _("Diarsipkan tanpa disposisi"),
    "letter.archived": _("Surat selesai dan diarsipkan"),
    "branch.claimed": _("Disposisi diambil unit"),
    "branch.forwarded": _("Disposisi diteruskan ke staf"),
    "branch.closed": _("Tindak lanjut selesai"),
    "branch.overdue": _("Lewat batas waktu"),
    "letter.corrected": _("Data surat dikoreksi"),
    "letter.cancelled": _("Pendaftaran surat dibatalkan"),
    "branch.released": _("Disposisi dikembalikan ke antrean unit"),
    "extension.requested": _("Perpanjangan batas waktu diminta"),
    "extension.granted": _("Perpanjangan batas waktu dikabulkan"),
    "extension.refused": _("Perpanjangan batas waktu ditolak"),
    "sheet.printed": _("Lembar disposisi dicetak"),
    "scan.stamped": _("Pindaian distempel nomor agenda (versi baru)"),
    "scan.restamped": _("Pindaian distempel ulang setelah koreksi (versi baru)"),
    "extension.withdrawn": _("Permintaan perpanjangan gugur (tindak lanjut sudah selesai)"),
}
