"""Names of the aspiration service's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

from .models import Aspiration

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
    "aspiration.exported": _("Aspirasi tercantum dalam daftar yang diekspor (CSV)"),
    "aspiration.export_made": _("Daftar aspirasi diekspor (CSV)"),
}

# Actions that record a file leaving SIAP (the auditors' export counter)
TRAIL_EXPORTS = ("aspiration.export_made",)  # the file; "aspiration.exported" marks each aspiration in it

# Names of this process's detail keys and coded values (project.audit.details)
TRAIL_DETAILS = {
    "channel": (_("Saluran"), Aspiration.Channel.choices),
    "code": _("Nomor tiket"),
    "decision": (_("Keputusan"), {
        "valid": _("Valid"),
        "needs_info": _("Perlu keterangan tambahan"),
        "duplicate": _("Sama dengan aspirasi lain"),
        "referred": _("Dirujuk (bukan kewenangan DPRD)"),
    }),
    "level": _("Tingkat eskalasi"),
    "members": _("Anggota"),
    "personal_data": _("Data pribadi"),
    "rows": _("Jumlah baris"),
    "pokir": _("Pokir"),
    "agenda_item": _("Acara rapat"),
}
