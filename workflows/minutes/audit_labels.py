"""Names of the minutes service's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

TRAIL_LABELS = {
    "meeting.scheduled": _("Rapat dijadwalkan"),
    "meeting.recording_added": _("Rekaman diunggah"),
    "meeting.transcription_started": _("Transkripsi dimulai"),
    "meeting.transcription_retried": _("Transkripsi diulang"),
    "meeting.transcribed": _("Transkrip mesin tersimpan"),
    "meeting.lines_checked": _("Baris transkrip ditandai diperiksa"),
    "meeting.attendance_recorded": _("Daftar hadir dicatat"),
    "meeting.submitted": _("Risalah diajukan untuk persetujuan"),
    "meeting.approved": _("Risalah disetujui"),
    "meeting.returned": _("Risalah dikembalikan ke notulis"),
    "meeting.published": _("Risalah diterbitkan"),
    "recording.played": _("Rekaman diputar"),
}

# Names of this process's detail keys (project.audit.details)
TRAIL_DETAILS = {
    "attempt": _("Percobaan"),
    "corrected": _("Baris dikoreksi"),
    "engine": _("Mesin transkripsi"),
    "lines": _("Jumlah baris"),
    "number": _("Nomor risalah"),
    "present": _("Jumlah hadir"),
    "recording": _("Rekaman"),
    "recordings": _("Jumlah rekaman"),
    "seconds": _("Durasi (detik)"),
    "segments": _("Jumlah segmen"),
    "unreviewed": _("Baris belum diperiksa"),
    "without_speaker": _("Baris tanpa pembicara"),
}
