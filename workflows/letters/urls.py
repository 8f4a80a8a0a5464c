"""The pages of this process; ``workflows.urls.process_urls`` mounts them under its namespace with the subject routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.letter_list, name="list"),
    path("daftar/", views.register, name="register"),
    path("<int:pk>/", views.letter_detail, name="detail"),
    path("<int:pk>/koreksi/", views.correct, name="correct"),
    path("<int:pk>/batalkan/", views.cancel, name="cancel"),
    path("<int:pk>/stempel-ulang/", views.retry_stamp, name="retry_stamp"),
    path("<int:pk>/lembar-disposisi.pdf", views.disposition_sheet, name="sheet"),
]
