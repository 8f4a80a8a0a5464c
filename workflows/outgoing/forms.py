"""Forms of the outgoing-letter service; every rule about input lives here or in the service it calls."""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from documents.validation import IMAGES, PDF, UploadPolicy
from project.forms import MultipleFileField, OnceOnlyForm
from project.org.models import Position, Unit
from project.org.offices import office_title
from workflows.letters.models import Letter

from . import services
from .models import OutgoingLetter

MAX_ATTACHMENTS = 10
MAX_LINE_LENGTH = 300  # one addressee or copy recipient: a line the letter can print
MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a whole address
OUTGOING_ATTACHMENT = UploadPolicy("outgoing_attachment", frozenset({PDF}) | IMAGES, _("PDF, PNG atau JPEG"))


def _short_lines(value):
    long_lines = [line for line in value.splitlines() if len(line.strip()) > MAX_LINE_LENGTH]
    if long_lines:
        raise forms.ValidationError(_("Satu baris paling panjang %(n)d karakter; pisahkan tiap tujuan ke baris sendiri.")
                                    % {"n": MAX_LINE_LENGTH})
    return value


def _position_label(position):
    holder = position.holder.get_full_name() if position.holder_id else _("kosong")
    return f"{office_title(position)} ({holder})"


class DraftForm(OnceOnlyForm, forms.ModelForm):
    """The draft's content, from the kind's template: the fields a kind does not use are ignored in its PDF."""

    unit = forms.ModelChoiceField(label=_("Unit pengolah"), queryset=Unit.objects.none())
    attachments = MultipleFileField(label=_("Lampiran (PDF/PNG/JPEG, boleh lebih dari satu)"), required=False)
    archive_documents = forms.ModelMultipleChoiceField(
        label=_("Lampiran dari arsip surat masuk yang dibalas"), queryset=Document.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OutgoingLetter
        fields = [
            "kind", "nature", "classification", "subject", "addressees", "addressee_place", "body",
            "event_day", "event_time", "event_place", "event_agenda", "copies", "email_recipients", "recipient_units",
            "reply_to", "signer_position", "on_behalf_of", "through_position",
        ]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 2}),
            "addressees": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 10}),
            "copies": forms.Textarea(attrs={"rows": 3}),
            "email_recipients": forms.Textarea(attrs={"rows": 2}),
            "recipient_units": forms.CheckboxSelectMultiple(),
        }

    def __init__(self, *args, user, letter=None, reply_to=None, **kwargs):
        super().__init__(*args, instance=letter, **kwargs)
        units = services.drafting_units(user)
        self.fields["unit"].queryset = units
        if letter is not None:
            del self.fields["unit"]
            unit = letter.drafting_unit
        else:
            unit = units.first()
            self.fields["unit"].initial = unit
        signers = services.signer_choices([unit] if letter is not None else units)
        self.fields["signer_position"].queryset = signers.select_related("unit", "holder")
        self.fields["signer_position"].label_from_instance = _position_label
        heads = Position.objects.filter(role=Position.Role.HEAD).select_related("unit", "holder")
        for name in ("on_behalf_of", "through_position"):
            self.fields[name].queryset = heads
            self.fields[name].label_from_instance = _position_label
        self.fields["recipient_units"].queryset = Unit.objects.order_by("kind", "name")
        self.fields["recipient_units"].help_text = _("Untuk nota dinas: unit yang menerimanya di antrean masuknya.")
        self.fields["reply_to"].queryset = Letter.objects.visible_to(user).order_by("-agenda_year", "-agenda_number")
        answered = reply_to or (letter.reply_to if letter is not None and letter.reply_to_id else None)
        if answered is not None and self.fields["reply_to"].queryset.filter(pk=answered.pk).exists():
            self.fields["archive_documents"].queryset = answered.documents()
            self.fields["archive_documents"].label_from_instance = lambda document: document.title
        else:
            del self.fields["archive_documents"]
        if reply_to is not None:
            self.fields["reply_to"].initial = reply_to
            self.fields["subject"].initial = f"Balasan: {reply_to.subject}"[:500]
            self.fields["addressees"].initial = reply_to.sender
            self.fields["classification"].initial = reply_to.classification_id

    def clean_subject(self):
        return " ".join(self.cleaned_data["subject"].split())  # one line: it becomes an e-mail's subject too

    def clean_addressees(self):
        return _short_lines(self.cleaned_data.get("addressees", ""))

    def clean_copies(self):
        return _short_lines(self.cleaned_data.get("copies", ""))

    def clean_email_recipients(self):
        value = self.cleaned_data.get("email_recipients", "")
        for line in value.splitlines():
            if line.strip():
                try:
                    if len(line.strip()) > MAX_EMAIL_LENGTH:
                        raise forms.ValidationError("too long")
                    validate_email(line.strip())
                except forms.ValidationError:
                    raise forms.ValidationError(_("“%(value)s” bukan alamat e-mail.") % {"value": line.strip()[:80]})
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("through_position") and not cleaned.get("on_behalf_of"):
            self.add_error("through_position", services.UB_NEEDS_AN)
        unit = self.instance.drafting_unit if self.instance.pk else cleaned.get("unit")
        signer = cleaned.get("signer_position")
        if unit and signer and not services.signer_choices([unit]).filter(pk=signer.pk).exists():
            self.add_error("signer_position", services.SIGNER_RULE)
        answered = cleaned.get("reply_to")
        if any(document.owner_id != str(getattr(answered, "pk", "")) for document in cleaned.get("archive_documents") or ()):
            self.add_error("archive_documents", services.ONLY_THE_ANSWERED_LETTERS_FILES)
        return cleaned

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Paling banyak %(n)d lampiran.") % {"n": MAX_ATTACHMENTS})
        return [(upload, OUTGOING_ATTACHMENT.check(upload)[0]) for upload in files]

    def content(self):
        """The letter's fields for the service (relations by object, the M2M and files apart)."""
        return {name: value for name, value in self.cleaned_data.items()
                if name not in ("unit", "attachments", "archive_documents", "recipient_units", "submission_token")}


class NoteForm(OnceOnlyForm):
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(OnceOnlyForm):
    note = forms.CharField(label=_("Yang harus diperbaiki"), widget=forms.Textarea(attrs={"rows": 3}))


class SignForm(OnceOnlyForm):
    passphrase = forms.CharField(
        label=_("Frasa sandi tanda tangan elektronik"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=_("Frasa sandi kunci tanda tangan Anda; SIAP tidak menyimpannya."),
    )


class DispatchForm(OnceOnlyForm):
    courier = forms.BooleanField(label=_("Dicetak dan dikirim melalui kurir"), required=False)
    note = forms.CharField(label=_("Catatan pengiriman (mis. nama kurir, tujuan)"), required=False, max_length=255)


def too_large_message(max_bytes):
    return _("Berkas terlalu besar (paling besar %(mb)d MB).") % {"mb": max_bytes // (1024 * 1024)}


class VerifyUploadForm(forms.Form):
    pdf = forms.FileField(label=_("Berkas PDF yang hendak diperiksa"), widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}))

    def __init__(self, *args, max_bytes, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(too_large_message(self.max_bytes))
        return upload
