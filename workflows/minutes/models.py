"""Meetings and their minutes (e-Risalah).

A ``Meeting`` is scheduled with its agenda items and invited participants;
attendance is recorded on each ``Participant``. Its recordings are
documents it owns (``Recording`` ties each to its transcription job), and
the transcript the notulis corrects is a list of ``TranscriptLine`` rows
copied from the engine's output (``asr`` keeps the machine version
untouched). The meeting's life runs in ``flows.MinutesFlow``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.models import Document
from project.org.models import Position, Unit
from workflows.subjects import Subject

# Roles of the meeting's documents.
AUDIO, RISALAH, CATATAN, LAPORAN = "audio", "risalah", "catatan", "laporan_singkat"
DOCUMENT_ROLE_LABELS = {
    AUDIO: _("Rekaman rapat"),
    RISALAH: _("Risalah rapat"),
    CATATAN: _("Catatan rapat"),
    LAPORAN: _("Laporan singkat"),
}


class Kind(models.TextChoices):
    PARIPURNA = "paripurna", _("Rapat Paripurna")
    KOMISI = "komisi", _("Rapat Komisi")
    GABUNGAN = "gabungan", _("Rapat Gabungan Komisi")
    BANMUS = "banmus", _("Rapat Badan Musyawarah")
    BANGGAR = "banggar", _("Rapat Badan Anggaran")
    BAPEMPERDA = "bapemperda", _("Rapat Bapemperda")
    BK = "bk", _("Rapat Badan Kehormatan")
    PANSUS = "pansus", _("Rapat Panitia Khusus")
    RDP = "rdp", _("Rapat Dengar Pendapat")
    PIMPINAN = "pimpinan", _("Rapat Pimpinan")
    KERJA = "kerja", _("Rapat Kerja")


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for who may see a meeting, its recordings, transcript and minutes.

        - auditors and the DPRD chair (``minutes.view_all_meetings``, or acting
          for the chair today): every meeting;
        - the meeting's chair, its notulis and its participants: their meeting;
        - everyone signed in: open meetings once their minutes are published.
        Closed meetings are never shown to anyone else.
        """
        from project.org import services as org

        if not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("minutes.view_all_meetings"):
            return self
        chair = org.chair_position()
        if chair.holder_id == user.pk or org.acts_for(user, chair):
            return self
        rule = Q(chair=user) | Q(secretary=user) | Q(participants__user=user)
        rule |= Q(is_closed=False, status=Meeting.Status.PUBLISHED)
        return self.filter(rule).distinct()


