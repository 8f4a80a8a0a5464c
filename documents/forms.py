import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FinalDisposition


class DisposalDecisionForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Keputusan"), choices=FinalDisposition.choices)
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000)

    def clean_item(self):
        value = self.cleaned_data["item"]
        if not re.fullmatch(r"\d+:\d+", value):
            raise forms.ValidationError(_("Arsip tidak dikenal."))
        return value
