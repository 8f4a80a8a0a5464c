from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/v<int:number>/", views.download_version, name="download"),
    path("<int:pk>/v<int:number>/lihat/", views.view_version, name="view"),
    path("retensi/", views.retention_report, name="retention"),
    path("retensi/usul-musnah.pdf", views.disposal_list, name="disposal_list"),
]
