"""Names of the aspiration service's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

TRAIL_LABELS = {
    "aspiration.received": _("Aspirasi diterima"),
    "aspiration.reply_received": _("Tanggapan pengirim diterima"),
    "aspiration.verified": _("Aspirasi diverifikasi"),
    "aspiration.disposed": _("Aspirasi didisposisikan"),
    "aspiration.note_added": _("Catatan tindak lanjut ditambahkan"),
    "aspiration.answer_drafted": _("Jawaban disusun"),
    "aspiration.answer_approved": _("Jawaban disetujui"),
    "aspiration.answer_returned": _("Jawaban dikembalikan untuk diperbaiki"),
    "aspiration.answered": _("Jawaban dikirim kepada pengirim"),
    "aspiration.reopened": _("Aspirasi dibuka kembali"),
    "aspiration.closed": _("Aspirasi ditutup"),
    "aspiration.escalated": _("Keterlambatan dieskalasi"),
    "aspiration.linked_pokir": _("Aspirasi dijadikan pokir"),
    "aspiration.linked_agenda_item": _("Aspirasi dibahas dalam rapat"),
    "aspiration.personal_data_viewed": _("Data pribadi pengirim dilihat"),
    "aspiration.exported": _("Daftar aspirasi diekspor (CSV)"),
}
