"""Names of the minutes service's trail actions, as people read them (registered with the process)."""

from django.utils.translation import gettext_lazy as _

TRAIL_LABELS = {
    "meeting.scheduled": _("Rapat dijadwalkan"),
    "meeting.recording_added": _("Rekaman diunggah"),
    "meeting.transcription_started": _("Transkripsi dimulai"),
    "meeting.transcription_retried": _("Transkripsi diulang"),
    "meeting.transcribed": _("Transkrip mesin tersimpan"),
    "meeting.attendance_recorded": _("Daftar hadir dicatat"),
    "meeting.submitted": _("Risalah diajukan untuk persetujuan"),
    "meeting.approved": _("Risalah disetujui"),
    "meeting.returned": _("Risalah dikembalikan ke notulis"),
    "meeting.published": _("Risalah diterbitkan"),
    "recording.played": _("Rekaman diputar"),
}
