"""Every error answers the same JSON, in the caller's language.

``{"detail": "...", "code": "...", "errors": {"field": ["message", ...]}}``:
``errors`` only for invalid input, with the messages the page's form gives
for the same input. Refusals from services (``PermissionDenied``) keep
their message; a form sent twice (``DoubleSubmission``) is a 409.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from project.forms import DoubleSubmission

INVALID = _("Data yang dikirim tidak valid; lihat pesan tiap isian.")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Formulir ini sudah dikirim sebelumnya; tidak ada yang diubah.")
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"


def form_errors(form):
    """A Django form's errors as ``errors`` (``__all__`` named as DRF names it)."""
    return {
        ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
        for field, messages in form.errors.items()
    }


def exception_handler(exc, context):
    if isinstance(exc, DoubleSubmission):
        exc = Conflict()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*[arg for arg in exc.args if arg])
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*[arg for arg in exc.args if arg])
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"detail": str(INVALID), "code": "invalid", "errors": _errors(exc.detail)}
    else:
        response.data = {"detail": str(exc.detail), "code": getattr(exc.detail, "code", exc.default_code)}
    return response


def _errors(detail):
    if isinstance(detail, dict):
        return {field: _messages(messages) for field, messages in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _messages(messages):
    if isinstance(messages, (list, tuple)):
        return [str(message) for message in messages]
    return [str(messages)]
