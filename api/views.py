"""The shared part of the API: the caller, tasks and their actions, documents, search; and the token page.

Every view answers what the pages answer for the same person, through the
same functions: ``workflows.inbox`` for tasks (theirs, or claimable by
them; anything else is 404), the step's own form and service for actions
(``workflows.registry.TaskAction``), ``documents.owners`` for files, the
caller's principals for search. A process's own resources (letters,
meetings) are in its API module, mounted by ``api.urls``.
"""

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import views as document_pages
from project.forms import DoubleSubmission, claim_submission
from project.org import services as org
from project.org.models import Delegation, Position
from search.forms import SearchForm
from search.indexing import backend
from search.registry import facet_label, facet_titles, principals_of
from workflows import actions, inbox, registry

from . import serializers, services
from .exceptions import ServiceUnavailable, form_errors
from .forms import TokenForm, describe_fields, form_data
from .models import ApiToken
from .schema import IDEMPOTENCY_KEY

logger = logging.getLogger(__name__)

class MeView(APIView):
    """The caller: positions, units and the positions they act for now (Plt/Plh)."""

    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request):
        user = request.user
        me = {
            "username": user.username,
            "name": user.get_full_name(),
            "positions": Position.objects.filter(holder=user).select_related("unit"),
            "units": org.units_of(user),
            "acting_for": Delegation.objects.active().filter(delegate=user).select_related(
                "position__unit", "position__holder"
            ),
        }
        return Response(serializers.MeSerializer(me).data)


# --- tasks ------------------------------------------------------------------


class TaskListView(generics.ListAPIView):
    serializer_class = serializers.TaskSerializer
    filter_backends = ()
    tasks = None  # user -> queryset of tasks, from workflows.inbox

    def get_queryset(self):
        return self.tasks(self.request.user)

    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(inbox.rows(page), many=True).data)


class InboxView(TaskListView):
    """Tasks in the caller's inbox, newest first."""

    tasks = staticmethod(inbox.inbox_tasks)


class QueueView(TaskListView):
    """Unclaimed tasks of the caller's units, which they may claim."""

    tasks = staticmethod(inbox.queue_tasks)


def task_response(request, task):
    return Response(serializers.TaskSerializer(inbox.rows([task])[0], context={"request": request}).data)


class TaskView(APIView):
    """One task in the caller's inbox, or in their unit's queue; any other answers 404."""

    @extend_schema(responses=serializers.TaskSerializer)
    def get(self, request, pk):
        return task_response(request, inbox.task_for(request.user, pk))


class ClaimView(APIView):
    """Take an unclaimed task from the unit's queue into the caller's inbox."""

    @extend_schema(request=None, responses=serializers.TaskSerializer)
    def post(self, request, pk):
        task = inbox.claim(inbox.task_for(request.user, pk), user=request.user)
        task.refresh_from_db()
        return task_response(request, task)


class ReleaseView(APIView):
    """Give a task the caller claimed back to its unit's queue (only its holder, only a unit's task)."""

    @extend_schema(request=None, responses=serializers.TaskSerializer)
    def post(self, request, pk):
        task = inbox.release(inbox.task_for(request.user, pk), user=request.user)
        task.refresh_from_db()
        return task_response(request, task)


def action_description(request, task, action):
    form = action.form(task, request.user)
    return {
        "name": action.name,
        "title": str(action.title),
        "fields": describe_fields(form),
        "url": request.build_absolute_uri(reverse("api:task_action", args=[task.pk, action.name])),
    }


class TaskActionsView(APIView):
    """What can be done on the task, and the fields each action's form takes."""

    @extend_schema(responses=serializers.ActionSerializer(many=True))
    def get(self, request, pk):
        task = inbox.task_for(request.user, pk)
        return Response([action_description(request, task, action) for action in registry.actions_for(task)])


class TaskActionView(APIView):
    """Perform an action on a task in the caller's inbox, with the fields of the step's form.

    The form is the page's own, so it refuses the same input with the same
    messages; the action runs once per submission (see ``Idempotency-Key``).
    """

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT, "multipart/form-data": OpenApiTypes.OBJECT},
        parameters=[IDEMPOTENCY_KEY],
        responses={
            200: serializers.ActionResultSerializer,
            409: OpenApiResponse(description="Already sent with this Idempotency-Key; nothing was changed."),
        },
    )
    def post(self, request, pk, name):
        task = inbox.task_for(request.user, pk)
        try:
            action = registry.action_for(task, name)
        except LookupError:
            raise Http404(_("Tindakan tidak ditemukan."))
        if task.owner_id != request.user.pk:
            raise exceptions.PermissionDenied(_("Ambil tugas ini dari antrean terlebih dahulu."))
        form = action.form(task, request.user, form_data(request), request.FILES or None)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        try:
            message = actions.run(action, task, request.user, form)
        except DjangoValidationError as refused:  # a rule the service checks against the current state
            raise exceptions.ValidationError({"detail": refused.messages})
        subject = serializers.SubjectSerializer(task.process.artifact, context={"request": request}).data
        return Response({"detail": str(message), "subject": subject})


