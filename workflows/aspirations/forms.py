"""Forms of the aspiration service; every rule about input lives here, with its message."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from project.forms import MultipleFileField, OnceOnlyForm
from project.reference.models import Kelurahan

from . import services
from .attachments import clean_attachment, clean_attachments
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


# --- the residents' public form ------------------------------------------------------------

PRIVACY_HELP = {
    Aspiration.Privacy.NORMAL: _("Nama dan kontak Anda hanya dilihat petugas meja aspirasi Sekretariat DPRD; "
                                 "isi aspirasi dibaca oleh yang menanganinya."),
    Aspiration.Privacy.ANONYMOUS: _("Nama Anda tidak disimpan dan tidak ditampilkan kepada siapa pun. Kontak tetap "
                                    "dipakai hanya untuk mengirim kode dan jawaban."),
    Aspiration.Privacy.CONFIDENTIAL: _("Isi aspirasi dan lampiran hanya dibaca oleh petugas yang menanganinya "
                                       "(misalnya untuk pengaduan yang menyangkut orang lain)."),
}
PHONE_RE = re.compile(r"^\+?[0-9][0-9 .\-]{6,20}$")


def kelurahan_choices():
    """The kelurahan grouped by kecamatan, as ``<optgroup>``s."""
    groups = {}
    for kelurahan in Kelurahan.objects.select_related("kecamatan").order_by("kecamatan__name", "name"):
        groups.setdefault(kelurahan.kecamatan.name, []).append((str(kelurahan.pk), kelurahan.name))
    return [("", _("— pilih kelurahan —")), *[(f"Kecamatan {name}", rows) for name, rows in groups.items()]]


class PrivacySelect(forms.RadioSelect):
    """The privacy choices, each with what it means."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        explanation = PRIVACY_HELP.get(value)
        if explanation:
            option["label"] = f"{label} — {explanation}"
        return option


