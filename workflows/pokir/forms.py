"""Forms of e-Pokir; every rule about input lives here, with its message."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.validation import IMAGES, UploadPolicy
from project.forms import DateInput, MultipleFileField, MultipleFileInput, OnceOnlyForm
from project.reference.models import KamusUsulan, Kelurahan, Opd
from workflows.reses.photos import clean_photo

from . import checklist, services
from .models import Pokir, PokirExport, PokirYear

POKIR_PHOTO = UploadPolicy("pokir_photo", IMAGES, _("JPEG atau PNG"))
MAX_PHOTOS = 10
RT_RW = re.compile(r"^\d{1,3}$")

NOTE_LABELS = {
    "title": _("Usulan"),
    "problem": _("Permasalahan"),
    "address": _("Alamat lengkap (kelurahan, RT/RW, jalan)"),
    "boundaries": _("Letak batas"),
    "coordinates": _("Koordinat"),
    "photos": _("Foto lokasi"),
    "volume": _("Volume dan satuan"),
    "kind": _("Jenis"),
    "estimated_cost": _("Perkiraan biaya"),
    "kamus": _("Kamus usulan dan OPD"),
    "other": _("Lainnya"),
}


def item_label(item):
    used = ", ".join(pokir.number for pokir in item.pokir.all())
    place = item.kelurahan.name if item.kelurahan_id else _("tanpa kelurahan")
    label = f"{item.request or item.problem or _('(tanpa judul)')} — {place} ({item.reses.period})"
    return f"{label} · {_('dipakai di')} {used}" if used else label


class ItemsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, item):
        return item_label(item)


class KelurahanField(forms.ModelChoiceField):
    def label_from_instance(self, kelurahan):
        return f"{kelurahan.name} (Kec. {kelurahan.kecamatan.name})"


class NewPokirForm(OnceOnlyForm):
    """A new draft: for which year, from which reses items (pre-filled from the first), or with its title only."""

    year = forms.ModelChoiceField(label=_("Tahun anggaran"), queryset=PokirYear.objects.none(), empty_label=None)
    reses_items = ItemsField(
        label=_("Usulan reses"), queryset=None, required=False,
        help_text=_("Isian pokir diambil dari usulan pertama yang dipilih; foto usulan ikut menjadi foto pokir."),
    )
    title = forms.CharField(label=_("Usulan"), max_length=300, required=False,
                            help_text=_("Wajib bila tidak memilih usulan reses."))

    def __init__(self, *args, member, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.member, self.members = member, list(members)
        self.fields["year"].queryset = services.open_years()
        self.fields["reses_items"].queryset = services.usable_items(member)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("reses_items") and not (cleaned.get("title") or "").strip():
            self.add_error("title", _("Isi usulan atau pilih sedikitnya satu usulan reses."))
        return cleaned


class PokirForm(OnceOnlyForm, forms.ModelForm):
    """The member's edit of a draft or a returned pokir."""

    kelurahan = KelurahanField(label=_("Kelurahan"), queryset=Kelurahan.objects.select_related("kecamatan"), required=False)
    kamus = forms.ModelChoiceField(label=_("Kamus usulan"), queryset=KamusUsulan.objects.filter(active=True).select_related("opd"),
                                   required=False)
    opd = forms.ModelChoiceField(label=_("OPD tujuan"), queryset=Opd.objects.all(), required=False)
    reses_items = ItemsField(label=_("Usulan reses"), queryset=None, required=False)

    class Meta:
        model = Pokir
        fields = ["title", "problem", "kelurahan", "rt", "rw", "address", "boundaries", "latitude", "longitude", "kind",
                  "volume", "unit", "estimated_cost", "kamus", "opd"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput(),
            "boundaries": forms.TextInput(attrs={"placeholder": _("mis. dari simpang Jl. Mawar sampai jembatan Gg. Melati")}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reses_items"].queryset = services.usable_items(self.instance.member)
        self.fields["reses_items"].initial = list(self.instance.reses_items.values_list("pk", flat=True))
        if self.instance.kamus_id and not self.instance.kamus.active:  # keep a retired entry the pokir already has
            self.fields["kamus"].queryset = KamusUsulan.objects.filter(pk=self.instance.kamus_id) | self.fields["kamus"].queryset
        for name in ("volume", "estimated_cost", "latitude", "longitude"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean_rt(self):
        return self._rt_rw("rt", _("RT"))

    def clean_rw(self):
        return self._rt_rw("rw", _("RW"))

    def _rt_rw(self, name, label):
        value = self.cleaned_data.get(name, "").strip()
        if value and not RT_RW.match(value):
            raise forms.ValidationError(_("%(field)s ditulis dengan angka (1–3 digit), mis. 005.") % {"field": label})
        return value

    def clean_volume(self):
        value = self.cleaned_data.get("volume")
        if value is not None and value <= 0:
            raise forms.ValidationError(_("Volume harus lebih dari 0."))
        return value

    def clean_estimated_cost(self):
        value = self.cleaned_data.get("estimated_cost")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Perkiraan biaya tidak boleh negatif."))
        return value

    def clean_latitude(self):
        value = self.cleaned_data.get("latitude")
        if value is not None and not -90 <= value <= 90:
            raise forms.ValidationError(_("Lintang harus antara -90 dan 90."))
        return value

    def clean_longitude(self):
        value = self.cleaned_data.get("longitude")
        if value is not None and not -180 <= value <= 180:
            raise forms.ValidationError(_("Bujur harus antara -180 dan 180."))
        return value

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."))
        return cleaned

    def _post_clean(self):
        # the model is saved by services.update_pokir (inside its lock and checks), not by the form
        pass

    def pokir_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PhotoForm(OnceOnlyForm):
    photos = MultipleFileField(label=_("Foto lokasi (JPEG/PNG, boleh lebih dari satu)"),
                               widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))

    def clean_photos(self):
        files = self.cleaned_data.get("photos") or []
        if not files:
            raise forms.ValidationError(_("Pilih sedikitnya satu foto."))
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Paling banyak %(n)d foto sekaligus.") % {"n": MAX_PHOTOS})
        cleaned = []
        for upload in files:
            # checked against the policy, then re-encoded without metadata (camera, GPS) in reses's photo sandbox
            photo = clean_photo(upload, POKIR_PHOTO)
            cleaned.append((photo.as_file(), "image/jpeg"))
        return cleaned


class VerifyForm(OnceOnlyForm):
    """Verify: each failed check must be ticked "override" with a reason; the service checks again."""

    note = forms.CharField(label=_("Catatan verifikasi"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)

    def __init__(self, *args, checks, **kwargs):
        super().__init__(*args, **kwargs)
        self.failed = checklist.failed(checks)
        for check in self.failed:
            self.fields[f"override_{check.code}"] = forms.BooleanField(
                label=_("Abaikan “%(check)s” dengan alasan") % {"check": check.title}, required=False,
            )
            self.fields[f"reason_{check.code}"] = forms.CharField(
                label=_("Alasan mengabaikan “%(check)s”") % {"check": check.title}, required=False, max_length=1000,
                widget=forms.TextInput(),
            )
        self.order_fields([name for name in self.fields if name != "note"] + ["note"])

    def clean(self):
        cleaned = super().clean()
        for check in self.failed:
            ticked = cleaned.get(f"override_{check.code}")
            reason = (cleaned.get(f"reason_{check.code}") or "").strip()
            if not ticked:
                self.add_error(f"override_{check.code}", _("“%(check)s” gagal: %(reason)s Perbaiki lewat pengembalian, atau abaikan dengan alasan.")
                               % {"check": check.title, "reason": check.reason})
            elif not reason:
                self.add_error(f"reason_{check.code}", _("Tuliskan alasan mengabaikan pemeriksaan ini."))
        return cleaned

    def overrides(self):
        return {check.code: self.cleaned_data[f"reason_{check.code}"].strip() for check in self.failed}


class ReturnForm(OnceOnlyForm):
    """Return to the member: a note on each field that must be fixed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in NOTE_LABELS.items():
            self.fields[f"note_{name}"] = forms.CharField(label=label, required=False, max_length=1000,
                                                          widget=forms.TextInput())

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f"note_{name}") or "").strip() for name in NOTE_LABELS):
            raise forms.ValidationError(_("Tulis sedikitnya satu catatan pada isian yang harus diperbaiki."))
        return cleaned

    def notes(self):
        return {name: self.cleaned_data[f"note_{name}"].strip() for name in NOTE_LABELS if self.cleaned_data.get(f"note_{name}", "").strip()}


class RejectForm(OnceOnlyForm):
    reason = forms.CharField(label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RecapForm(OnceOnlyForm):
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class PokirYearForm(forms.ModelForm):
    class Meta:
        model = PokirYear
        fields = ["year", "deadline", "ceiling_per_member", "reminder_working_days"]
        widgets = {"deadline": DateInput()}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Tahun anggaran tidak masuk akal."))
        return year

    def clean_reminder_working_days(self):
        days = self.cleaned_data["reminder_working_days"]
        if days > 60:
            raise forms.ValidationError(_("Paling lama 60 hari kerja sebelum batas."))
        return days

    def clean_ceiling_per_member(self):
        value = self.cleaned_data.get("ceiling_per_member")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Pagu tidak boleh negatif."))
        return value

    def year_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ExportForm(OnceOnlyForm):
    format = forms.ChoiceField(label=_("Format"), choices=PokirExport.Format.choices, initial=PokirExport.Format.XLSX,
                               widget=forms.RadioSelect)


class RealisationForm(OnceOnlyForm):
    realisation = forms.ChoiceField(label=_("Realisasi"), choices=Pokir.Realisation.choices)
    realisation_opd = forms.ModelChoiceField(label=_("OPD pelaksana"), queryset=Opd.objects.all(), required=False)
    realisation_year = forms.IntegerField(label=_("Tahun anggaran realisasi"), required=False)
    realisation_budget = forms.DecimalField(label=_("Anggaran (Rp)"), max_digits=15, decimal_places=0, required=False)
    realisation_note = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                       max_length=2000)

    def clean_realisation_budget(self):
        value = self.cleaned_data.get("realisation_budget")
        if value is not None and value < 0:
            raise forms.ValidationError(_("Anggaran tidak boleh negatif."))
        return value

    def clean_realisation_year(self):
        value = self.cleaned_data.get("realisation_year")
        if value is not None and not 2000 <= value <= timezone.localdate().year + 10:
            raise forms.ValidationError(_("Tahun realisasi tidak masuk akal."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("realisation") == Pokir.Realisation.ACCOMMODATED:
            for name, message in (("realisation_opd", _("Pilih OPD pelaksana.")),
                                  ("realisation_year", _("Isi tahun anggaran realisasi.")),
                                  ("realisation_budget", _("Isi anggaran yang diakomodasi."))):
                if cleaned.get(name) in (None, ""):
                    self.add_error(name, message)
        return cleaned
