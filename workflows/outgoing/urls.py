"""The pages of this process; ``workflows.registry`` mounts them under its namespace with the subject routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("baru/", views.new, name="new"),
    path("buku-agenda/", views.register, name="register"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.edit, name="edit"),
    path("<int:pk>/ajukan/", views.submit, name="submit"),
    path("<int:pk>/naskah.pdf", views.preview, name="pdf"),
    # what the QR code on a signed letter opens: no login
    path("verifikasi/<str:token>/", views.verification, name="verification"),
]
