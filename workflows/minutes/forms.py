"""Forms of the minutes service; every rule about input lives here."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from asr.audio import AudioProblem, probe_audio
from documents.validation import AUDIO, UploadPolicy, temporary_path_of
from project.forms import DateInput, OnceOnlyForm, TimeInput
from project.org.models import Unit

from .models import AgendaItem, Meeting, Participant

MAX_AGENDA_ITEMS = 30
MINUTES_AUDIO = UploadPolicy(
    "minutes_audio", AUDIO, _("WAV, MP3, OGG, FLAC atau M4A"), max_bytes_setting="SIAP_MAX_AUDIO_BYTES"
)
MAX_GUESTS = 100


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "username")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.username


class ScheduleMeetingForm(OnceOnlyForm, forms.ModelForm):
    agenda = forms.CharField(
        label=_("Acara (satu per baris)"), widget=forms.Textarea(attrs={"rows": 3}),
    )
    invitees = PeopleChoiceField(
        label=_("Undangan (pengguna SIAP)"), queryset=_people(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    guests = forms.CharField(
        label=_("Undangan lain (satu per baris: Nama — Jabatan/instansi)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Meeting
        fields = ["title", "kind", "is_closed", "unit", "date", "start_time", "end_time", "place", "chair", "secretary"]
        field_classes = {"chair": PersonChoiceField, "secretary": PersonChoiceField}
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("name")
        self.fields["chair"].queryset = _people()
        self.fields["secretary"].queryset = _people()
        self.fields["invitees"].queryset = _people()

    def clean_agenda(self):
        items = [line.strip() for line in self.cleaned_data["agenda"].splitlines() if line.strip()]
        if not items:
            raise ValidationError(_("Isi sedikitnya satu acara."))
        if len(items) > MAX_AGENDA_ITEMS:
            raise ValidationError(_("Paling banyak %(max)s acara.") % {"max": MAX_AGENDA_ITEMS})
        if any(len(item) > AgendaItem._meta.get_field("title").max_length for item in items):
            raise ValidationError(_("Judul acara terlalu panjang."))
        return items

    def clean_guests(self):
        guests = []
        for line in self.cleaned_data["guests"].splitlines():
            if not line.strip():
                continue
            name, _sep, role = line.replace("—", "-").partition(" - ")
            guests.append((name.strip()[:200], role.strip()[:200]))
        if len(guests) > MAX_GUESTS:
            raise ValidationError(_("Paling banyak %(max)s undangan lain.") % {"max": MAX_GUESTS})
        return guests

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Waktu selesai harus setelah waktu mulai."))
        return data

    def meeting_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RecordingForm(OnceOnlyForm):
    audio = forms.FileField(
        label=_("Rekaman rapat (WAV, MP3, OGG, FLAC atau M4A)"),
        widget=forms.FileInput(attrs={"accept": "audio/*"}),
    )

    def clean_audio(self):
        upload = self.cleaned_data["audio"]
        media_type, _pages = MINUTES_AUDIO.check(upload)
        with temporary_path_of(upload) as path:
            try:
                self.source = probe_audio(path)
            except AudioProblem as problem:
                raise ValidationError(str(problem), code="not_audio")
        self.media_type = media_type
        return upload


class AttendanceForm(forms.Form):
    """One choice per participant; field names are ``p<pk>``."""

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(meeting.participants.all())
        for participant in self.participants:
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(
                label=str(participant), choices=[("", "—")] + Participant.Attendance.choices, required=False,
                initial=participant.attendance,
            )

    def attendance(self):
        return {participant.pk: self.cleaned_data[f"p{participant.pk}"] for participant in self.participants}


class LineForm(forms.Form):
    text = forms.CharField(label=_("Teks"), widget=forms.Textarea(attrs={"rows": 2}), max_length=20000)
    speaker = forms.ModelChoiceField(label=_("Pembicara"), queryset=Participant.objects.none(), required=False)
    agenda_item = forms.ModelChoiceField(label=_("Acara"), queryset=AgendaItem.objects.none(), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = meeting.participants.all()
        self.fields["agenda_item"].queryset = meeting.agenda.all()

    def clean_text(self):
        from .services import clean_text

        text = clean_text(self.cleaned_data["text"])
        if not text:
            raise ValidationError(_("Teks segmen tidak boleh kosong."))
        return text


class SubmitMinutesForm(OnceOnlyForm, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["opened_at", "closed_at", "main_points", "conclusions", "decisions"]
        widgets = {
            "opened_at": TimeInput(), "closed_at": TimeInput(),
            "main_points": forms.Textarea(attrs={"rows": 4}),
            "conclusions": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opened_at", "closed_at", "conclusions"):
            self.fields[name].required = True

    def clean(self):
        data = super().clean()
        opened, closed = data.get("opened_at"), data.get("closed_at")
        if opened and closed and closed <= opened:
            self.add_error("closed_at", _("Waktu penutupan harus setelah waktu pembukaan."))
        return data

    @classmethod
    def minutes_data(cls, cleaned_data):
        """What the service stores of the form's cleaned data."""
        return {name: cleaned_data[name] for name in cls.Meta.fields}


class ApprovalForm(OnceOnlyForm):
    APPROVE, RETURN = "setujui", "kembalikan"
    decision = forms.ChoiceField(
        label=_("Keputusan"), widget=forms.RadioSelect,
        choices=[(APPROVE, _("Setujui dan terbitkan")), (RETURN, _("Kembalikan ke notulis"))],
    )
    note = forms.CharField(label=_("Catatan untuk notulis"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("note", "").strip():
            self.add_error("note", _gettext("Tuliskan apa yang harus diperbaiki."))
        return data
