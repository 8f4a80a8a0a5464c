from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from project import help as help_views
from project import login
from project.org import views as org_views
from workflows import registry
from workflows import views as task_views
from workflows.urls import process_urls

urlpatterns = [
    path("", task_views.dashboard, name="dashboard"),
    path("akun/masuk/", login.login, name="login"),
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("tugas/", include("workflows.urls")),
    *[path(process.url_prefix, process_urls(process)) for process in registry.processes()],
    path("dokumen/", include("documents.urls")),
    path("cari/", include("search.urls")),
    path("notifikasi/", task_views.notifications, name="notifications"),
    path("bantuan/", help_views.help_page, name="help"),
    path("jejak/", include("project.audit.urls")),
    path("pelimpahan/", org_views.delegations, name="delegations"),
    path("pelimpahan/<int:pk>/cabut/", org_views.revoke, name="delegation_revoke"),
    path("", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# A database that cannot be reached (restarting, failing over) gets a translated 503 page that asks to try again.
handler500 = "project.unavailable.server_error"
