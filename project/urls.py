from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from project import help as help_views
from project import login
from project.org import views as org_views
from workflows import registry
from workflows import views as task_views
from workflows.urls import process_urls

urlpatterns = [
    path("", task_views.dashboard, name="dashboard"),
    path("akun/masuk/", login.login, name="login"),
    # browsers and feed readers ask for /favicon.ico whatever a page declares; a 404 page here
    # would also hand a cookieless visitor a new CSRF cookie, racing a sign-in form opened beside it
    path("favicon.ico", RedirectView.as_view(url=static("siap/lambang-dprd.png"), permanent=True)),
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
