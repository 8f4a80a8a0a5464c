import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FinalDisposition

MAX_ITEMS = 1000


class DisposalDecisionForm(forms.Form):
    """One decision for one or more items (``item`` repeated: the checked rows of the report)."""

    item = forms.Field(widget=forms.MultipleHiddenInput, error_messages={"required": _("Pilih arsip yang diputuskan.")})
    decision = forms.ChoiceField(label=_("Keputusan"), choices=FinalDisposition.choices)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000)

    def clean_item(self):
        keys = list(dict.fromkeys(self.cleaned_data["item"]))
        if len(keys) > MAX_ITEMS:
            raise forms.ValidationError(
                _("Paling banyak %(max)s arsip sekaligus.") % {"max": MAX_ITEMS}, code="too_many"
            )
        if not all(re.fullmatch(r"\d+:\d+", key) for key in keys):
            raise forms.ValidationError(_("Arsip tidak dikenal."))
        return keys
