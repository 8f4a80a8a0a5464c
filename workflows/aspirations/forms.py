"""Forms of the aspiration service; every rule about input lives here, with its message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from project.forms import OnceOnlyForm

from . import services
from .models import Aspiration, Category


class VerifyForm(OnceOnlyForm):
    DECISIONS = [
        ("valid", _("Valid: teruskan kepada pimpinan untuk disposisi")),
        ("needs_info", _("Perlu keterangan tambahan dari pengirim")),
        ("duplicate", _("Sama dengan aspirasi lain yang masih terbuka (gabungkan)")),
        ("referred", _("Bukan kewenangan DPRD: tutup dengan rujukan")),
    ]

    decision = forms.ChoiceField(label=_("Keputusan"), choices=DECISIONS, widget=forms.RadioSelect)
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    duplicate_of = forms.ModelChoiceField(label=_("Aspirasi induk"), queryset=Aspiration.objects.none(), required=False)
    info_request = forms.CharField(label=_("Keterangan yang diminta dari pengirim"), widget=forms.Textarea(attrs={"rows": 3}),
                                   required=False, max_length=2000)
    referral_note = forms.CharField(label=_("Rujukan (instansi yang berwenang dan alasannya)"),
                                    widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    note = forms.CharField(label=_("Catatan internal"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)

    def __init__(self, *args, aspiration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].initial = aspiration.category
        self.fields["duplicate_of"].queryset = Aspiration.objects.exclude(pk=aspiration.pk).exclude(
            status__in=Aspiration.FINISHED)

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        if decision == "duplicate" and not data.get("duplicate_of"):
            self.add_error("duplicate_of", _("Pilih aspirasi induknya."))
        if decision == "needs_info" and not data.get("info_request", "").strip():
            self.add_error("info_request", _("Tuliskan keterangan apa yang diperlukan."))
        if decision == "referred" and not data.get("referral_note", "").strip():
            self.add_error("referral_note", _("Tuliskan ke mana pengirim sebaiknya menyampaikan hal ini."))
        return data


class MemberChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, member):
        return f"{member} ({member.fraksi.name})" if member.fraksi_id else str(member)


class DisposeForm(OnceOnlyForm):
    unit = forms.ModelChoiceField(label=_("Komisi / alat kelengkapan"), queryset=None, required=False)
    members = MemberChoiceField(label=_("atau anggota dari dapil pengirim"), queryset=None, required=False)
    note = forms.CharField(label=_("Catatan disposisi"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                           max_length=2000)

    def __init__(self, *args, aspiration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = services.disposable_units()
        self.fields["members"].queryset = services.dapil_members(aspiration).select_related("fraksi", "user")

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("members")):
            raise forms.ValidationError(_("Pilih satu unit, atau anggota dapil pengirim — salah satu saja."))
        return data


class AnswerForm(OnceOnlyForm):
    answer = forms.CharField(label=_("Jawaban untuk pengirim"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000,
                             help_text=_("Dikirim lewat saluran asal dan tampil di halaman pelacakan (tanpa nama petugas)."))


class ApproveForm(OnceOnlyForm):
    answer = forms.CharField(label=_("Jawaban (boleh disunting)"), widget=forms.Textarea(attrs={"rows": 6}),
                             max_length=5000)


class ReturnAnswerForm(OnceOnlyForm):
    note = forms.CharField(label=_("Yang perlu diperbaiki"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
