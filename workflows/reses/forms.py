"""Forms of the reses service; every rule about input is checked here with the message people read."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from project.forms import DateInput, MultipleFileField, MultipleFileInput, OnceOnlyForm
from project.reference.models import KamusUsulan, Kelurahan

from . import rules
from .models import Reses, ResesItem, ResesPeriod
from .photos import clean_attendance, clean_photo

MAX_PHOTOS = 6  # per submission
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-().]{5,24}$")
RT_RW_RE = re.compile(r"^[0-9]{1,3}$")


def clean_photos(files):
    """Each photo checked and cleaned (``photos.clean_photo``); the first refusal is the field's error."""
    if len(files) > MAX_PHOTOS:
        raise ValidationError(_("Paling banyak %(n)d foto sekali kirim.") % {"n": MAX_PHOTOS})
    cleaned = []
    for upload in files:
        try:
            cleaned.append(clean_photo(upload))
        except ValidationError as refused:
            raise ValidationError(
                _("%(name)s: %(reason)s") % {"name": upload.name, "reason": " ".join(refused.messages)}
            )
    return cleaned


def kelurahan_choices(dapils):
    """The kelurahan of these dapil, grouped by kecamatan (what the page offers; others are refused by the rules)."""
    groups = {}
    for kelurahan in Kelurahan.objects.filter(kecamatan__dapil__in=dapils).select_related("kecamatan").order_by(
        "kecamatan__name", "name"
    ):
        groups.setdefault(f"Kec. {kelurahan.kecamatan.name}", []).append((kelurahan.pk, kelurahan.name))
    return list(groups.items())


# --- periods ---------------------------------------------------------------------


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ResesPeriod
        fields = ["year", "number", "starts_on", "ends_on", "report_due"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "report_due": DateInput()}

    def validate_unique(self):
        """Uniqueness is one of the rules below, with its own message."""

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(name) is not None for name in self.Meta.fields):
            try:
                rules.check_period(instance=self.instance if self.instance.pk else None,
                                   **{name: cleaned[name] for name in self.Meta.fields})
            except ValidationError as refused:
                for field, messages in refused.message_dict.items():
                    for message in messages:
                        self.add_error(field, message)
        return cleaned

    def period_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- opening and describing a reses -------------------------------------------------


class ResesFieldsMixin:
    """Dates and places, checked against the period and the member's dapil."""

    def _check(self, member, period):
        cleaned = self.cleaned_data
        if cleaned.get("starts_on") and cleaned.get("ends_on"):
            try:
                rules.check_dates(period, cleaned["starts_on"], cleaned["ends_on"])
            except ValidationError as refused:
                for field, messages in refused.message_dict.items():
                    self.add_error(field, messages)
        if "places" in cleaned:
            try:
                rules.check_places(member, list(cleaned["places"]))
            except ValidationError as refused:
                self.add_error("places", refused)


