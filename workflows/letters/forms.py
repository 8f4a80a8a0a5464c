"""Forms of the incoming-letter service; every rule about input lives here."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.validation import IMAGES, PDF, UploadPolicy
from project.forms import DateInput, MultipleFileField, OnceOnlyForm
from project.org.models import Unit

from .models import Instruction, Letter

MAX_ATTACHMENTS = 10
LETTER_SCAN = UploadPolicy("letter_scan", frozenset({PDF}), _("PDF"))
LETTER_ATTACHMENT = UploadPolicy("letter_attachment", frozenset({PDF}) | IMAGES, _("PDF, PNG atau JPEG"))


class RegisterLetterForm(OnceOnlyForm, forms.ModelForm):
    scan = forms.FileField(
        label=_("Pindaian surat (PDF)"), widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"})
    )
    attachments = MultipleFileField(label=_("Lampiran (PDF/PNG/JPEG, boleh lebih dari satu)"), required=False)

    class Meta:
        model = Letter
        fields = ["sender", "sender_number", "letter_date", "received_date", "subject", "nature", "classification"]
        widgets = {
            "letter_date": DateInput(),
            "received_date": DateInput(),
            "subject": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_date"].initial = timezone.localdate()
        self.page_count = None

    def clean_letter_date(self):
        value = self.cleaned_data["letter_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal surat tidak boleh di masa depan."))
        return value

    def clean_received_date(self):
        value = self.cleaned_data["received_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Tanggal diterima tidak boleh di masa depan."))
        return value

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        _media_type, self.page_count = LETTER_SCAN.check(scan)
        return scan

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Paling banyak %(n)d lampiran.") % {"n": MAX_ATTACHMENTS})
        return [(upload, LETTER_ATTACHMENT.check(upload)[0]) for upload in files]

    def clean(self):
        cleaned = super().clean()
        letter_date, received_date = cleaned.get("letter_date"), cleaned.get("received_date")
        if letter_date and received_date and letter_date > received_date:
            self.add_error("received_date", _("Tanggal diterima tidak boleh sebelum tanggal surat."))
        return cleaned

    def letter_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DisposeForm(OnceOnlyForm):
    DISPOSE, FILE = "dispose", "file"

    decision = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[(DISPOSE, _("Disposisikan ke unit")), (FILE, _("Arsipkan tanpa disposisi"))],
        initial=DISPOSE,
        widget=forms.RadioSelect,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Unit tujuan"), queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    instruction = forms.ChoiceField(label=_("Instruksi"), choices=[("", "—")] + list(Instruction.choices), required=False)
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    deadline = forms.DateField(label=_("Batas waktu"), widget=DateInput(), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") != self.DISPOSE:
            return cleaned
        if not cleaned.get("units"):
            self.add_error("units", _("Pilih sedikitnya satu unit tujuan."))
        if not cleaned.get("instruction"):
            self.add_error("instruction", _("Pilih instruksi disposisi."))
        deadline = cleaned.get("deadline")
        if deadline is None:
            self.add_error("deadline", _("Tentukan batas waktu tindak lanjut."))
        elif deadline < timezone.localdate():
            self.add_error("deadline", _("Batas waktu tidak boleh di masa lalu."))
        return cleaned


class CloseBranchForm(OnceOnlyForm):
    report = forms.CharField(label=_("Laporan tindak lanjut"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    report_file = forms.FileField(label=_("Lampiran laporan (opsional)"), required=False)

    def clean_report_file(self):
        """(file, media type), or None when no file was given."""
        upload = self.cleaned_data.get("report_file")
        return (upload, LETTER_ATTACHMENT.check(upload)[0]) if upload else None


class ForwardBranchForm(OnceOnlyForm):
    staff = forms.ModelChoiceField(label=_("Teruskan kepada"), queryset=None)
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda user: user.get_full_name() or user.username
