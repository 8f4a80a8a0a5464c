from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("daftar/", views.register, name="register"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/lembar-disposisi.pdf", views.disposition_sheet, name="sheet"),
    path("<int:pk>/jejak.csv", views.trail_csv, name="trail_csv"),
    path("<int:pk>/bukti.zip", views.evidence_bundle, name="evidence"),
]
