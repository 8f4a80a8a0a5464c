from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/v<int:number>/", views.download_version, name="download"),
    path("retensi/", views.retention_report, name="retention"),
]
