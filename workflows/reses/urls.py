"""The pages of this process; ``workflows.registry`` mounts them under its namespace with the subject routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.reses_list, name="list"),
    path("buka/", views.open_reses, name="open"),
    path("<int:pk>/", views.reses_detail, name="detail"),
    path("<int:pk>/ubah/", views.reses_edit, name="edit"),
    path("<int:pk>/daftar-hadir/", views.upload_attendance, name="attendance"),
    path("<int:pk>/foto/", views.upload_photos, name="photos"),
    path("<int:pk>/laporan.pdf", views.report, name="report"),
    path("<int:pk>/usulan/baru/", views.item_new, name="item_new"),
    path("<int:pk>/usulan/simpan/", views.item_save, name="item_save"),
    path("usulan/<int:pk>/", views.item_page, name="item"),
    path("usulan/<int:pk>/hapus/", views.item_delete, name="item_delete"),
    path("foto/<int:pk>/", views.photo, name="photo"),
    path("masa/", views.periods, name="periods"),
    path("masa/baru/", views.period_form, name="period_new"),
    path("masa/<int:pk>/ubah/", views.period_form, name="period_edit"),
]
