"""The token page's form, and Django forms fed from API requests."""

import hashlib
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

from project.forms import OnceOnlyForm

IDEMPOTENCY_HEADER = "Idempotency-Key"


class TokenForm(OnceOnlyForm):
    name = forms.CharField(
        label=_("Nama token"), max_length=100,
        help_text=_("Untuk apa token ini, misalnya nama skrip atau sistem yang memakainya."),
    )


def submission_token(request):
    """The one-time token a page would have rendered into its form.

    With an ``Idempotency-Key`` header the same key from the same person
    gives the same token, so a retried request is refused as a double
    submission (409) instead of acting twice; without it every request is new.
    """
    key = request.headers.get(IDEMPOTENCY_HEADER)
    if key:
        return hashlib.sha256(f"{request.user.pk}:{key}".encode()).hexdigest()[:32]
    return uuid.uuid4().hex


def form_data(request):
    """The request's fields as a Django form reads them, with ``submission_token`` filled in.

    Multipart and urlencoded bodies keep their repeated fields (``units=1&units=2``);
    a JSON object gives lists for multiple choices (``"units": [1, 2]``).
    """
    if request.content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        data = request.POST.copy()
    elif isinstance(request.data, dict):
        data = dict(request.data)
    else:
        raise exceptions.ParseError(_("Kirim isian sebagai objek JSON atau formulir."))
    data["submission_token"] = submission_token(request)
    return data


def describe_fields(form):
    """What a client sends to ``form``: each field's name, label, whether required, and the values of a choice."""
    return [_field(form, name, field) for name, field in form.fields.items() if name != "submission_token"]


def _field(form, name, field):
    choices = None
    if isinstance(field, forms.ChoiceField):
        choices = [{"value": value, "label": label} for value, label in _flat_choices(field.choices) if value != ""]
    return {
        "name": form.add_prefix(name),
        "label": str(field.label or name),
        "required": field.required,
        "multiple": getattr(field.widget, "allow_multiple_selected", False),
        "choices": choices,
    }


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):  # an option group
            yield from _flat_choices(label)
        else:
            yield str(getattr(value, "value", value)), str(label)
