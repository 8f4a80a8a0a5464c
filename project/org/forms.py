from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delegation, Position


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DelegationForm(forms.Form):
    position = forms.ModelChoiceField(label=_("Jabatan"), queryset=Position.objects.none())
    delegate = forms.ModelChoiceField(label=_("Pelaksana (Plt/Plh)"), queryset=get_user_model().objects.none())
    starts_at = forms.DateTimeField(label=_("Mulai"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Berakhir"), widget=DateTimeInput())
    reason = forms.CharField(label=_("Alasan"), max_length=255, required=False)
    kind = forms.ChoiceField(
        label=_("Sebutan pada naskah dinas"), choices=Delegation.Kind.choices, initial=Delegation.Kind.PLH, required=False,
        help_text=_("Plh. bila pejabat berhalangan sementara; Plt. bila jabatan kosong atau berhalangan lama."),
    )

    def __init__(self, *args, positions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = positions
        self.fields["delegate"].queryset = get_user_model().objects.filter(is_active=True, positions__isnull=False).distinct().order_by("first_name")
        self.fields["delegate"].label_from_instance = lambda user: user.get_full_name() or user.username
        if not self.is_bound:
            self.fields["starts_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or Delegation.Kind.PLH

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Akhir pelimpahan harus sesudah awalnya."))
        position, delegate = cleaned.get("position"), cleaned.get("delegate")
        if position and delegate and position.holder_id == delegate.pk:
            self.add_error("delegate", _("Pejabat tidak dapat melimpahkan wewenang kepada dirinya sendiri."))
        return cleaned
