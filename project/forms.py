"""Form pieces shared by every service."""

import re
import uuid

from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from project.audit.models import SubmissionReceipt

_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


class DateInput(forms.DateInput):
    """The browser's date picker (ISO values, whatever the display language)."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (attachments, photos): a list of uploads, each cleaned as a file."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(item, initial) for item in files]  # (a comprehension: no bare super())


class DoubleSubmission(Exception):
    """The form was already accepted once; ``result_url`` shows what it made."""

    def __init__(self, result_url):
        super().__init__(result_url)
        self.result_url = result_url


class OnceOnlyForm(forms.Form):
    """Mixin for forms that create something: a hidden one-time token per rendering."""

    submission_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["submission_token"].initial = uuid.uuid4().hex

    def clean_submission_token(self):
        token = self.cleaned_data.get("submission_token", "")
        if not _TOKEN_RE.match(token):
            raise forms.ValidationError(_("Formulir tidak lengkap; muat ulang halaman dan coba lagi."))
        return token


def claim_submission(token, user):
    """Record the token inside the current transaction; raise DoubleSubmission if already used."""
    existing = SubmissionReceipt.objects.filter(token=token).first()
    if existing is not None:
        raise DoubleSubmission(existing.result_url)
    try:
        with transaction.atomic():
            return SubmissionReceipt.objects.create(token=token, user=user)
    except IntegrityError:
        existing = SubmissionReceipt.objects.filter(token=token).first()
        raise DoubleSubmission(existing.result_url if existing else "")


def create_once(token, user, create):
    """Run ``create()`` once per form token, in one transaction; return what it made.

    A second submission of the same form raises ``DoubleSubmission`` whose
    ``result_url`` is the page of what the first one made.
    """
    with transaction.atomic():
        receipt = claim_submission(token, user)
        created = create()
        receipt.result_url = created.get_absolute_url()
        receipt.save(update_fields=["result_url"])
    return created