# --- documents --------------------------------------------------------------


class DocumentView(APIView):
    """A document and its versions, visible when its owner (a letter, a meeting) is."""

    @extend_schema(responses=serializers.DocumentSerializer)
    def get(self, request, pk):
        document, _owner = document_pages.visible_document(request.user, pk)
        return Response(serializers.DocumentSerializer(document, context={"request": request}).data)


class DownloadView(APIView):
    """One version's file, as the document page serves it (same check, same trail event)."""

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    def get(self, request, pk, number):
        return document_pages.download_version(request._request, pk, number)

    def perform_content_negotiation(self, request, force=False):
        # the file is whatever it is; errors still answer JSON
        return super().perform_content_negotiation(request, force=True)


# --- search -----------------------------------------------------------------


class ApiSearchForm(SearchForm):
    q = forms.CharField(max_length=500)


class SearchSchema(AutoSchema):
    """The facet filters are those the registered search sources declare."""

    def get_override_parameters(self):
        return super().get_override_parameters() + [
            OpenApiParameter(name, str, many=True, description=str(title)) for name, title in facet_titles().items()
        ]


class SearchView(APIView):
    """Search the archive with the page's query syntax; hits, counts and facets hold only what the caller may read.

    Words must all match, ``"exact phrase"``, ``awal*`` for a prefix, ``-kata`` to exclude.
    """

    schema = SearchSchema()

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True),
            OpenApiParameter("order", str, enum=["relevance", "date"]),
            OpenApiParameter("date_from", OpenApiTypes.DATE),
            OpenApiParameter("date_to", OpenApiTypes.DATE),
            OpenApiParameter("page", int),
        ],
        responses={
            200: serializers.SearchResultSerializer,
            503: OpenApiResponse(description="The search engine is unavailable."),
        },
    )
    def get(self, request):
        form = ApiSearchForm(request.query_params)
        if not form.is_valid():
            raise exceptions.ValidationError(form_errors(form))
        query = form.query(principals_of(request.user))
        try:
            result = backend().search(query)
        except Exception:  # noqa: BLE001 - said as a 503, like the page says it
            logger.exception("search failed")
            raise ServiceUnavailable(_("Mesin pencari sedang tidak tersedia. Coba lagi sebentar lagi.")) from None
        return Response(serializers.SearchResultSerializer(self.answer(request, query, result, form)).data)

    def answer(self, request, query, result, form):
        titles = facet_titles()
        return {
            "count": result.total,
            "page": query.page,
            "pages": (result.total + query.per_page - 1) // query.per_page,
            "results": [
                {**vars(hit), "kind_label": facet_label("kind", hit.kind), "url": request.build_absolute_uri(hit.url)}
                for hit in result.hits
            ],
            "facets": [
                {
                    "name": name,
                    "title": str(titles.get(name, name)),
                    "values": [
                        {"value": value, "label": str(facet_label(name, value)), "count": count,
                         "active": value in form.facet_filters.get(name, [])}
                        for value, count in values
                    ],
                }
                for name, values in result.facets.items()
            ],
        }


# --- the token page ---------------------------------------------------------


@never_cache
@login_required
def tokens(request):
    """The caller's tokens; a new token's key is shown in this one answer and never again."""
    new_key = None
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    claim_submission(form.cleaned_data["submission_token"], request.user)
                    _token, new_key = services.issue_token(request.user, form.cleaned_data["name"])
            except DoubleSubmission:
                messages.warning(request, _("Formulir ini sudah dikirim; token tidak dibuat dua kali."))
                return redirect("api:tokens")
            form = TokenForm()
    else:
        form = TokenForm()
    return render(request, "api/tokens.html", {
        "form": form,
        "tokens": ApiToken.objects.active().filter(user=request.user),
        "new_key": new_key,
        "me_url": request.build_absolute_uri(reverse("api:me")),
    })


@login_required
@require_POST
def revoke_token(request, pk):
    token = ApiToken.objects.active().filter(user=request.user, pk=pk).first()
    if token is None:
        raise Http404(_("Token tidak ditemukan."))
    services.revoke_token(token, by=request.user)
    messages.success(request, _("Token %(name)s dicabut; kuncinya tidak dapat dipakai lagi.") % {"name": token.name})
    return redirect("api:tokens")


@csrf_exempt
def not_found(request):
    """Any other address under /api/: a JSON 404 like the API's own, not the HTML page (nor a CSRF refusal)."""
    body = {"detail": str(exceptions.NotFound.default_detail), "code": exceptions.NotFound.default_code}
    return JsonResponse(body, status=404)
