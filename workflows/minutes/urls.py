"""The pages of this process; ``workflows.urls.process_urls`` mounts them under its namespace with the subject routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("jadwalkan/", views.schedule, name="schedule"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/rekaman/", views.upload_recording, name="upload"),
    path("<int:pk>/kehadiran/", views.attendance, name="attendance"),
    path("<int:pk>/draf/<str:kind>.pdf", views.draft_printout, name="draft"),
    path("rekaman/<int:pk>/audio", views.recording_audio, name="audio"),
    path("rekaman/<int:pk>/ulangi/", views.retry_transcription, name="retry"),
    path("<int:pk>/diperiksa/", views.check_lines, name="check_lines"),
    path("<int:pk>/transkrip-baru/", views.transcript_updates, name="transcript_updates"),
    path("baris/<int:pk>/", views.save_line, name="save_line"),
    path("baris/<int:pk>/diperiksa/", views.check_line, name="check_line"),
]
