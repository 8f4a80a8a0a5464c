from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("daftar/", views.register, name="register"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/pindaian/", views.download_scan, name="scan"),
    path("<int:pk>/lampiran/<int:attachment_pk>/", views.download_attachment, name="attachment"),
    path("<int:pk>/laporan/<int:branch_pk>/", views.download_report, name="report"),
    path("<int:pk>/lembar-disposisi.pdf", views.disposition_sheet, name="sheet"),
    path("<int:pk>/jejak.csv", views.trail_csv, name="trail_csv"),
]
