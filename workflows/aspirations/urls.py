"""The pages of this process; ``workflows.registry`` mounts them under its namespace with the subject routes."""

from django.urls import path

from . import views
from .channels import whatsapp

urlpatterns = [
    path("", views.aspiration_list, name="list"),
    path("terlambat/", views.late, name="late"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("ekspor.csv", views.export_csv, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/catatan/", views.add_note, name="add_note"),
    path("<int:pk>/tautan-pokir/", views.link, {"target": "pokir"}, name="link_pokir"),
    path("<int:pk>/tautan-rapat/", views.link, {"target": "agenda_item"}, name="link_agenda_item"),
    path("<int:pk>/jadikan-pokir/", views.draft_pokir, name="draft_pokir"),
    # the residents' pages: no login
    path("kirim/", views.submit, name="submit"),
    path("kirim/terkirim/", views.submitted, name="submitted"),
    path("lacak/", views.track_lookup, name="track_lookup"),
    path("lacak/<str:code>/", views.track, name="track"),
    path("whatsapp/webhook/", whatsapp.webhook, name="whatsapp_webhook"),
]
