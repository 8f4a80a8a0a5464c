"""The token page and the API: ``/api/v1/`` with each registered process's resources under its prefix.

A process's API module is mounted at ``/api/v1/<api_prefix>`` in the
namespace ``api:<process name>``; it names its subject's resource
``detail`` (``api:letters:detail``), which tasks link to.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from workflows import registry

from . import views

app_name = "api"

v1 = [
    path("me/", views.MeView.as_view(), name="me"),
    path("tasks/inbox/", views.InboxView.as_view(), name="inbox"),
    path("tasks/queue/", views.QueueView.as_view(), name="queue"),
    path("tasks/<int:pk>/", views.TaskView.as_view(), name="task"),
    path("tasks/<int:pk>/claim/", views.ClaimView.as_view(), name="claim"),
    path("tasks/<int:pk>/release/", views.ReleaseView.as_view(), name="release"),
    path("tasks/<int:pk>/actions/", views.TaskActionsView.as_view(), name="task_actions"),
    path("tasks/<int:pk>/actions/<str:name>/", views.TaskActionView.as_view(), name="task_action"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("documents/<int:pk>/versions/<int:number>/download/", views.DownloadView.as_view(), name="download"),
    path("search/", views.SearchView.as_view(), name="search"),
]
v1 += [
    path(process.api_prefix, include((process.api_urls, process.name)))
    for process in registry.processes()
    if process.api_urls
]

urlpatterns = [
    path("akun/token/", views.tokens, name="tokens"),
    path("akun/token/<int:pk>/cabut/", views.revoke_token, name="token_revoke"),
    path("api/v1/", include(v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    re_path(r"^api/", views.not_found),
]