class PublicAspirationForm(OnceOnlyForm):
    """What a resident fills in on /aspirasi/kirim/ (no login): every rule of the web form, with its message."""

    HONEYPOT = "situs_web"

    privacy = forms.ChoiceField(label=_("Kerahasiaan"), choices=Aspiration.Privacy.choices, widget=PrivacySelect,
                                initial=Aspiration.Privacy.NORMAL)
    name = forms.CharField(label=_("Nama"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}),
                           help_text=_("Wajib, kecuali Anda memilih anonim."))
    phone = forms.CharField(label=_("Nomor telepon / WhatsApp"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label=_("Surel"), required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    no_contact = forms.BooleanField(
        label=_("Saya tidak memberikan kontak"), required=False,
        help_text=_("Tanpa kontak, kami tidak dapat mengirimkan kode dan jawaban: simpan kode pelacakan yang tampil "
                    "setelah formulir dikirim."),
    )
    kelurahan = forms.ChoiceField(label=_("Kelurahan"), required=False,
                                  help_text=_("Kelurahan tempat hal yang Anda sampaikan; menentukan anggota dapil."))
    category = forms.ChoiceField(label=_("Jenis"), choices=Category.choices, initial=Category.ASPIRATION)
    subject = forms.CharField(label=_("Perihal"), max_length=200)
    text = forms.CharField(label=_("Isi aspirasi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = MultipleFileField(
        label=_("Lampiran"), required=False,
        widget=MultipleFileField.widget(attrs={"multiple": True, "accept": "application/pdf,image/jpeg,image/png"}),
    )
    consent = forms.BooleanField(
        label=_("Saya setuju data yang saya kirim diproses oleh Sekretariat DPRD Kota Balikpapan untuk menangani "
                "aspirasi ini."),
    )
    situs_web = forms.CharField(label=_("Jangan diisi"), required=False, widget=forms.TextInput(
        attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.conf import settings

        self.fields["kelurahan"].choices = kelurahan_choices()
        self.fields["attachments"].help_text = _(
            "Boleh lebih dari satu: PDF, JPEG atau PNG, paling banyak %(count)d berkas, masing-masing paling besar "
            "%(size)d MB. Foto disimpan ulang tanpa data lokasi."
        ) % {"count": settings.SIAP_ASPIRATION_MAX_ATTACHMENTS,
             "size": settings.SIAP_ASPIRATION_ATTACHMENT_MAX_BYTES // (1024 * 1024)}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Tulis nomor telepon dengan angka saja, misalnya 0812 3456 7890."))
        return phone

    def clean_kelurahan(self):
        value = self.cleaned_data["kelurahan"]
        return Kelurahan.objects.filter(pk=value).first() if value else None

    def clean_attachments(self):
        return clean_attachments(self.cleaned_data.get("attachments") or [])

    def clean(self):
        data = super().clean()
        if data.get("privacy") != Aspiration.Privacy.ANONYMOUS and not data.get("name", "").strip():
            self.add_error("name", _("Tulis nama Anda, atau pilih anonim."))
        if not (data.get("phone") or data.get("email")) and not data.get("no_contact"):
            self.add_error("no_contact", _("Isi nomor telepon atau surel, atau centang bahwa Anda tidak memberikan "
                                           "kontak."))
        return data

    def receive_arguments(self):
        """``services.receive``'s arguments from the valid form."""
        data = self.cleaned_data
        return {
            "channel": Aspiration.Channel.WEB, "subject": data["subject"], "text": data["text"],
            "category": data["category"], "privacy": data["privacy"], "name": data.get("name", ""),
            "phone": data.get("phone", ""), "email": data.get("email", ""), "kelurahan": data.get("kelurahan"),
            "consent": data["consent"], "attachments": data["attachments"],
        }


class TrackForm(forms.Form):
    kode = forms.CharField(label=_("Kode pelacakan"), max_length=40,
                           widget=forms.TextInput(attrs={"placeholder": "ASP-XXXXX-XXXXX", "autocomplete": "off",
                                                         "autocapitalize": "characters"}))


# --- the handlers' forms on an aspiration's page ----------------------------------------------


class FollowUpNoteForm(forms.Form):
    text = forms.CharField(label=_("Catatan tindak lanjut"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    document = forms.FileField(label=_("Dokumen (opsional)"), required=False,
                               help_text=_("PDF, JPEG atau PNG; foto disimpan ulang tanpa data lokasi."),
                               widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        return clean_attachment(upload) if upload else None


class LinkPokirForm(forms.Form):
    pokir = forms.ModelChoiceField(label=_("Pokir"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        from workflows.pokir.models import Pokir

        super().__init__(*args, **kwargs)
        self.fields["pokir"].queryset = Pokir.objects.visible_to(user).select_related("year").order_by("-pk")


class AgendaItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return f"{item.meeting.date:%d-%m-%Y} {item.meeting.title}: {item}"


class LinkAgendaItemForm(forms.Form):
    agenda_item = AgendaItemChoiceField(label=_("Acara rapat"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        from workflows.minutes.models import AgendaItem, Meeting

        super().__init__(*args, **kwargs)
        meetings = Meeting.objects.visible_to(user)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(meeting__in=meetings).select_related(
            "meeting").order_by("-meeting__date", "position")


class DraftPokirForm(forms.Form):
    """Whose pokir, for which budget year: a member's own, or of a member whose staff the user is."""

    member = forms.ModelChoiceField(label=_("Anggota"), queryset=None, empty_label=None)
    year = forms.ModelChoiceField(label=_("Tahun anggaran"), queryset=None, empty_label=None)

    def __init__(self, *args, user, **kwargs):
        from workflows.pokir import services as pokir_services
        from workflows.pokir.models import members_drafted_by

        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members_drafted_by(user)
        self.fields["year"].queryset = pokir_services.open_years()

    @classmethod
    def offered_to(cls, user, aspiration):
        """Shown to those who may follow it up and draft pokir, while a budget year takes new ones."""
        form = cls(user=user)
        usable = form.fields["member"].queryset.exists() and form.fields["year"].queryset.exists()
        return form if usable and not aspiration.confidential and services.may_follow_up(user, aspiration) else None
