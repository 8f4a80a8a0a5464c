"""The pages of this process; ``workflows.registry`` mounts them under its namespace with the subject routes."""

from django.urls import path

from . import views
from .channels import whatsapp

urlpatterns = [
    path("", views.aspiration_list, name="list"),
    path("terlambat/", views.late, name="late"),
    path("<int:pk>/", views.detail, name="detail"),
    path("lacak/<str:code>/", views.track, name="track"),
    path("whatsapp/webhook/", whatsapp.webhook, name="whatsapp_webhook"),
]
