"""Forms of the incoming-letter service; every rule about input lives here."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.validation import IMAGES, PDF, UploadPolicy
from project.audit.models import SubmissionReceipt
from project.forms import DateInput, MultipleFileField, OnceOnlyForm
from project.org.models import Unit

from . import services
from .models import Instruction, Letter

MAX_ATTACHMENTS = 10
LETTER_SCAN = UploadPolicy("letter_scan", frozenset({PDF}), _("PDF"))
LETTER_ATTACHMENT = UploadPolicy("letter_attachment", frozenset({PDF}) | IMAGES, _("PDF, PNG atau JPEG"))


class LetterDataForm(forms.ModelForm):
    """A letter's register data and its date rules: registering and correcting share them."""

    class Meta:
        model = Letter
        fields = list(services.CORRECTABLE_FIELDS)
        widgets = {
            "letter_date": DateInput(),
            "received_date": DateInput(),
            "subject": forms.Textarea(attrs={"rows": 3}),
        }

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

    def clean(self):
        cleaned = super().clean()
        letter_date, received_date = cleaned.get("letter_date"), cleaned.get("received_date")
        if letter_date and received_date and letter_date > received_date:
            self.add_error("received_date", _("Tanggal diterima tidak boleh sebelum tanggal surat."))
        return cleaned

    def letter_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CorrectLetterForm(OnceOnlyForm, LetterDataForm):
    """The registrar's correction of a letter still awaiting disposition (the scan stays as registered)."""


class RegisterLetterForm(OnceOnlyForm, LetterDataForm):
    """Registering a letter; the same sender and number, or the same scan, again asks for confirmation first."""

    scan = forms.FileField(
        label=_("Pindaian surat (PDF)"), widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"})
    )
    attachments = MultipleFileField(label=_("Lampiran (PDF/PNG/JPEG, boleh lebih dari satu)"), required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Saya sudah memeriksa surat terdaftar yang mirip; tetap daftarkan surat ini"), required=False,
        widget=forms.HiddenInput,  # a checkbox once an earlier letter was found
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["received_date"].initial = timezone.localdate()
        self.page_count = None
        self.duplicates = []

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
        if self.errors or cleaned.get("confirm_duplicate") or self._sent_before(cleaned.get("submission_token")):
            return cleaned
        self.duplicates = list(services.earlier_letters(
            self.user, sender=cleaned["sender"], sender_number=cleaned["sender_number"],
            sha256=services.scan_sha256(cleaned["scan"]),
        ))
        if self.duplicates:
            self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
            raise forms.ValidationError(
                _("Surat dengan pengirim dan nomor yang sama, atau pindaian yang sama, sudah terdaftar. "
                  "Periksa surat terdaftar di atas; bila ini memang surat lain, centang konfirmasi dan "
                  "pilih kembali berkas pindaiannya sebelum mengirim ulang."),
                code="duplicate",
            )
        return cleaned

    @staticmethod
    def _sent_before(token):
        """This very form came again (a double click, a retry): ``create_once`` answers it, not the duplicate check."""
        return SubmissionReceipt.objects.filter(token=token).exists()


class CancelLetterForm(OnceOnlyForm):
    reason = forms.CharField(
        label=_("Alasan pembatalan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("Surat tetap tersimpan dan tampil sebagai Dibatalkan; nomor agendanya tidak dipakai lagi."),
    )


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
    deadline = forms.DateField(
        label=_("Batas waktu"), widget=DateInput(), required=False,
        help_text=_("Tidak dipakai untuk “Untuk diketahui”: disposisi itu tanpa batas waktu."),
    )

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
        if cleaned.get("instruction") == Instruction.DIKETAHUI:
            cleaned["deadline"] = None
        elif deadline is None:
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
        field = self.fields["staff"]
        field.queryset = staff
        field.label_from_instance = lambda user: user.get_full_name() or user.username
        council = [(user.pk, field.label_from_instance(user)) for user in staff if hasattr(user, "council_member")]
        secretariat = [(user.pk, field.label_from_instance(user)) for user in staff if not hasattr(user, "council_member")]
        field.choices = [("", "---------")] + [
            (group, people) for group, people in ((_("Anggota DPRD"), council), (_("Staf sekretariat"), secretariat))
            if people
        ]


class RequestExtensionForm(OnceOnlyForm):
    new_deadline = forms.DateField(label=_("Batas waktu baru"), widget=DateInput())
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def clean_new_deadline(self):
        value = self.cleaned_data["new_deadline"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("Batas waktu baru tidak boleh di masa lalu."))
        return value


class DecideExtensionForm(OnceOnlyForm):
    GRANT, REFUSE = "grant", "refuse"

    decision = forms.ChoiceField(
        label=_("Keputusan"), choices=[(GRANT, _("Kabulkan")), (REFUSE, _("Tolak"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