class OpenResesForm(ResesFieldsMixin, OnceOnlyForm):
    member = forms.ModelChoiceField(
        label=gettext_lazy("Anggota DPRD"), queryset=None, empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("Anda bukan anggota ini atau stafnya.")},
    )
    period = forms.ModelChoiceField(label=gettext_lazy("Masa reses"), queryset=ResesPeriod.objects.all(), empty_label=None)
    starts_on = forms.DateField(label=gettext_lazy("Tanggal mulai"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("Tanggal selesai"), widget=DateInput(),
                              help_text=gettext_lazy("Paling lama 6 hari, di dalam masa reses."))
    places = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Kelurahan yang dikunjungi"), queryset=Kelurahan.objects.select_related("kecamatan"),
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    venue = forms.CharField(label=gettext_lazy("Tempat pertemuan"), max_length=300,
                            help_text=gettext_lazy("Misalnya: Balai Pertemuan RT 12, Jl. Mulawarman."))
    residents_present = forms.IntegerField(label=gettext_lazy("Jumlah warga hadir"), min_value=0, initial=0, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda member: f"{member} ({member.dapil})"
        self.fields["places"].widget.choices = kelurahan_choices(members.values("dapil"))
        periods = list(ResesPeriod.objects.order_by("-year", "-number")[:1])
        if periods and not self.is_bound:
            self.fields["period"].initial = periods[0].pk

    def clean(self):
        cleaned = super().clean()
        member, period = cleaned.get("member"), cleaned.get("period")
        if member is None or period is None:
            return cleaned
        for check in (rules.check_period_open, lambda period: rules.check_previous_report(member, period),
                      lambda period: rules.check_not_opened(member, period)):
            try:
                check(period)
            except ValidationError as refused:
                self.add_error("period", refused)
                return cleaned
        self._check(member, period)
        return cleaned


class ResesEditForm(ResesFieldsMixin, forms.ModelForm):
    class Meta:
        model = Reses
        fields = ["starts_on", "ends_on", "places", "venue", "residents_present"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput(), "places": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = Kelurahan.objects.select_related("kecamatan")
        self.fields["places"].required = False
        self.fields["places"].widget.choices = kelurahan_choices([self.instance.member.dapil_id])

    def clean(self):
        cleaned = super().clean()
        self._check(self.instance.member, self.instance.period)
        return cleaned


class AttendanceForm(OnceOnlyForm):
    sheet = forms.FileField(label=gettext_lazy("Pindaian daftar hadir (PDF atau foto)"),
                            widget=forms.FileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))

    def clean_sheet(self):
        """(file, media type, page count): a PDF as it is, a photo cleaned of its metadata."""
        return clean_attendance(self.cleaned_data["sheet"])


class PhotosForm(OnceOnlyForm):
    photos = MultipleFileField(label=gettext_lazy("Foto kegiatan reses (JPEG/PNG)"),
                               widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if not files:
            raise ValidationError(_("Pilih sedikitnya satu foto."))
        return clean_photos(files)


# --- items -----------------------------------------------------------------------------


class KamusSelect(forms.Select):
    """Kamus entries carry their defaults, so the page fills kind, unit and agency when one is chosen."""

    def __init__(self, *args, defaults=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.defaults = defaults or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        entry = self.defaults.get(str(getattr(value, "value", value)))
        if entry:
            option["attrs"].update({"data-kind": entry[0], "data-unit": entry[1], "data-opd": entry[2]})
        return option


class ItemForm(forms.ModelForm):
    """One request as it is typed on a phone; ``record`` (the "Catat" button) also checks it is complete."""

    SAVE, RECORD = "save", "record"

    photos = MultipleFileField(
        label=gettext_lazy("Foto lokasi (JPEG/PNG)"), required=False,
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png", "capture": "environment"}),
        help_text=gettext_lazy("Lokasi dari foto dipakai sebagai koordinat bila koordinat belum diisi; "
                               "data lokasi dihapus dari berkas yang disimpan."),
    )

    class Meta:
        model = ResesItem
        fields = [
            "problem", "request", "kelurahan", "rt", "rw", "address", "boundaries", "latitude", "longitude",
            "kamus", "kind", "volume", "unit", "estimated_cost", "opd", "proposer_group", "proposer_name",
            "proposer_phone",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 2}),
            "request": forms.Textarea(attrs={"rows": 2}),
            "rt": forms.TextInput(attrs={"inputmode": "numeric"}),
            "rw": forms.TextInput(attrs={"inputmode": "numeric"}),
            "proposer_phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "proposer_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "boundaries": gettext_lazy("Batas lokasi: utara, selatan, timur, barat (mis. jalan, sungai, rumah warga)."),
            "proposer_name": gettext_lazy("Data pribadi: hanya terlihat oleh anggota, stafnya dan verifikator."),
        }

    def __init__(self, *args, reses, record=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.reses, self.record = reses, record
        member = reses.member
        self.fields["kelurahan"].queryset = Kelurahan.objects.select_related("kecamatan")
        self.fields["kelurahan"].choices = [("", "—")] + kelurahan_choices([member.dapil_id])
        entries = list(KamusUsulan.objects.filter(active=True).select_related("opd").order_by("urusan", "name"))
        if self.instance.kamus_id and self.instance.kamus not in entries:
            entries.append(self.instance.kamus)  # retired from the kamus since, still this item's entry
        groups = {}
        for entry in entries:
            groups.setdefault(entry.urusan, []).append((entry.pk, entry.name))
        self.fields["kamus"].queryset = KamusUsulan.objects.select_related("opd")
        self.fields["kamus"].widget = KamusSelect(
            defaults={str(entry.pk): (entry.kind, entry.unit, str(entry.opd_id)) for entry in entries})
        self.fields["kamus"].choices = [("", "—")] + list(groups.items())
        self.fields["kamus"].help_text = _("Memilih kamus mengisi jenis, satuan dan OPD tujuan.")
        for name in ("volume", "estimated_cost", "latitude", "longitude"):
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "any"})

    def clean_volume(self):
        volume = self.cleaned_data.get("volume")
        if volume is not None and volume <= 0:
            raise ValidationError(_("Volume harus lebih dari nol."))
        return volume

    def clean_estimated_cost(self):
        cost = self.cleaned_data.get("estimated_cost")
        if cost is not None and cost < 0:
            raise ValidationError(_("Perkiraan biaya tidak boleh negatif."))
        return cost

    def clean_latitude(self):
        value = self.cleaned_data.get("latitude")
        if value is not None and not -90 <= value <= 90:
            raise ValidationError(_("Lintang harus antara -90 dan 90."))
        return value

    def clean_longitude(self):
        value = self.cleaned_data.get("longitude")
        if value is not None and not -180 <= value <= 180:
            raise ValidationError(_("Bujur harus antara -180 dan 180."))
        return value

    def _clean_rt_rw(self, name, label):
        value = self.cleaned_data.get(name, "").strip()
        if value and not RT_RW_RE.match(value):
            raise ValidationError(_("%(label)s diisi angka saja, mis. 012.") % {"label": label})
        return value

    def clean_rt(self):
        return self._clean_rt_rw("rt", "RT")

    def clean_rw(self):
        return self._clean_rt_rw("rw", "RW")

    def clean_proposer_phone(self):
        value = self.cleaned_data.get("proposer_phone", "").strip()
        if value and not PHONE_RE.match(value):
            raise ValidationError(_("Nomor telepon hanya berisi angka, spasi, tanda +, - atau kurung."))
        return value

    def clean_kelurahan(self):
        kelurahan = self.cleaned_data.get("kelurahan")
        if kelurahan is not None and kelurahan.kecamatan.dapil_id != self.reses.member.dapil_id:
            raise ValidationError(rules.outside_dapil_message(kelurahan, self.reses.member))
        return kelurahan

    def clean_photos(self):
        return clean_photos(self.cleaned_data.get("photos") or [])

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.record or self.instance.status == ResesItem.Status.RECORDED:
            probe = ResesItem(**{name: cleaned.get(name) for name in self.Meta.fields if name not in ("kelurahan", "kamus", "opd")})
            probe.kelurahan, probe.kamus, probe.opd = cleaned.get("kelurahan"), cleaned.get("kamus"), cleaned.get("opd")
            for name in ("problem", "request", "rt", "rw", "address", "boundaries", "unit", "kind", "proposer_group",
                         "proposer_name", "proposer_phone"):
                setattr(probe, name, cleaned.get(name) or "")
            from .services import fill_from_kamus

            fill_from_kamus(probe)
            for field, message in rules.missing_for_recording(probe, self.reses.member).items():
                self.add_error(field, message)
        return cleaned

    def _post_clean(self):
        """The service checks the model (``full_clean``) once the whole item is known."""

    def item_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


# --- the steps ------------------------------------------------------------------------------


class FinishRecordingForm(OnceOnlyForm):
    def __init__(self, *args, reses, **kwargs):
        super().__init__(*args, **kwargs)
        self.reses = reses

    def clean(self):
        cleaned = super().clean()
        for problem in rules.finishing_problems(self.reses):
            self.add_error(None, problem)
        return cleaned


class SubmitReportForm(OnceOnlyForm):
    summary = forms.CharField(
        label=gettext_lazy("Ringkasan hasil reses"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Pokok-pokok aspirasi, tanggapan dan catatan anggota; dicetak di laporan."),
    )


class AcknowledgeForm(OnceOnlyForm):
    note = forms.CharField(label=gettext_lazy("Catatan Pimpinan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
