from django.urls import include, path
from django.utils.module_loading import import_string

from . import views

app_name = "tasks"

urlpatterns = [
    path("", views.inbox_page, name="inbox"),
    path("antrean/", views.queue, name="queue"),
    path("arsip/", views.archive, name="archive"),
    path("<int:task_pk>/", views.task_page, name="task"),
    path("<int:task_pk>/ambil/", views.claim, name="claim"),
    path("<int:task_pk>/lepas/", views.release, name="release"),
]


def subject_urls(process_name):
    """The routes every subject has: its trail as CSV, the auditors' evidence ZIP."""
    return [
        path("<int:pk>/jejak.csv", views.trail_csv, {"process": process_name}, name="trail_csv"),
        path("<int:pk>/bukti.zip", views.evidence, {"process": process_name}, name="evidence"),
    ]


def process_urls(process):
    """A registered process's pages under its namespace, followed by the routes every subject has."""
    return include((import_string(f"{process.urls}.urlpatterns") + subject_urls(process.name), process.name))
