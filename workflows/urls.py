from django.urls import path

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("antrean/", views.queue, name="queue"),
    path("arsip/", views.archive, name="archive"),
    path("<int:task_pk>/", views.task_page, name="task"),
    path("<int:task_pk>/ambil/", views.claim, name="claim"),
]
