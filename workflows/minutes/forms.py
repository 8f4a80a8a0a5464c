"""Forms of the minutes service; every rule about input lives here."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from asr.audio import AudioProblem, probe_audio
from documents.validation import AUDIO, UploadPolicy, temporary_path_of
from project.forms import DateInput, OnceOnlyForm, TimeInput
from project.org.models import Position, Unit

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


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return _gettext("%(unit)s (%(count)s anggota)") % {"unit": unit, "count": unit.member_count}


def _member_seats():
    """The seats whose holders a whole-unit invitation brings: every seat but the staff's."""
    return Position.objects.exclude(holder=None).exclude(role=Position.Role.STAFF)


class ScheduleMeetingForm(OnceOnlyForm, forms.ModelForm):
    agenda = forms.CharField(
        label=_("Acara (satu per baris)"), widget=forms.Textarea(attrs={"rows": 3}),
    )
    invited_units = UnitChoiceField(
        label=_("Undang seluruh anggota unit"), queryset=Unit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "unit-choices"}),
        help_text=_("Mis. seluruh anggota Komisi II sekaligus; staf sekretariat tidak ikut."),
    )
    invitees = PeopleChoiceField(
        label=_("Undangan perorangan (pengguna SIAP)"), queryset=_people(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "people-choices"}),
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
        self.fields["invited_units"].queryset = (
            Unit.objects.exclude(kind=Unit.Kind.SEKRETARIAT)
            .annotate(member_count=Count("positions", filter=Q(positions__in=_member_seats())))
            .filter(member_count__gt=0).order_by("kind", "name")
        )

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

    def invited_people(self):
        """The people picked by name and the members of the units picked whole, each once."""
        members = _people().filter(
            positions__in=_member_seats().filter(unit__in=self.cleaned_data["invited_units"])
        )
        return list({person.pk: person for person in [*self.cleaned_data["invitees"], *members]}.values())


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
    """One row of radio buttons per participant (``p<pk>``); "Semua hadir" (``semua_hadir``) records everyone present.

    Radio buttons, not one dropdown per person: a row is one tap on a phone, and the whole list reads at a glance.
    """

    ALL_PRESENT = "semua_hadir"

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = list(meeting.participants.all())
        for participant in self.participants:
            self.fields[f"p{participant.pk}"] = forms.ChoiceField(
                label=str(participant), choices=Participant.Attendance.choices, required=False,
                initial=participant.attendance, widget=forms.RadioSelect,
            )

    def rows(self):
        return [(participant, self[f"p{participant.pk}"]) for participant in self.participants]

    def attendance(self):
        if self.data.get(self.ALL_PRESENT):
            return {participant.pk: Participant.Attendance.PRESENT for participant in self.participants}
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


def confirm_field():
    return forms.BooleanField(
        label=_("Saya sudah melihat daftar baris di atas dan tetap meneruskan risalah ini"), required=False,
    )


def _offer_confirmation(form, meeting):
    """The checkbox is asked only while there is something to confirm; otherwise it travels hidden and unset."""
    from .services import review_gaps

    if not review_gaps(meeting).message():
        form.fields["confirm"].widget = forms.HiddenInput()


def _require_confirmation(form, meeting):
    """The page's and the API's answer when lines are unexamined or have no speaker: say which, ask to confirm.

    The service checks the same (``services.review_gaps``); here the person gets it as a form error to act on.
    """
    from .services import review_gaps

    if not form.cleaned_data.get("confirm"):
        message = review_gaps(meeting).message()
        if message:
            form.add_error("confirm", message)


def _require_complete_transcript(form, meeting):
    """The service refuses the same (``services.unfinished_transcription``); here the person keeps what they typed."""
    from .services import unfinished_transcription

    message = unfinished_transcription(meeting)
    if message:
        form.add_error(None, message)


class SubmitMinutesForm(OnceOnlyForm, forms.ModelForm):
    confirm = confirm_field()

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
        _offer_confirmation(self, self.instance)

    def clean(self):
        data = super().clean()
        opened, closed = data.get("opened_at"), data.get("closed_at")
        if opened and closed and closed <= opened:
            self.add_error("closed_at", _("Waktu penutupan harus setelah waktu pembukaan."))
        _require_complete_transcript(self, self.instance)
        _require_confirmation(self, self.instance)
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
    confirm = confirm_field()

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        _offer_confirmation(self, meeting)

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN and not data.get("note", "").strip():
            self.add_error("note", _gettext("Tuliskan apa yang harus diperbaiki."))
        if data.get("decision") == self.APPROVE:
            _require_complete_transcript(self, self.meeting)
            _require_confirmation(self, self.meeting)
        return data
