"""The pages of this process; ``workflows.registry`` mounts them under its namespace with the subject routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.pokir_list, name="list"),
    path("menunggu-verifikasi/", views.awaiting, name="awaiting"),
    path("dikembalikan/", views.returned, name="returned"),
    path("draf/", views.drafts, name="drafts"),
    path("baru/", views.create, name="create"),
    path("rekap/", views.recap, name="recap"),
    path("kalender/", views.years, name="years"),
    path("kalender/<int:year>/", views.years, name="year"),
    path("ekspor/", views.export, name="export"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("publik/", views.public, name="public"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/foto/", views.add_photos, name="add_photos"),
    path("<int:pk>/foto/<int:document_pk>/", views.photo, name="photo"),
    path("<int:pk>/ajukan/", views.submit, name="submit"),
    path("<int:pk>/hapus/", views.discard, name="discard"),
    path("<int:pk>/realisasi/", views.realisation, name="realisation"),
]
