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
    "sheet.printed": _("Lembar disposisi dicetak"),
    "scan.stamped": _("Pindaian distempel nomor agenda (versi baru)"),
}
