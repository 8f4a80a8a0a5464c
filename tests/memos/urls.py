"""The pages of this process; ``workflows.urls.process_urls`` mounts them under its namespace with the subject routes."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.memo_list, name="list"),
    path("<int:pk>/", views.memo_detail, name="detail"),
]