class Meeting(Subject, models.Model):
    not_found = _("Rapat tidak ditemukan.")

    class Status(models.TextChoices):
        SCHEDULED = "terjadwal", _("Terjadwal")
        TRANSCRIBING = "transkripsi", _("Transkripsi")
        CORRECTING = "koreksi", _("Koreksi notulis")
        APPROVING = "persetujuan", _("Menunggu persetujuan")
        PRINTING = "dicetak", _("Disetujui, sedang dicetak")
        PUBLISHED = "terbit", _("Terbit")

    title = models.CharField(_("judul rapat"), max_length=300)
    kind = models.CharField(_("jenis rapat"), max_length=20, choices=Kind.choices)
    is_closed = models.BooleanField(
        _("rapat tertutup"), default=False,
        help_text=_("Risalah, rekaman dan transkrip rapat tertutup hanya untuk peserta, pimpinan dan auditor."),
    )
    unit = models.ForeignKey(Unit, verbose_name=_("alat kelengkapan"), on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("tanggal"))
    start_time = models.TimeField(_("waktu mulai"))
    end_time = models.TimeField(_("waktu selesai (rencana)"), null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pimpinan rapat"), on_delete=models.PROTECT, related_name="+"
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("notulis"), on_delete=models.PROTECT, related_name="+"
    )
    # entered by the notulis during correction: what the risalah reports
    opened_at = models.TimeField(_("rapat dibuka pukul"), null=True, blank=True)
    closed_at = models.TimeField(_("rapat ditutup pukul"), null=True, blank=True)
    main_points = models.TextField(_("pokok pembicaraan"), blank=True)
    conclusions = models.TextField(_("kesimpulan"), blank=True)
    decisions = models.TextField(_("keputusan"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED, db_index=True)
    return_note = models.TextField(_("catatan pengembalian"), blank=True)
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    document_number = models.CharField(
        _("nomor risalah"), max_length=60, blank=True, editable=False,
        help_text=_("Diberikan saat risalah disetujui; tetap sama bila risalah dikembalikan dan disetujui lagi."),
    )
    published_at = models.DateTimeField(_("diterbitkan"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    process = models.OneToOneField(
        "viewflow.Process", null=True, blank=True, on_delete=models.SET_NULL, related_name="meeting"
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        permissions = [
            ("schedule_meeting", _("Dapat menjadwalkan rapat")),
            ("view_all_meetings", _("Dapat melihat semua rapat, termasuk rapat tertutup")),
        ]
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")
        constraints = [
            models.UniqueConstraint(
                fields=["document_number"], condition=~Q(document_number=""), name="unique_minutes_number"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return reverse("minutes:detail", args=[self.pk])

    @property
    def editable(self):
        """Recordings, attendance and transcript change until the chair approves."""
        return self.status not in (self.Status.PRINTING, self.Status.PUBLISHED)

    def file_stem(self):
        return f"rapat-{self.pk}"

    def evidence_title(self):
        return f"Rapat: {self.title}"

    def evidence_metadata(self):
        return {
            "Judul": self.title,
            "Jenis": self.get_kind_display(),
            "Sifat": "Tertutup" if self.is_closed else "Terbuka",
            "Alat kelengkapan": str(self.unit),
            "Tanggal": self.date.isoformat(),
            "Tempat": self.place,
            "Pimpinan rapat": self.chair.get_full_name() or self.chair.username,
            "Notulis": self.secretary.get_full_name() or self.secretary.username,
            "Status": self.get_status_display(),
            "Peserta hadir": str(self.present().count()),
        }

    def present(self):
        return self.participants.filter(attendance=Participant.Attendance.PRESENT)

    def quorum(self):
        """Whether enough of the invited council members attend for the meeting to decide.

        Neither DESIGN.md nor REFERENCE.md states a quorum, so the general rule of
        the DPRD's tata tertib applies: more than half of the members invited
        (a decision that needs two thirds is the chair's to announce, not this
        count's). Guests (the head of a dinas), the notulis and other
        secretariat staff are invited but are not members, so they do not count.
        ``None`` when no council member is invited (a hearing of guests only).
        """
        members = self.participants.filter(user__in=council_members())
        invited = members.count()
        if not invited:
            return None
        return Quorum(
            present=members.filter(attendance=Participant.Attendance.PRESENT).count(),
            invited=invited, required=invited // 2 + 1,
        )


def council_members():
    """Holders of a council seat: a position other than staff in a unit that is not the secretariat."""
    return Position.objects.exclude(holder=None).exclude(role=Position.Role.STAFF).exclude(
        unit__kind=Unit.Kind.SEKRETARIAT
    ).values("holder")


@dataclass(frozen=True)
class Quorum:
    present: int
    invited: int
    required: int

    @property
    def reached(self):
        return self.present >= self.required


# The part of a minutes' number that names the kind of meeting; each kind is numbered on its own.
NUMBER_CODES = {
    Kind.PARIPURNA: "PRP",
    Kind.KOMISI: "KOM",
    Kind.GABUNGAN: "GAB",
    Kind.BANMUS: "BAMUS",
    Kind.BANGGAR: "BANGGAR",
    Kind.BAPEMPERDA: "BAPEMPERDA",
    Kind.BK: "BK",
    Kind.PANSUS: "PANSUS",
    Kind.RDP: "RDP",
    Kind.PIMPINAN: "PIM",
    Kind.KERJA: "RAKER",
}


class MinutesCounter(models.Model):
    """The last serial given to approved minutes of one kind of meeting in one year."""

    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="one_minutes_counter_per_kind")]

    @classmethod
    def next_number(cls, *, year, kind):
        """Take the next serial: gap-free and unique when two chairs approve at once.

        Must run inside the transaction that approves the minutes: the row
        stays locked (SELECT … FOR UPDATE) until it commits, so concurrent
        approvals queue here, and an approval that fails gives the number back.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("MinutesCounter.next_number must run inside transaction.atomic()")
        cls.objects.get_or_create(year=year, kind=kind)
        counter = cls.objects.select_for_update().get(year=year, kind=kind)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return counter.last_number


def minutes_number(kind, serial, year):
    """``RIS/PRP/0007/DPRD/2026``: risalah, kind of meeting, serial, the council, year of approval."""
    return f"RIS/{NUMBER_CODES[kind]}/{serial:04d}/DPRD/{year}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, related_name="agenda", on_delete=models.CASCADE)
    position = models.PositiveIntegerField()
    title = models.CharField(_("acara"), max_length=500)

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Participant(models.Model):
    """An invitee: a SIAP user (council member, staff) or a guest named in full (a head of dinas)."""

    class Attendance(models.TextChoices):
        PRESENT = "hadir", _("Hadir")
        PERMIT = "izin", _("Izin")
        SICK = "sakit", _("Sakit")
        ABSENT = "tanpa_keterangan", _("Tanpa keterangan")

    meeting = models.ForeignKey(Meeting, related_name="participants", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=200)
    role = models.CharField(_("jabatan / unsur"), max_length=200, blank=True)
    attendance = models.CharField(_("kehadiran"), max_length=20, choices=Attendance.choices, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], condition=Q(user__isnull=False), name="invited_once")
        ]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class Recording(models.Model):
    meeting = models.ForeignKey(Meeting, related_name="recordings", on_delete=models.CASCADE)
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position"]

    def __str__(self):
        return self.document.title

    def job(self):
        from asr.jobs import job_of

        return job_of(self)


class TranscriptLineQuerySet(models.QuerySet):
    def unreviewed(self):
        """Lines the notulis has neither edited nor marked checked: the machine's word stands unexamined."""
        return self.filter(edited_at__isnull=True, checked_at__isnull=True)

    def without_speaker(self):
        return self.filter(speaker__isnull=True)


class TranscriptLine(models.Model):
    """One segment of the transcript as the notulis corrects it; times in seconds into its recording."""

    meeting = models.ForeignKey(Meeting, related_name="lines", on_delete=models.CASCADE)
    recording = models.ForeignKey(Recording, related_name="lines", on_delete=models.CASCADE)
    position = models.PositiveIntegerField()
    start = models.FloatField()
    end = models.FloatField()
    machine_text = models.TextField(editable=False)
    text = models.TextField(_("teks"))
    speaker = models.ForeignKey(
        Participant, verbose_name=_("pembicara"), null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name=_("acara"), null=True, blank=True, on_delete=models.SET_NULL, related_name="lines"
    )
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(null=True, blank=True)
    # the notulis listened and found the machine's line right: reviewed without a change
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    objects = TranscriptLineQuerySet.as_manager()

    class Meta:
        ordering = ["recording__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["recording", "position"], name="one_line_per_position")
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def corrected(self):
        return self.text != self.machine_text

    @property
    def reviewed(self):
        """Edited or marked checked by the notulis (see ``TranscriptLineQuerySet.unreviewed``)."""
        return self.edited_at is not None or self.checked_at is not None

    def get_absolute_url(self):
        """The meeting page with the player at this line's second."""
        return f"{self.meeting.get_absolute_url()}?rekaman={self.recording_id}&t={int(self.start)}#pemutar"
